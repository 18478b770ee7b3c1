import type { RootLogger } from "./log";
import { decodeDetectors, encodeDetectors, type BrandDetectors } from "./spikes/detector-snapshot";
import { MINUTE_MS } from "./spikes/minute-buckets";
import { planWarmStart, type WarmStart } from "./spikes/warm-start";
import type { DetectorStateRecord } from "./store/detector-state-queries";
import type { Store } from "./store/store";

/**
 * The spike detectors' memory across restarts, at the store's edge: read at
 * start (saved states, then the stored minutes since), saved while running
 * and at stop. The pure parts are spikes/detector-snapshot.ts and
 * spikes/warm-start.ts.
 */

/** How often the detectors are saved: a restart replays at most this much of stored minutes (plus the downtime). */
export const DETECTOR_SAVE_MS = 5 * 60_000;

const DAY_MS = 86_400_000;

export interface WarmStartOptions {
  /** The configured brands: only they are warmed (a brand no longer watched gets no live mentions). */
  brands: readonly string[];
  /** spikes.warmStartDays: how far back a brand without a usable saved state replays. */
  days: number;
  /** detectorSettingsKey() of the running settings: a state saved under others is rebuilt instead. */
  settingsKey: string;
  now: number;
}

/**
 * The detectors' memory for a start. Brands with a usable saved state start
 * from it and replay the stored minutes since; the others replay the
 * `days` before now, as without saved states. One read of stored minutes
 * either way: from the oldest saved state when every brand has one (the
 * common restart: minutes, not a week), else the whole window. A store
 * that cannot answer costs the detectors their memory, not the start.
 */
export async function readWarmStart(store: Store, options: WarmStartOptions, log: RootLogger): Promise<WarmStart | undefined> {
  const { brands, days, now } = options;
  if (days <= 0) return undefined;
  const started = performance.now();
  const windowStart = now - days * DAY_MS;
  const restored = await readSavedStates(store, options, windowStart, log);
  try {
    const through = new Map(restored.map((r) => [r.brand, r.throughMinute]));
    const allRestored = brands.every((b) => through.has(b));
    const from = allRestored && through.size > 0 ? Math.min(...through.values()) + MINUTE_MS : windowStart;
    const watched = new Set(brands);
    const history = allRestored && through.size === 0 ? [] : (await store.minuteHistory({ from, to: now })).filter((m) => watched.has(m.brand));
    const plan = { ...planWarmStart(history, now, undefined, through), restored };
    log.info(
      { brands: plan.resumeAt.size, restored: restored.length, minutes: plan.minutes.length, ms: Math.round(performance.now() - started) },
      "spike detectors warmed from saved states and stored history",
    );
    return plan;
  } catch (err) {
    log.warn({ err }, "stored minutes not read; the spike detectors start cold");
    return undefined;
  }
}

/** The saved states worth starting from; any other is left for the replay to rebuild, and the log says why. */
async function readSavedStates(store: Store, options: WarmStartOptions, windowStart: number, log: RootLogger): Promise<BrandDetectors[]> {
  let records;
  try {
    records = await store.detectorStates();
  } catch (err) {
    log.warn({ err }, "saved detector states not read; the detectors replay the stored history");
    return [];
  }
  const watched = new Set(options.brands);
  const usable: BrandDetectors[] = [];
  for (const record of records) {
    if (!watched.has(record.brand)) continue;
    const saved = usableState(record, options.settingsKey, windowStart);
    if (typeof saved === "string") log.info({ brand: record.brand, why: saved }, "saved detector state not used; the brand replays the stored history");
    else usable.push(saved);
  }
  return usable;
}

/** The saved detectors of a record, or why they cannot be started from. */
function usableState(record: DetectorStateRecord, settingsKey: string, windowStart: number): BrandDetectors | string {
  if (record.throughMinute < windowStart) return "older than the warm-start window";
  const saved = decodeDetectors(record.state);
  if (saved instanceof Error) return saved.message;
  if (saved.brand !== record.brand) return `holds brand ${saved.brand}`;
  if (saved.settingsKey !== settingsKey) return "saved under other spike settings (time zone or series limits)";
  return saved;
}

/** Saves every brand's detectors; a failure is logged (the next start replays more), never thrown. */
export async function saveDetectorStates(store: Store, states: readonly BrandDetectors[], now: number, log: RootLogger): Promise<void> {
  try {
    await store.saveDetectorStates(states.map((s) => ({ brand: s.brand, throughMinute: s.throughMinute, savedAt: now, state: encodeDetectors(s) })));
  } catch (err) {
    log.warn({ err, brands: states.length }, "spike detector states not saved; the next start replays more of the stored history");
  }
}
