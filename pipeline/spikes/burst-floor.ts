/**
 * How big a burst is ordinary for this series: the magnitude floor of an
 * alert learned from the series' own history.
 *
 * Some brands' volume is bursty by nature (a post goes viral, a forum thread
 * flares up for an hour): their series rise to twice the usual every day and
 * fall back, and none of it is a crisis. A fixed floor (twice the usual)
 * would page the on-call staff daily for such a brand. So each day the
 * largest sustained rise is remembered, for the last
 * BURST_DAYS days, and an alert must rise above the median of those daily
 * maxima by BURST_MARGIN — what is rare for this series, as Numenta's anomaly
 * likelihood judges a score against the series' own recent scores (Ahmad et
 * al. 2017, "Unsupervised real-time anomaly detection for streaming data",
 * Neurocomputing 262). A calm series keeps the fixed floor: its daily maxima
 * stay well under it.
 *
 * A rise counts once it is a sustained one (the surge rule's persistence and
 * minimum count met, the CUSUM half-way to the alert), measured as the ratio
 * of its counts to their usual so far. Rises that alerted count too: a series
 * that "surges" every day is bursty, not in crisis daily. A real crisis is
 * one day of fourteen in the median of fourteen and does not raise the bar for the next.
 *
 * Pure: a record in, a record out.
 */
export interface BurstRecord {
  /** The day (local day number) `today` belongs to. */
  readonly day: number;
  /** Largest sustained rise that ended today (1 = none). */
  readonly today: number;
  /** The same for the previous days, oldest first, at most BURST_DAYS. */
  readonly days: readonly number[];
  /** Largest sustained ratio of the rise under way (0 = none yet). */
  readonly runPeak: number;
  /** Largest ratio of a single surprising point today (1 = none), and the same for the previous days. */
  readonly todayPoint: number;
  readonly pointDays: readonly number[];
}

const BURST_DAYS = 14;
/** The floor needs this many days of history before it applies. */
const MIN_DAYS = 3;
/** An alert must be this much above the median day's largest ordinary rise. */
const BURST_MARGIN = 1.2;
const QUANTILE = 0.75;
const DAY_MS = 86_400_000;

export function initialBurstRecord(): BurstRecord {
  return { day: -1, today: 1, days: [], runPeak: 0, todayPoint: 1, pointDays: [] };
}

/** The learned floor (a ratio to the usual count), or 0 while there is too little history. */
export function burstFloor(r: BurstRecord): number {
  return r.days.length < MIN_DAYS ? 0 : ordinaryRise(r) * BURST_MARGIN;
}

/**
 * How far this series rises on an ordinary day (a high quantile of the daily
 * largest rises), or 1 while there is too little history: a rise up to it is
 * the series' ordinary, not a surge building.
 */
export function ordinaryRise(r: BurstRecord): number {
  return r.days.length < MIN_DAYS ? 1 : quantile(r.days);
}

/**
 * The same for single points: the learned floor of the single-point alert.
 * Inside a bursty series' ordinary half-hour at twice the usual, single
 * minutes reach four times it; judged by the sustained floor alone, such a
 * minute alerted on its own. A calm series has no surprising points on most
 * days (they count as 1), so its floor stays below the fixed one.
 */
export function pointFloor(r: BurstRecord): number {
  return r.pointDays.length < MIN_DAYS ? 0 : quantile(r.pointDays) * BURST_MARGIN;
}

function quantile(days: readonly number[]): number {
  const sorted = [...days].sort((a, b) => a - b);
  return sorted[Math.floor(QUANTILE * (sorted.length - 1))]!;
}

export interface BurstStep {
  /** Local time of the point (epoch ms shifted by the brand's offset). */
  localAt: number;
  /** The point belongs to a rise (the CUSUM is above zero). */
  inRun: boolean;
  /** The rise's ratio so far when it counts as sustained at this point, else null. */
  sustainedRatio: number | null;
  /** The point's own ratio to the usual when it is surprising on its own, else null. */
  pointRatio: number | null;
}

export function recordBurst(r: BurstRecord, step: BurstStep): BurstRecord {
  const day = Math.floor(step.localAt / DAY_MS);
  let { today, days, todayPoint, pointDays } = r;
  if (r.day >= 0 && day > r.day) {
    // Days with no point at all (a gap) are not made up.
    days = [...days, today].slice(-BURST_DAYS);
    pointDays = [...pointDays, todayPoint].slice(-BURST_DAYS);
    today = 1;
    todayPoint = 1;
  }
  if (step.pointRatio !== null) todayPoint = Math.max(todayPoint, step.pointRatio);
  if (step.inRun) {
    return {
      day,
      today,
      days,
      runPeak: step.sustainedRatio === null ? r.runPeak : Math.max(r.runPeak, step.sustainedRatio),
      todayPoint,
      pointDays,
    };
  }
  // The rise (if any) is over: it is remembered as the day's if it is the largest.
  if (r.runPeak > 0) today = Math.max(today, r.runPeak);
  return { day, today, days, runPeak: 0, todayPoint, pointDays };
}
