import { burstFloor, initialBurstRecord, ordinaryRise, pointFloor, recordBurst, type BurstRecord } from "./burst-floor";
import { countAtSurprise, countSurprise, shareSurprise } from "./count-surprise";
import { expectAt, initialBaseline, learnBaseline, rescaleBaseline, type BaselineMode, type BaselineState } from "./seasonal-baseline";
import { initialInterval, observeInterval, type IntervalState } from "./series-interval";

/**
 * The spike detector: one point of a brand's series in, a judgement out, no
 * look-ahead. Pure: `detectSpike(state, point, settings) → { state, judgement }`;
 * the same state and point always give the same answer, and judging a point
 * without keeping the new state (a minute that is still running) changes
 * nothing.
 *
 * 1. BASELINE: the usual count for this hour of a weekday or weekend day,
 *    learned online (seasonal-baseline.ts), with a short-term level standing
 *    in while the hour has no history yet.
 * 2. NOISE: counts are Poisson at best and overdispersed in practice
 *    (variance = mean × (1 + φ·mean), negative-binomial-like); φ is learned
 *    from the series' own residuals, clipped so a burst does not teach it
 *    that anything goes. Each point's surprise is a z from the count's upper
 *    tail (count-surprise.ts). While the baseline is a guess (the first day,
 *    the first weekend) a model error is added to the variance, so only an
 *    extreme surge alerts then.
 * 3. PERSISTENCE: a one-sided CUSUM of the surprise (Page 1954; Montgomery,
 *    "Introduction to Statistical Quality Control", §9.1) with each point's
 *    contribution capped (the cap grows with the square root of the interval
 *    past a quarter of an hour: one hourly point is an hour of data), so one
 *    odd point cannot raise an alert on its own:
 *    a surge must keep the sum up for MIN_RUN_MINUTES (a quarter of an hour;
 *    bursts of a few minutes are the commonest noise in volume series),
 *    unless it is already BIG_RATIO (4) times the usual — then two points
 *    will do — or a single point is extreme. A slow surge adds up until it is
 *    sure.
 * 4. MAGNITUDE: an alert also needs the surge so far to be at least
 *    MIN_RATIO (2) times the usual, and at least `minNegatives` mentions above
 *    it: on a big brand a 30 % rise can be statistically certain and still
 *    not worth waking anyone. A bursty series raises its own floor: a surge
 *    must also outgrow the rises the series makes on an ordinary day, and a
 *    single extreme point the single points it reaches on one
 *    (burst-floor.ts).
 * 5. SHARE: when the point carries the total of all mentions, the negatives
 *    are judged twice — against their usual count for the hour, and against
 *    the brand's usual negative share of this point's total — and the smaller
 *    surprise counts. A launch (all mentions up, the share as usual) is then
 *    no alarm; more negatives than usual at a higher share is. (A single
 *    extreme point needs an extreme count and a clearly higher share.)
 * 6. ONE SURGE, ONE ALERT: `alert` is true only on the point that raises a
 *    new alert. The detector then re-arms only after the series has been
 *    back to normal (CUSUM below half the threshold) for `rearmMinutes`.
 *    `spike` stays true while the alerted surge goes on, which is what the
 *    incident lifecycle needs to keep an incident open.
 * 7. A NEW LEVEL: a rise that holds for 42 hours (a brand that grew, a
 *    source added) stops being a surge: the baseline is rescaled by how far
 *    the counts ran above it, so later surges are judged against what is
 *    now usual.
 *
 * Sensitivity is one number (per brand if configured): 4 is the default;
 * the CUSUM threshold and the extreme-point threshold scale with it (higher is
 * quieter).
 */
export interface SpikeSettings {
  /** An alert needs at least this many mentions above the usual in the surge so far. */
  minNegatives: number;
  /** 4 = default; thresholds scale with sensitivity / 4 (higher is quieter). */
  sensitivity: number;
  /** No alert at all before the series is this old. */
  warmupMinutes: number;
  /** After an alert, how long the series must be back to normal before a new one (default 180). */
  rearmMinutes?: number;
  /** The brand's UTC offset, so hours and weekends are the brand's own (default 0). */
  utcOffsetMinutes?: number;
}

/** What the incident lifecycle reads (the whole contract with pipeline/incidents). */
export interface SpikeJudgement {
  /** The point belongs to an alerted surge (true from the alert while the surge lasts). */
  spike: boolean;
  /**
   * 0..1 anomaly score: 0.5 at the alert threshold, 1 at twice it. A point
   * must be over both bars of a path to score past 0.5: the surprise
   * (CUSUM, or a single point's z) and the magnitude floor (the run's or
   * the point's ratio to the usual, against MIN_RATIO or the learned floor).
   */
  score: number;
  /** Usual count for this point. */
  baseline: number;
  /** A count that alone would raise an alert at this point. */
  threshold: number;
}

export interface SurgeJudgement extends SpikeJudgement {
  /** A new alert is raised at this point (once per surge; see re-arm). */
  alert: boolean;
  /** This point's surprise, as a standard-normal z. */
  z: number;
  /** CUSUM of the surprises, in z units (alert at 6 × sensitivity / 4). */
  cusum: number;
  /** How sure the baseline is (see seasonal-baseline.ts). */
  mode: BaselineMode;
}

export interface SpikePoint {
  /** Start of the point's interval, epoch ms. Strictly increasing within a series. */
  at: number;
  /** Negative mentions in the interval (for a plain series, its value). */
  negative: number;
  /** All mentions in the interval, when known: enables the share rule. */
  total?: number;
}

export interface SpikeState {
  readonly firstAt: number | null;
  readonly lastAt: number | null;
  readonly points: number;
  readonly interval: IntervalState;
  readonly baseline: BaselineState;
  /** Decayed sums for the dispersion estimate: Σ clipped e², Σ mean, Σ mean², hours (decayed alike). */
  readonly dispersion: { readonly e2: number; readonly mean: number; readonly mean2: number; readonly hours: number };
  /** Decayed sums of negatives and totals, for the usual negative share. */
  readonly share: { readonly negative: number; readonly total: number };
  readonly cusum: number;
  /** Observed and usual counts summed since the CUSUM last left zero. */
  readonly runObserved: number;
  readonly runExpected: number;
  /** When the current run started (the CUSUM left zero), epoch ms. */
  readonly runStart: number;
  readonly armed: boolean;
  /** Inside an alerted surge (from the alert until the CUSUM falls below half the threshold). */
  readonly episode: boolean;
  /** Last time the CUSUM was at or above half the threshold. */
  readonly lastHotAt: number;
  /**
   * While the recent level stays NEW_LEVEL_RATIO or more times the usual:
   * since when, and the counts and usual counts summed since then; else null.
   */
  readonly elevation: { readonly since: number; readonly observed: number; readonly expected: number } | null;
  /** Decayed sums of counts and usual counts over the last few hours: the recent level against the baseline. */
  readonly recent: { readonly observed: number; readonly expected: number };
  /** The series' ordinary bursts, for the learned magnitude floor (burst-floor.ts). */
  readonly bursts: BurstRecord;
}

export const DEFAULT_SPIKE_SETTINGS: Readonly<Required<SpikeSettings>> = {
  minNegatives: 5,
  sensitivity: 4,
  warmupMinutes: 30,
  rearmMinutes: 180,
  utcOffsetMinutes: 0,
};

/**
 * CUSUM drift, threshold and cap, in z units, for points of up to a quarter
 * of an hour (longer points scale the cap and the drift alike, see below).
 * Chosen on the benchmark series (test/bench/detector.bench.ts): with drift 1
 * slow surges were caught hours later; with 0.5, bursts turned into false
 * alarms.
 */
const DRIFT = 0.75;
const Z_CAP = 4;
const THRESHOLD = 6;
/** A single point this surprising alerts on its own. */
const Z_EXTREME = 7;
/** The CUSUM is capped at twice its threshold, so it drains soon after a surge ends. */
const CUSUM_CEILING = 2;
/** The surge so far must be at least this many times the usual count (bursts reach about 1.6). */
const MIN_RATIO = 2;
/**
 * A surge must have lasted this long, unless it is extreme or already BIG_RATIO
 * times the usual: bursts of a few minutes at less than twice the level are
 * the commonest noise in volume series.
 */
const MIN_RUN_MINUTES = 15;
const BIG_RATIO = 4;
/** Alerts need at least this many points of history (a level to compare with). */
const MIN_POINTS = 4;
/** Model error (relative) added to the variance while the baseline guesses. */
const MODEL_ERROR: Record<BaselineMode, number> = { seasonal: 0, fallback: 0.5, cold: 1 };
/** Learning clips counts to the usual ± this many deviations (Huber). */
const CLIP_DEVIATIONS = 3;
/** Learning slows to this rate while a surge is suspected or alerted. */
const SURGE_LEARNING_RATE = 0.1;
/** Prior dispersion φ (variance = mean·(1 + φ·mean)) before the series has taught its own. */
const PRIOR_DISPERSION = 0.1;
const DISPERSION_TAU_HOURS = 72;
const PRIOR_DISPERSION_HOURS = 6;
const SHARE_TAU_HOURS = 24;
/**
 * A rise that keeps the recent level (the last few hours) NEW_LEVEL_RATIO
 * times the usual or more for NEW_LEVEL_HOURS is the brand's new level (it
 * grew, a new source was added): the baseline is rescaled by the ratio of the
 * counts to their usual over that time (every hour of the day, so no one part
 * of the day sets the new level) and any surge under way ends. Without this,
 * learning slowed during a surge never caught up with a lasting step: the
 * episode never ended and no later surge could alert (a 2× step kept a
 * 5-minute series blind for weeks). 42 hours: longer than the benchmark's
 * surges take to alert (slow growth on hourly series, up to ~36 h in); 36 h
 * lost one of them, 48 h changed nothing more.
 */
const NEW_LEVEL_HOURS = 42;
const NEW_LEVEL_RATIO = 1.3;
/** The recent level forgets with this time constant... */
const RECENT_TAU_HOURS = 3;
/** ...and is read only once it holds this many usual counts (a ratio of a few counts is noise). */
const RECENT_MIN_EXPECTED = 10;
const HOUR_MS = 3_600_000;

export function initialSpikeState(): SpikeState {
  return {
    firstAt: null,
    lastAt: null,
    points: 0,
    interval: initialInterval(),
    baseline: initialBaseline(),
    dispersion: { e2: 0, mean: 0, mean2: 0, hours: 0 },
    share: { negative: 0, total: 0 },
    cusum: 0,
    runObserved: 0,
    runExpected: 0,
    runStart: 0,
    armed: true,
    episode: false,
    lastHotAt: -Infinity,
    elevation: null,
    recent: { observed: 0, expected: 0 },
    bursts: initialBurstRecord(),
  };
}

/**
 * φ from the decayed sums: a moment estimate, (Σe² − Σmean) / Σmean², with
 * the prior counted as PRIOR_DISPERSION_HOURS of data, so the first hours of
 * a series (and one odd point among them) do not swing it.
 */
function dispersionOf(s: SpikeState["dispersion"]): number {
  if (s.mean2 <= 0 || s.hours <= 0) return PRIOR_DISPERSION;
  const prior = PRIOR_DISPERSION_HOURS / s.hours;
  return Math.max(0, (s.e2 - s.mean + prior * PRIOR_DISPERSION * s.mean2) / ((1 + prior) * s.mean2));
}

export function detectSpike(
  state: SpikeState,
  point: SpikePoint,
  settings: SpikeSettings,
): { state: SpikeState; judgement: SurgeJudgement } {
  if (state.lastAt !== null && !(point.at > state.lastAt)) {
    throw new RangeError(`[earshot] [spikes] points must come in time order: ${point.at} after ${state.lastAt}`);
  }
  const scale = settings.sensitivity / DEFAULT_SPIKE_SETTINGS.sensitivity;
  const threshold = THRESHOLD * scale;
  const extreme = Z_EXTREME * scale;
  const offsetMs = (settings.utcOffsetMinutes ?? 0) * 60_000;
  const rearmMs = (settings.rearmMinutes ?? DEFAULT_SPIKE_SETTINGS.rearmMinutes) * 60_000;

  const interval = state.lastAt === null ? state.interval : observeInterval(state.interval, point.at - state.lastAt);
  const intervalMs = interval.ms;
  const firstAt = state.firstAt ?? point.at;
  const y = point.negative;

  // 1–2. Usual count and surprise.
  const expectation = expectAt(state.baseline, point.at, offsetMs);
  const usual = expectation.mean;
  const phi = dispersionOf(state.dispersion);
  const modelError = MODEL_ERROR[expectation.mode];
  const dispersionAt = (mean: number) => 1 + phi * mean + modelError * modelError * mean;
  const zCount = countSurprise(y, usual, dispersionAt(usual));
  let z = zCount;
  // What a single point is judged by for an extreme alert: its count's
  // surprise, provided the share (when known) is clearly up too — the share
  // vetoes a launch, it need not be extreme itself.
  let zPoint = zCount;
  // 5. Share: the negatives this point's total would usually bring.
  const shareUsual = (state.share.negative + 0.1) / (state.share.total + 1);
  if (point.total !== undefined) {
    const byShare = shareUsual * point.total;
    const zShare = shareSurprise(y, point.total, shareUsual, 1 + phi * byShare);
    z = Math.min(zCount, zShare);
    zPoint = zShare >= Z_CAP ? zCount : z;
  }

  // 3. Persistence; nothing accumulates before the warm-up is over (there is no level to compare with yet).
  const warm = state.points + 1 >= MIN_POINTS && point.at - firstAt >= settings.warmupMinutes * 60_000;
  // A point that spans more than a quarter of an hour is persistence on its own:
  // an hourly point far above the usual is an hour of surge, so its cap grows
  // with the square root of the interval (the z of a sum of independent quarters).
  const sqrtQuarters = Math.max(1, Math.sqrt(intervalMs / (MIN_RUN_MINUTES * 60_000)));
  const zCap = Z_CAP * sqrtQuarters;
  // The drift scales alike: an hourly point's z is that of a sum of
  // four quarters, and a CUSUM over those quarters would take the drift four
  // times, i.e. √4 times in the sum's z (the same k per quarter of an hour,
  // whatever the interval). With the drift per point alone an hourly series
  // drained four times slower than a 15-minute one: a surge's episode lasted
  // up to 2½ days after it, and a second surge in it was never alerted.
  const cusum = warm ? Math.min(CUSUM_CEILING * threshold, Math.max(0, state.cusum + Math.min(z, zCap) - DRIFT * sqrtQuarters)) : 0;
  const inRun = cusum > 0;
  const runObserved = inRun ? (state.cusum > 0 ? state.runObserved : 0) + y : 0;
  const runExpected = inRun ? (state.cusum > 0 ? state.runExpected : 0) + usual : 0;
  const runStart = state.cusum > 0 ? state.runStart : point.at;

  // 6. Re-arm after a quiet spell.
  const hot = cusum >= threshold / 2;
  const lastHotAt = hot ? point.at : state.lastHotAt;
  const armedBefore = state.armed || point.at - state.lastHotAt >= rearmMs;

  // 4. Magnitude, warm-up, decision.
  const lasted = point.at + intervalMs - runStart >= MIN_RUN_MINUTES * 60_000;
  // The magnitude is judged against the usual count of negatives (the share
  // has had its say in the surprise: it vetoes a launch).
  // The floor is twice the usual, or higher for a series whose ordinary bursts reach that (burst-floor.ts).
  const minRatio = Math.max(MIN_RATIO, burstFloor(state.bursts));
  const ratio = runObserved / Math.max(runExpected, 1e-9);
  const enough = runObserved - runExpected >= settings.minNegatives;
  const big = (lasted || ratio >= Math.max(BIG_RATIO, minRatio)) && y >= usual && ratio >= minRatio && enough;
  // On a bursty series (its learned floor above the fixed one) a single point
  // must also outgrow the single points it reaches on an ordinary day. A calm
  // series keeps the fixed floor for single points: its rare outliers must not
  // slow the one-minute alert on a sudden step.
  const pointMinRatio = minRatio > MIN_RATIO ? Math.max(minRatio, pointFloor(state.bursts)) : minRatio;
  const pointRatio = y / Math.max(usual, 1e-9);
  const bigPoint = y >= pointMinRatio * usual && y - usual >= settings.minNegatives;
  const surging = warm && ((cusum >= threshold && big) || (zPoint >= extreme && bigPoint));
  const alert = surging && armedBefore;
  const episode = surging || (state.episode && hot);
  const armed = alert ? false : armedBefore;

  // Learning: clipped to the usual ± a few deviations of the series' own
  // noise (the short-term level of a cold start also allows for its model
  // error, or it could not follow the first morning), and slowed while a
  // surge is suspected or this point alone is clearly high.
  const noise = expectation.mode === "cold" ? dispersionAt(usual) : 1 + phi * usual;
  const deviation = Math.sqrt(Math.max(usual, 0.02) * noise);
  const clipped = warm ? Math.min(Math.max(y, usual - CLIP_DEVIATIONS * deviation), usual + CLIP_DEVIATIONS * deviation) : y;
  const rate = warm && (hot || z >= Z_CAP) ? SURGE_LEARNING_RATE : 1;
  const hours = intervalMs / HOUR_MS;
  let dispersionSums = state.dispersion;
  if (expectation.mode === "seasonal") {
    const decay = Math.exp((-hours * rate) / DISPERSION_TAU_HOURS);
    const e = y - usual;
    const variance = usual * (1 + phi * usual);
    dispersionSums = {
      e2: decay * dispersionSums.e2 + rate * Math.min(e * e, CLIP_DEVIATIONS ** 2 * variance),
      mean: decay * dispersionSums.mean + rate * usual,
      mean2: decay * dispersionSums.mean2 + rate * usual * usual,
      hours: decay * dispersionSums.hours + rate * hours,
    };
  }
  let share = state.share;
  if (point.total !== undefined && !hot) {
    const decay = Math.exp(-hours / SHARE_TAU_HOURS);
    share = { negative: decay * share.negative + y, total: decay * share.total + point.total };
  }

  const recentDecay = Math.exp(-hours / RECENT_TAU_HOURS);
  const recent = { observed: recentDecay * state.recent.observed + y, expected: recentDecay * state.recent.expected + usual };
  const recentRatio = recent.observed / Math.max(recent.expected, 1e-9);
  const elevated = warm && recent.expected >= RECENT_MIN_EXPECTED && recentRatio >= NEW_LEVEL_RATIO;
  const before = state.elevation ?? { since: point.at, observed: 0, expected: 0 };
  const elevation = elevated ? { since: before.since, observed: before.observed + y, expected: before.expected + usual } : null;
  const learnt: SpikeState = {
    firstAt,
    lastAt: point.at,
    points: state.points + 1,
    interval,
    baseline: learnBaseline(state.baseline, expectation, clipped, intervalMs, rate),
    dispersion: dispersionSums,
    share,
    cusum,
    runObserved,
    runExpected,
    runStart,
    armed,
    episode,
    lastHotAt,
    elevation,
    recent,
    bursts: warm
      ? recordBurst(state.bursts, {
          localAt: point.at + offsetMs,
          inRun,
          sustainedRatio: lasted && enough && hot ? ratio : null,
          pointRatio: zPoint >= Z_CAP && y - usual >= settings.minNegatives ? pointRatio : null,
        })
      : state.bursts,
  };
  const newLevel = !alert && elevation !== null && point.at + intervalMs - elevation.since >= NEW_LEVEL_HOURS * HOUR_MS;
  const next = newLevel ? atNewLevel(learnt, elevation.observed / elevation.expected) : learnt;
  const alone = Math.max(
    countAtSurprise(extreme, usual, dispersionAt(usual)),
    pointMinRatio * usual,
    usual + settings.minNegatives,
  );
  // How close this point is to an alert, by either path: its persistence (or
  // single-point surprise) AND its magnitude, each 1 at its bar. The magnitude
  // counts from the series' ordinary rise (burst-floor.ts; the usual count
  // itself until days are learned) to the floor: without it a bursty brand's
  // ordinary daily burst, held back by its learned floor, still scored as a
  // building surge and opened a pending incident every day. A single point's
  // bar is the single-point floor, as in the alert. (The ordinary rise is at
  // most the floor / 1.2, so the span is never empty.)
  const ordinary = ordinaryRise(state.bursts);
  const towardFloor = (r: number, floor: number) => Math.max(0, (r - ordinary) / (floor - ordinary));
  const score = Math.min(
    1,
    Math.max(Math.min(cusum / threshold, towardFloor(ratio, minRatio)), Math.min(zPoint / extreme, towardFloor(pointRatio, pointMinRatio))) / 2,
  );
  return {
    state: next,
    judgement: { spike: next.episode, alert, score, baseline: usual, threshold: alone, z, cusum, mode: expectation.mode },
  };
}

/**
 * The rise has lasted NEW_LEVEL_HOURS: the baseline is rescaled by the
 * counts' ratio to their usual over the rise, and any surge under way is
 * over. An alerted one stays disarmed until `rearmMinutes` after the CUSUM
 * was last hot, as after any surge.
 */
function atNewLevel(state: SpikeState, ratio: number): SpikeState {
  return {
    ...state,
    baseline: rescaleBaseline(state.baseline, ratio),
    cusum: 0,
    runObserved: 0,
    runExpected: 0,
    episode: false,
    elevation: null,
    recent: { observed: 0, expected: 0 },
  };
}
