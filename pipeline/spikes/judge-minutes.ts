import { map, type OperatorFunction } from "rxjs";
import type { ClosedMinute } from "./minute-buckets";
import { detectSpike, type MinutePoint, type SpikeJudgement, type SpikeSettings } from "./detect-spike";

export interface JudgedMinute {
  closed: ClosedMinute;
  judgement: SpikeJudgement;
}

/**
 * Judges minutes against the history of their own brand (no look-ahead: a
 * minute never sees itself or later ones).
 *
 * A closed minute is judged and then joins the history. A RUNNING minute is
 * judged without joining it: its counts only grow, so once the negatives of a
 * minute that is still open are past the threshold, waiting for the minute to
 * close would only delay the alarm.
 */
export class MinuteJudge {
  readonly #histories = new Map<string, MinutePoint[]>();
  readonly #settings: SpikeSettings;

  constructor(settings: SpikeSettings) {
    this.#settings = settings;
  }

  closed(minute: ClosedMinute): JudgedMinute {
    const history = this.#history(minute.brand);
    const judgement = detectSpike(history, minute, this.#settings);
    history.push({ total: minute.total, negative: minute.negative });
    if (history.length > this.#settings.baselineMinutes) history.shift();
    return { closed: minute, judgement };
  }

  /** Judges an open minute; only a spike is worth reporting (null otherwise). */
  running(minute: ClosedMinute): JudgedMinute | null {
    if (minute.negative < this.#settings.minNegatives) return null; // the cheap check first: most minutes stop here
    const judgement = detectSpike(this.#history(minute.brand), minute, this.#settings);
    return judgement.spike ? { closed: minute, judgement } : null;
  }

  #history(brand: string): MinutePoint[] {
    let history = this.#histories.get(brand);
    if (history === undefined) this.#histories.set(brand, (history = []));
    return history;
  }
}

/** Judges each closed minute (see MinuteJudge). */
export function judgeMinutes(settings: SpikeSettings): OperatorFunction<ClosedMinute, JudgedMinute> {
  const judge = new MinuteJudge(settings);
  return map((closed) => judge.closed(closed));
}
