/**
 * A brand's usual count for a moment of the week, learned online.
 *
 * Shape: one level per hour of the day for weekdays and one for weekends
 * (2 × 24 slots), read with linear interpolation between the centres of the
 * neighbouring hours (so a 1-minute series climbing through the morning is
 * not judged against the flat mean of its hour). Each slot is an
 * exponentially weighted mean of that hour's counts with a half-life of
 * SLOT_HALF_LIFE_DAYS of its own data: it follows a brand that grows, and
 * forgets a busy week.
 *
 * Why 2 × 24 and not 7 × 24 (hour of week): a 7 × 24 profile sees each slot
 * once a week, so it would need weeks of history before judging a Monday;
 * weekday hours are alike enough, and weekends are quieter — which this shape
 * learns after one weekend day.
 *
 * Before a slot has data (the first day, the first weekend) the baseline says
 * how much it is guessing:
 *   - "fallback": the same hour of the other day type, scaled by a ratio
 *     learned from the points seen so far in this day type (a Saturday
 *     morning judged by a Friday morning, times how much quieter Saturday has
 *     been so far);
 *   - "cold": nothing for this hour anywhere; a short-term level (a robust
 *     mean over about the last hour) stands in, and the detector treats it as
 *     a rough guess (see detect-spike.ts, model error).
 *
 * Pure: a state in, a state out. The caller clips the count it learns from
 * (a surge must not teach the baseline that surges are usual).
 */
export interface BaselineState {
  /** Usual count per point, by slot = dayType × 24 + hour (0 weekday, 1 weekend). */
  readonly slots: readonly number[];
  /** Hours of data each slot has absorbed (interpolation weights included). */
  readonly slotHours: readonly number[];
  /** Ratio of this day type to the other one, for fallback (by day type). */
  readonly typeRatio: readonly number[];
  readonly typeRatioHours: readonly number[];
  /** Short-term level (counts per point) and the hours it has seen. */
  readonly short: number;
  readonly shortHours: number;
}

export type BaselineMode = "seasonal" | "fallback" | "cold";

export interface Expectation {
  mean: number;
  mode: BaselineMode;
  /** The slots read and their interpolation weights: [slot index, weight]. */
  readonly parts: readonly (readonly [number, number])[];
  /** The other-day-type level used in fallback (for learning the ratio), else 0. */
  readonly fallbackBase: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** A slot judges on its own once it has seen this much of its hour. */
const LEARNED_HOURS = 0.75;
const SLOT_HALF_LIFE_DAYS = 3;
/** The short-term level forgets with this time constant. */
const SHORT_TAU_HOURS = 1;
/** The day-type ratio forgets with this time constant (it matters for a day at most). */
const RATIO_TAU_HOURS = 2;
/** Bounds of the day-type ratio: [weekday ÷ weekend, weekend ÷ weekday]. */
const RATIO_BOUNDS: readonly (readonly [number, number])[] = [
  [0.8, 5],
  [0.2, 1.25],
];

export function initialBaseline(): BaselineState {
  return {
    slots: new Array<number>(48).fill(0),
    slotHours: new Array<number>(48).fill(0),
    typeRatio: [1, 1],
    typeRatioHours: [0, 0],
    short: 0,
    shortHours: 0,
  };
}

/** Slot index of the hour that starts at local time `localMs`. */
function slotOf(localMs: number): number {
  const day = new Date(localMs).getUTCDay(); // localMs is already shifted to the brand's time zone
  const type = day === 0 || day === 6 ? 1 : 0;
  return type * 24 + new Date(localMs).getUTCHours();
}

const otherType = (slot: number) => (slot < 24 ? slot + 24 : slot - 24);
const typeOf = (slot: number) => (slot < 24 ? 0 : 1);

/**
 * The usual count at `at` (epoch ms) for a brand whose day starts
 * `offsetMs` after UTC midnight's (its UTC offset).
 */
export function expectAt(b: BaselineState, at: number, offsetMs: number): Expectation {
  // Slots are centred on the half hour: interpolate between the two centres around `at`.
  const u = at + offsetMs - HOUR_MS / 2;
  const f = (((u % HOUR_MS) + HOUR_MS) % HOUR_MS) / HOUR_MS;
  const s0 = slotOf(u);
  const s1 = slotOf(u + HOUR_MS);
  const parts: [number, number][] = [
    [s0, 1 - f],
    [s1, f],
  ];
  let mean = 0;
  let fallbackBase = 0;
  let mode: BaselineMode = "seasonal";
  for (const [slot, w] of parts) {
    if (b.slotHours[slot]! >= LEARNED_HOURS) {
      mean += w * b.slots[slot]!;
      continue;
    }
    const other = otherType(slot);
    if (b.slotHours[other]! < LEARNED_HOURS) return { mean: b.short, mode: "cold", parts, fallbackBase: 0 };
    mode = "fallback";
    fallbackBase += w * b.slots[other]!;
    mean += w * b.slots[other]! * b.typeRatio[typeOf(slot)]!;
  }
  return { mean, mode, parts, fallbackBase };
}

/**
 * Learns the (already clipped) count of one point. `intervalMs` is the
 * series' interval; `rate` (0..1] slows learning down, e.g. during a surge.
 */
export function learnBaseline(
  b: BaselineState,
  expectation: Expectation,
  count: number,
  intervalMs: number,
  rate: number,
): BaselineState {
  const hours = intervalMs / HOUR_MS;
  const slots = [...b.slots];
  const slotHours = [...b.slotHours];
  for (const [slot, w] of expectation.parts) {
    if (w <= 0) continue;
    // A new slot starts from what was expected of it, not from zero: learning
    // may be slowed (a suspected surge), and a slow start from zero would
    // leave the slot far too low.
    if (slotHours[slot] === 0) slots[slot] = expectation.mean;
    const seen = slotHours[slot]! + w * hours;
    // A running mean while the slot is new, then an exponential forgetting
    // with a half-life counted in days of that slot's own data.
    const alpha = rate * Math.max(1 - Math.exp((-w * hours * Math.LN2) / SLOT_HALF_LIFE_DAYS), (w * hours) / seen);
    slots[slot] = slots[slot]! + alpha * (count - slots[slot]!);
    slotHours[slot] = Math.min(seen, 10 * 24);
  }

  const shortSeen = b.shortHours + hours;
  const shortAlpha = rate * Math.max(1 - Math.exp(-hours / SHORT_TAU_HOURS), hours / shortSeen);
  const short = b.short + shortAlpha * (count - b.short);

  let typeRatio = b.typeRatio;
  let typeRatioHours = b.typeRatioHours;
  if (expectation.mode === "fallback" && expectation.fallbackBase > 0) {
    const type = typeOf(expectation.parts[0]![0]);
    const seen = b.typeRatioHours[type]! + hours;
    const alpha = rate * Math.max(1 - Math.exp(-hours / RATIO_TAU_HOURS), hours / seen);
    // Weekends are quieter than weekdays: bounding the ratio that way keeps a
    // surge on the first weekend (or first weekday) from passing as its day type.
    const [low, high] = RATIO_BOUNDS[type]!;
    const observed = Math.min(high, Math.max(low, count / expectation.fallbackBase));
    typeRatio = b.typeRatio.map((r, i) => (i === type ? r + alpha * (observed - r) : r));
    typeRatioHours = b.typeRatioHours.map((h, i) => (i === type ? seen : h));
  }
  return { slots, slotHours, typeRatio, typeRatioHours, short, shortHours: Math.min(shortSeen, DAY_MS / HOUR_MS) };
}

/** Every level times `factor`: the brand's volume moved to a new level (the shape of its week is kept). */
export function rescaleBaseline(b: BaselineState, factor: number): BaselineState {
  return { ...b, slots: b.slots.map((v) => v * factor), short: b.short * factor };
}
