import type { MinuteCount } from "../mention";
import type { BrandDetectors } from "./detector-snapshot";
import { MINUTE_MS, type ClosedMinute, type SeriesPart } from "./minute-buckets";

/** A stored minute of a brand, with its sub-series counts when known. */
export type StoredMinute = MinuteCount & { parts?: readonly SeriesPart[] };

/** What the detectors replay before the live mentions, and where each brand's clock resumes. */
export interface WarmStart {
  /** Each brand's minutes in order, empty ones as zeros, to be judged as closed minutes. */
  minutes: ClosedMinute[];
  /** Per brand, the first minute the live counts close (older mentions are late). */
  resumeAt: Map<string, number>;
  /** Brands whose detectors start from a saved state (detector-snapshot.ts); `minutes` then holds only what came after it. */
  restored?: readonly BrandDetectors[];
}

/** A restart after a longer silence resumes this long before now; the minutes between are skipped. */
export const DEFAULT_MAX_GAP_MINUTES = 360;

/**
 * Gives the spike detectors back their memory after a restart, from the
 * stored history rather than a saved state: the detector is a pure function
 * of its series (detect-spike.ts), so replaying a brand's stored minutes,
 * in order and with the quiet minutes as zeros as the live counts close
 * them, rebuilds the baseline, noise, share and surge state it had. A
 * restart then neither blinds it for a day (a cold baseline only believes
 * extreme surges) nor alerts again on a surge it had already raised: the
 * episode is part of the replayed state, and the incident was stored.
 *
 * The newest stored minute is judged as closed and the live counts resume
 * after it, so a mention re-collected after the restart is not counted
 * twice. A brand silent for longer than `maxGapMinutes` resumes that long
 * before now: the quiet minutes in between are not made up.
 *
 * A brand whose detectors were restored from a saved state (`restoredThrough`:
 * brand → the last minute the state judged) replays only the minutes after
 * it, quiet ones as zeros; with nothing stored since, it only resumes.
 *
 * Pure: history in (any order), plan out.
 */
export function planWarmStart(
  history: readonly StoredMinute[],
  now: number,
  maxGapMinutes = DEFAULT_MAX_GAP_MINUTES,
  restoredThrough: ReadonlyMap<string, number> = new Map(),
): WarmStart {
  const nowMinute = now - (now % MINUTE_MS);
  const byBrand = new Map<string, StoredMinute[]>([...restoredThrough.keys()].map((brand) => [brand, []]));
  for (const m of history) {
    if (m.minute >= nowMinute || m.minute % MINUTE_MS !== 0) continue; // the running minute is counted live
    if (m.minute <= (restoredThrough.get(m.brand) ?? -Infinity)) continue; // already in the saved state
    let list = byBrand.get(m.brand);
    if (list === undefined) byBrand.set(m.brand, (list = []));
    list.push(m);
  }
  const minutes: ClosedMinute[] = [];
  const resumeAt = new Map<string, number>();
  for (const [brand, list] of [...byBrand].sort(([a], [b]) => a.localeCompare(b))) {
    list.sort((a, b) => a.minute - b.minute);
    const through = restoredThrough.get(brand);
    // A restored brand's replay starts right after its saved state, quiet minutes included.
    const first = through === undefined ? list[0]!.minute : through + MINUTE_MS;
    const last = Math.max(list[list.length - 1]?.minute ?? -Infinity, first - MINUTE_MS);
    let next = 0;
    for (let minute = first; minute <= last; minute += MINUTE_MS) {
      while (next < list.length && list[next]!.minute < minute) next++; // a repeated minute: the first copy counts
      minutes.push(closedFromStored(brand, minute, list[next]?.minute === minute ? list[next++] : undefined));
    }
    resumeAt.set(brand, Math.max(last + MINUTE_MS, nowMinute - maxGapMinutes * MINUTE_MS));
  }
  return { minutes, resumeAt };
}

/** A stored minute as the detectors judge a closed one; a minute with nothing stored is zeros (absence is a count too). */
export function closedFromStored(brand: string, minute: number, stored: StoredMinute | undefined): ClosedMinute {
  const closed: ClosedMinute = { brand, minute, total: stored?.total ?? 0, negative: stored?.negative ?? 0, firstNegativeId: "" };
  if (stored?.parts !== undefined && stored.parts.length > 0) closed.parts = stored.parts.map((p) => ({ ...p }));
  return closed;
}
