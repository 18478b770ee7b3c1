import { map, type OperatorFunction } from "rxjs";
import type { ClosedMinute } from "./minute-buckets";
import { detectSpike, type MinutePoint, type SpikeJudgement, type SpikeSettings } from "./detect-spike";

export interface JudgedMinute {
  closed: ClosedMinute;
  judgement: SpikeJudgement;
}

/**
 * Judges each closed minute against the history of its own brand, then adds
 * it to that history (no look-ahead: a minute never sees itself or later ones).
 */
export function judgeMinutes(settings: SpikeSettings): OperatorFunction<ClosedMinute, JudgedMinute> {
  const histories = new Map<string, MinutePoint[]>();
  return map((closed) => {
    let history = histories.get(closed.brand);
    if (history === undefined) histories.set(closed.brand, (history = []));
    const judgement = detectSpike(history, closed, settings);
    history.push({ total: closed.total, negative: closed.negative });
    if (history.length > settings.baselineMinutes) history.shift();
    return { closed, judgement };
  });
}
