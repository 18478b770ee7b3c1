import { SOURCE_OFF_PREFIX, type SourceHealthSnapshot } from "../../collectors/health";

/**
 * Silence is a signal: a source that keeps failing, or that stops bringing
 * mentions far longer than its own rhythm, is "down". Pure: a health
 * snapshot and the time in, a judgement out.
 */
export interface SourceDownSettings {
  /** Failed polls in a row that make a source down. */
  maxFailures: number;
  /** Down when silent for this many of its usual gaps… */
  silenceFactor: number;
  /** …and never sooner than this (a quiet night on a small brand is not an outage). */
  minSilenceMs: number;
  /** Gaps seen before the rhythm is trusted. */
  minGaps: number;
}

export const DEFAULT_SOURCE_DOWN: SourceDownSettings = {
  maxFailures: 3,
  silenceFactor: 6,
  minSilenceMs: 60 * 60_000,
  minGaps: 3,
};

export interface SourceJudgement {
  down: boolean;
  /** Why, in plain words (goes into the incident summary); "" when not down. */
  reason: string;
}

export function judgeSource(s: SourceHealthSnapshot, now: number, settings: SourceDownSettings): SourceJudgement {
  // A source kept off by its configuration is shown as off, not raised as an outage.
  if (s.lastError?.startsWith(SOURCE_OFF_PREFIX)) return { down: false, reason: "" };
  if (s.consecutiveFailures >= settings.maxFailures)
    return { down: true, reason: `${s.consecutiveFailures} failed polls in a row: ${s.lastError ?? "unknown error"}` };
  // A tool that pushes (a CRM, a help desk) sends when it has something: its quiet is not an outage.
  if (s.mode !== "pushed" && s.lastItemsAt !== null && s.usualItemGapMs !== null && s.itemGaps >= settings.minGaps) {
    const silentMs = now - Date.parse(s.lastItemsAt);
    if (silentMs > Math.max(settings.silenceFactor * s.usualItemGapMs, settings.minSilenceMs))
      return { down: true, reason: `no mentions for ${minutes(silentMs)} (usually every ${minutes(s.usualItemGapMs)})` };
  }
  return { down: false, reason: "" };
}

function minutes(ms: number): string {
  const m = Math.round(ms / 60_000);
  return m >= 120 ? `${Math.round(m / 60)} h` : `${m} min`;
}
