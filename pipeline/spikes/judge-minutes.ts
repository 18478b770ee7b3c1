import { map, type OperatorFunction } from "rxjs";
import type { ClosedMinute } from "./minute-buckets";
import { detectSpike, initialSpikeState, type SpikeSettings, type SpikeState, type SurgeJudgement } from "./detect-spike";

export interface JudgedMinute {
  closed: ClosedMinute;
  judgement: SurgeJudgement;
}

/**
 * Judges minutes against the history of their own brand (no look-ahead: a
 * minute never sees itself or later ones). One detector state per brand.
 *
 * A closed minute is judged and its new state kept. A RUNNING minute is
 * judged and its state thrown away: its counts only grow, so once a minute
 * that is still open is a spike, waiting for the minute to close would only
 * delay the alarm — and the detector is pure, so judging it changes nothing.
 * Minutes before it that are still open too (late mentions are waited for)
 * are judged first, tentatively, with their latest running counts: a surge
 * that builds over two minutes is then seen in the second one's posts, not
 * only when the first one closes.
 */
export class MinuteJudge {
  readonly #states = new Map<string, SpikeState>();
  /** Latest running count of each minute still open, by brand then minute. */
  readonly #open = new Map<string, Map<number, ClosedMinute>>();
  readonly #settings: SpikeSettings;
  readonly #settingsOf: (brand: string) => SpikeSettings;

  /** `sensitivityOf` gives a brand's own sensitivity (undefined: the shared one). */
  constructor(settings: SpikeSettings, sensitivityOf: (brand: string) => number | undefined = () => undefined) {
    this.#settings = settings;
    const perBrand = new Map<string, SpikeSettings>();
    this.#settingsOf = (brand) => {
      let s = perBrand.get(brand);
      if (s === undefined) {
        const sensitivity = sensitivityOf(brand);
        s = sensitivity === undefined ? settings : { ...settings, sensitivity };
        perBrand.set(brand, s);
      }
      return s;
    };
  }

  closed(minute: ClosedMinute): JudgedMinute {
    const state = this.#states.get(minute.brand) ?? initialSpikeState();
    const judged = detectSpike(state, point(minute), this.#settingsOf(minute.brand));
    this.#states.set(minute.brand, judged.state);
    const open = this.#open.get(minute.brand);
    if (open !== undefined) for (const at of open.keys()) if (at <= minute.minute) open.delete(at);
    return { closed: minute, judgement: judged.judgement };
  }

  /** The brands judged so far, with the state of each as of its last closed minute (to be saved: detector-snapshot.ts). */
  states(): ReadonlyMap<string, SpikeState> {
    return this.#states;
  }

  /** Takes a brand's saved state as its own, as if it had judged the minutes that built it. */
  restore(brand: string, state: SpikeState): void {
    this.#states.set(brand, state);
  }

  /** Judges an open minute; only a spike is worth reporting (null otherwise). */
  running(minute: ClosedMinute): JudgedMinute | null {
    let open = this.#open.get(minute.brand);
    if (open === undefined) this.#open.set(minute.brand, (open = new Map()));
    open.set(minute.minute, minute);
    if (minute.negative < this.#settings.minNegatives) return null; // the cheap check first: most minutes stop here
    const settings = this.#settingsOf(minute.brand);
    let state = this.#states.get(minute.brand) ?? initialSpikeState();
    for (const earlier of [...open.values()].filter((m) => m.minute < minute.minute).sort((a, b) => a.minute - b.minute)) {
      if (state.lastAt === null || earlier.minute > state.lastAt) state = detectSpike(state, point(earlier), settings).state;
    }
    if (state.lastAt !== null && minute.minute <= state.lastAt) return null;
    const { judgement } = detectSpike(state, point(minute), settings);
    return judgement.spike ? { closed: minute, judgement } : null;
  }
}

const point = (m: ClosedMinute) => ({ at: m.minute, negative: m.negative, total: m.total });

/** Judges each closed minute (see MinuteJudge). */
export function judgeMinutes(settings: SpikeSettings): OperatorFunction<ClosedMinute, JudgedMinute> {
  const judge = new MinuteJudge(settings);
  return map((closed) => judge.closed(closed));
}
