/**
 * How each configured source is doing, kept in memory and read through
 * `snapshot()` (the dashboard's source panel, the "source down" check, logs).
 * It records; it does not judge: deciding that a source is down belongs to
 * whoever reads the snapshot against its own thresholds.
 */

export type SourceMode = "polling" | "streaming";

export interface SourceHealthSnapshot {
  id: string;
  kind: string;
  mode: SourceMode;
  /** ISO time of the last poll (or streamed batch) that succeeded. */
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  /** Failures since the last success; 0 when the last poll succeeded. */
  consecutiveFailures: number;
  /** Message of the last failure, kept after a later success for context. */
  lastError: string | null;
  /** Mentions in the last successful poll (or streamed batch). */
  itemsLastPoll: number | null;
  /** Duration of the last poll, successful or not. */
  lastPollMs: number | null;
  /** Totals since start, for an error rate. */
  polls: number;
  failures: number;
  /** Ticks skipped because the previous poll was still running. */
  skipped: number;
  /** ISO time of the last poll (or batch) that brought at least one mention. */
  lastItemsAt: string | null;
  /** The source's usual gap between polls that bring mentions (moving average, ms); null until two such polls. */
  usualItemGapMs: number | null;
  /** Gaps that went into usualItemGapMs (a rhythm is only trusted after a few). */
  itemGaps: number;
}

export interface SourceHealth {
  register(id: string, kind: string, mode: SourceMode): void;
  succeeded(id: string, result: { items: number; durationMs: number | null }): void;
  failed(id: string, error: unknown, result: { durationMs: number | null }): void;
  skipped(id: string): void;
  /** Copies, ordered as registered. */
  snapshot(): SourceHealthSnapshot[];
}

/** How a source that stays off (e.g. missing credentials) starts its lastError; the dashboard reads it. */
export const SOURCE_OFF_PREFIX = "off:";

/** Longer messages are cut: a server may put a whole HTML page into an error. */
const MAX_ERROR_CHARS = 500;

export function createSourceHealth(now: () => Date = () => new Date()): SourceHealth {
  const entries = new Map<string, SourceHealthSnapshot>();

  const get = (id: string): SourceHealthSnapshot => {
    const entry = entries.get(id);
    if (entry) return entry;
    // A source that reports before registering is still recorded rather than lost.
    const created = blank(id, "unknown", "polling");
    entries.set(id, created);
    return created;
  };

  return {
    register(id, kind, mode) {
      const existing = entries.get(id);
      if (existing) {
        existing.kind = kind;
        existing.mode = mode;
      } else entries.set(id, blank(id, kind, mode));
    },
    succeeded(id, { items, durationMs }) {
      const e = get(id);
      e.polls += 1;
      e.lastSuccessAt = now().toISOString();
      e.consecutiveFailures = 0;
      e.itemsLastPoll = items;
      if (durationMs !== null) e.lastPollMs = Math.round(durationMs);
      if (items > 0) {
        const at = now();
        if (e.lastItemsAt !== null) {
          const gap = at.getTime() - Date.parse(e.lastItemsAt);
          // A moving average: the rhythm follows a source that gets busier or quieter.
          e.usualItemGapMs = e.usualItemGapMs === null ? gap : Math.round(e.usualItemGapMs * 0.8 + gap * 0.2);
          e.itemGaps += 1;
        }
        e.lastItemsAt = at.toISOString();
      }
    },
    failed(id, error, { durationMs }) {
      const e = get(id);
      e.polls += 1;
      e.failures += 1;
      e.consecutiveFailures += 1;
      e.lastFailureAt = now().toISOString();
      e.lastError = errorMessage(error);
      if (durationMs !== null) e.lastPollMs = Math.round(durationMs);
    },
    skipped(id) {
      get(id).skipped += 1;
    },
    snapshot() {
      return [...entries.values()].map((e) => ({ ...e }));
    },
  };
}

function blank(id: string, kind: string, mode: SourceMode): SourceHealthSnapshot {
  return {
    id,
    kind,
    mode,
    lastSuccessAt: null,
    lastFailureAt: null,
    consecutiveFailures: 0,
    lastError: null,
    itemsLastPoll: null,
    lastPollMs: null,
    polls: 0,
    failures: 0,
    skipped: 0,
    lastItemsAt: null,
    usualItemGapMs: null,
    itemGaps: 0,
  };
}

function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : typeof error === "string" ? error : JSON.stringify(error) ?? String(error);
  return text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS)}…` : text;
}
