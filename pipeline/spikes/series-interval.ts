/**
 * A series' regular interval, read from its timestamps: the median of the
 * last few gaps. A missing point doubles one gap and a late one shortens
 * another; the median ignores both, where the last gap or the mean would not.
 */
export interface IntervalState {
  /** Current estimate, ms (one minute until the first gap is seen). */
  readonly ms: number;
  readonly gaps: readonly number[];
}

const KEEP = 9;
const FIRST_GUESS_MS = 60_000;

export function initialInterval(): IntervalState {
  return { ms: FIRST_GUESS_MS, gaps: [] };
}

export function observeInterval(state: IntervalState, gapMs: number): IntervalState {
  const gaps = [...state.gaps.slice(-(KEEP - 1)), gapMs];
  const sorted = [...gaps].sort((a, b) => a - b);
  // The lower median: with two gaps of which one spans a missing point, the real interval wins.
  return { ms: sorted[(sorted.length - 1) >> 1]!, gaps };
}
