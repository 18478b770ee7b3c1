/**
 * How each configured source is doing, kept in memory and read through
 * `snapshot()` (the dashboard's source panel, the "source down" check, logs).
 * It records; it does not judge: deciding that a source is down belongs to
 * whoever reads the snapshot against its own thresholds.
 */

/** pushed: a tool posts to POST /ingest/<source>; its health is when it last pushed and how much. */
export type SourceMode = "polling" | "streaming" | "pushed";

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
  /** What part of the last successful poll failed (see Page.warnings); null when all of it worked. */
  lastWarning: string | null;
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
  /**
   * At the last success: how old the newest mention collected so far was
   * (that moment − its publishedAt), so the panel shows how far behind the
   * source runs. Null until a mention with a date arrives.
   */
  lagMs: number | null;
  /** Requests the API said were left at the last success (Page.quotaLeft); null when it does not say. */
  quotaLeft: number | null;
}

export interface SourceHealth {
  register(id: string, kind: string, mode: SourceMode): void;
  /**
   * `newestAt`: epoch ms of the newest publishedAt among the poll's mentions
   * (newestPublishedAt()); `quotaLeft` as the page gave it.
   */
  succeeded(
    id: string,
    result: { items: number; durationMs: number | null; newestAt?: number | null; quotaLeft?: number | undefined; warnings?: readonly string[] | undefined },
  ): void;
  failed(id: string, error: unknown, result: { durationMs: number | null }): void;
  skipped(id: string): void;
  /** Copies, ordered as registered. */
  snapshot(): SourceHealthSnapshot[];
}

/** How a source that stays off (e.g. missing credentials) starts its lastError; the dashboard reads it. */
export const SOURCE_OFF_PREFIX = "off:";

/** A publishedAt further ahead of the clock than this is a wrong date, not a fresh mention: it is left out of the lag. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * The newest publishedAt (ISO text or epoch ms) of `mentions`, epoch ms; null
 * when none has a readable date. Dates ahead of `nowMs` by more than a few
 * minutes are left out, so one wrong date cannot hide a source's lag.
 */
export function newestPublishedAt(mentions: readonly { publishedAt?: string | number | undefined }[], nowMs: number): number | null {
  let newest: number | null = null;
  for (const m of mentions) {
    const at = typeof m.publishedAt === "number" ? m.publishedAt : typeof m.publishedAt === "string" ? Date.parse(m.publishedAt) : NaN;
    if (!Number.isFinite(at) || at > nowMs + MAX_CLOCK_SKEW_MS) continue;
    if (newest === null || at > newest) newest = at;
  }
  return newest;
}

/** Longer messages are cut: a server may put a whole HTML page into an error. */
const MAX_ERROR_CHARS = 500;

export function createSourceHealth(now: () => Date = () => new Date()): SourceHealth {
  const entries = new Map<string, SourceHealthSnapshot>();
  /** Per source, the newest publishedAt collected so far (epoch ms): a quiet poll leaves it, and the lag grows. */
  const newestItem = new Map<string, number>();

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
    succeeded(id, { items, durationMs, newestAt, quotaLeft, warnings }) {
      const e = get(id);
      e.lastWarning = warnings !== undefined && warnings.length > 0 ? warnings.join("; ").slice(0, 1_000) : null;
      e.polls += 1;
      const at = now();
      e.lastSuccessAt = at.toISOString();
      if (newestAt !== undefined && newestAt !== null) newestItem.set(id, Math.max(newestItem.get(id) ?? newestAt, newestAt));
      const newest = newestItem.get(id);
      if (newest !== undefined) e.lagMs = Math.max(0, at.getTime() - newest);
      e.quotaLeft = quotaLeft !== undefined && Number.isFinite(quotaLeft) ? quotaLeft : null;
      e.consecutiveFailures = 0;
      e.itemsLastPoll = items;
      if (durationMs !== null) e.lastPollMs = Math.round(durationMs);
      if (items > 0) {
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
    lastWarning: null,
    itemsLastPoll: null,
    lastPollMs: null,
    polls: 0,
    failures: 0,
    skipped: 0,
    lastItemsAt: null,
    usualItemGapMs: null,
    itemGaps: 0,
    lagMs: null,
    quotaLeft: null,
  };
}

function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : typeof error === "string" ? error : JSON.stringify(error) ?? String(error);
  return text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS)}…` : text;
}
