import { describe, expect, test } from "vitest";
import { MinuteJudge } from "../../../pipeline/spikes/judge-minutes";
import type { ClosedMinute } from "../../../pipeline/spikes/minute-buckets";

const SETTINGS = { minNegatives: 5, sensitivity: 4, baselineMinutes: 60, warmupMinutes: 30 };
const minute = (i: number, total: number, negative: number, brand = "Lumio"): ClosedMinute => ({
  brand,
  minute: i * 60_000,
  total,
  negative,
  firstNegativeId: negative > 0 ? `m${i}` : "",
});

function calmJudge(): MinuteJudge {
  const judge = new MinuteJudge(SETTINGS);
  for (let i = 0; i < 40; i++) judge.closed(minute(i, 10, 1));
  return judge;
}

describe("MinuteJudge", () => {
  test("running() raises a spike from a minute that is still open, before it closes", () => {
    const judge = calmJudge();
    expect(judge.running(minute(40, 4, 3))).toBeNull();
    expect(judge.running(minute(40, 14, 12))?.judgement.spike).toBe(true);
  });

  test("running() never adds the open minute to the baseline; closed() does", () => {
    const judge = calmJudge();
    for (let n = 0; n < 50; n++) judge.running(minute(40, 30, 25));
    // had the running minute joined the baseline 50 times, this would no longer be a spike
    expect(judge.closed(minute(40, 30, 25)).judgement.spike).toBe(true);
  });

  test("closed() keeps a separate baseline per brand", () => {
    const judge = calmJudge();
    for (let i = 0; i < 40; i++) judge.closed(minute(i, 60, 30, "Busy"));
    expect(judge.closed(minute(40, 40, 30, "Busy")).judgement.spike).toBe(false);
    expect(judge.closed(minute(40, 40, 30)).judgement.spike).toBe(true);
  });
});
