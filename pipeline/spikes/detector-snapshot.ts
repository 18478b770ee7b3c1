import { z } from "zod";
import type { SpikeState } from "./detect-spike";

/**
 * A brand's spike detectors as saved between runs: the brand's own series
 * and its sub-series (per problem type and per source), as of the last
 * closed minute they judged.
 *
 * Why save them at all: the detectors are pure functions of their series, so
 * replaying the stored minutes rebuilds them exactly (warm-start.ts). But a
 * replay costs about 0.6 s of one core per brand-week of minutes, paid before
 * the first live mention is judged: at a hundred brands the on-call staff
 * would be blind for a minute after every restart. From a saved state only
 * the minutes since the save are replayed. The replay stays the fallback:
 * a state that is missing, unreadable, from other detector settings or too
 * old is rebuilt from the history as before.
 *
 * Pure: encode and decode only. A state that does not have the shape of
 * today's SpikeState is refused (with what was wrong), never half-read.
 */
export interface SavedSeries {
  /** Sub-series key (series-key.ts): "problem:outage", "source:reddit". */
  key: string;
  state: SpikeState;
  /** Event time of the series' last minute with a mention in it (judge-series.ts). */
  lastSeenAt: number;
}

export interface BrandDetectors {
  brand: string;
  /** Start of the last closed minute the detectors judged, epoch ms: the replay resumes after it. */
  throughMinute: number;
  /** Fingerprint of the settings the states were learnt under (detectorSettingsKey). */
  settingsKey: string;
  brandState: SpikeState;
  series: SavedSeries[];
}

/**
 * Bump when a SpikeState field keeps its shape but changes its meaning
 * (units, a decay constant the sums depend on): saved states of the old
 * meaning are then refused and rebuilt from the history. A change of shape
 * is caught without it (the schema below must follow SpikeState to compile,
 * and an old state fails it).
 */
export const DETECTOR_STATE_VERSION = 1;

const num = z.number();
/** JSON has no infinities; the one SpikeState field that starts at -Infinity (lastHotAt) travels as null. */
const numOrMinusInfinity = z
  .number()
  .nullable()
  .transform((v) => v ?? -Infinity);
const numbers = (length?: number) => (length === undefined ? z.array(num) : z.array(num).length(length));

const spikeStateSchema: z.ZodType<SpikeState, unknown> = z.strictObject({
  firstAt: num.nullable(),
  lastAt: num.nullable(),
  points: num,
  interval: z.strictObject({ ms: num, gaps: numbers() }),
  baseline: z.strictObject({
    slots: numbers(48),
    slotHours: numbers(48),
    typeRatio: numbers(2),
    typeRatioHours: numbers(2),
    short: num,
    shortHours: num,
  }),
  dispersion: z.strictObject({ e2: num, mean: num, mean2: num, hours: num }),
  share: z.strictObject({ negative: num, total: num }),
  cusum: num,
  runObserved: num,
  runExpected: num,
  runStart: num,
  armed: z.boolean(),
  episode: z.boolean(),
  lastHotAt: numOrMinusInfinity,
  elevation: z.strictObject({ since: num, observed: num, expected: num }).nullable(),
  recent: z.strictObject({ observed: num, expected: num }),
  bursts: z.strictObject({ day: num, today: num, days: numbers(), runPeak: num, todayPoint: num, pointDays: numbers() }),
});

const brandDetectorsSchema = z.strictObject({
  version: z.literal(DETECTOR_STATE_VERSION),
  brand: z.string().min(1),
  throughMinute: num,
  settingsKey: z.string(),
  brandState: spikeStateSchema,
  series: z.array(z.strictObject({ key: z.string().min(1), state: spikeStateSchema, lastSeenAt: num })),
});

export function encodeDetectors(saved: BrandDetectors): string {
  return JSON.stringify({ version: DETECTOR_STATE_VERSION, ...saved });
}

/** The saved detectors, or an Error saying why they cannot be used (the caller rebuilds from the history). */
export function decodeDetectors(text: string): BrandDetectors | Error {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return new Error(`[earshot] [spikes] saved detector state is not JSON: ${(err as Error).message}`);
  }
  const parsed = brandDetectorsSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first === undefined ? "" : ` at ${first.path.join(".") || "(top)"}: ${first.message}`;
    return new Error(`[earshot] [spikes] saved detector state does not fit this version of the detector${where}`);
  }
  const { version: _version, ...saved } = parsed.data;
  return saved;
}

/**
 * What a saved state depends on besides the series: a state learnt in
 * another time zone (its hours are the brand's own) or under other series
 * limits is not the state a replay would build now.
 */
export function detectorSettingsKey(settings: { utcOffsetMinutes?: number }, limits: { idleMinutes: number; maxSourcesPerBrand: number }): string {
  return JSON.stringify([settings.utcOffsetMinutes ?? 0, limits.idleMinutes, limits.maxSourcesPerBrand]);
}
