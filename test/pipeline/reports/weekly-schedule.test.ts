import cron from "node-cron";
import { afterEach, describe, expect, test, vi } from "vitest";
import type { Logger } from "../../../collectors/source";
import { scheduledTimeThisWeekPassed, scheduleWeekly } from "../../../pipeline/reports/weekly-schedule";
import type { WeeklyRunResult } from "../../../pipeline/reports/weekly-run";

const log: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const ZONE = "Europe/Warsaw";
const result = (week: string): WeeklyRunResult => ({ week, produced: [], sent: [], failed: [], alreadySent: 0 });

afterEach(() => {
  vi.useRealTimers();
});

describe("scheduleWeekly()", () => {
  test("scheduleWeekly() runs at Monday 08:00 in the configured time zone, in virtual time", async () => {
    // node-cron 4 times its ticks with setTimeout and reads the clock with Date: both are virtual here
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });
    vi.setSystemTime(Date.parse("2026-11-22T23:30:00Z")); // Monday 00:30 in Warsaw (still Sunday in UTC)
    const runs: string[] = [];
    const schedule = scheduleWeekly({
      cron: "0 8 * * 1",
      timeZone: ZONE,
      catchUp: true,
      log,
      now: () => Date.now(),
      run: async () => {
        runs.push(new Date().toISOString());
        return result("2026-W47");
      },
    });
    try {
      expect(runs).toEqual([]); // the week's time had not come: no catch-up
      await vi.advanceTimersByTimeAsync(7 * 3_600_000 + 29 * 60_000); // Monday 07:59 in Warsaw
      expect(runs).toEqual([]);
      await vi.advanceTimersByTimeAsync(2 * 60_000); // past 08:00 in Warsaw = 07:00 UTC
      expect(runs).toHaveLength(1);
      expect(runs[0]!.startsWith("2026-11-23T07:00")).toBe(true);
      await vi.advanceTimersByTimeAsync(6 * 24 * 3_600_000); // the rest of the week: no second run
      expect(runs).toHaveLength(1);
    } finally {
      await schedule.stop();
    }
  });

  test("scheduleWeekly() catches up at start when this week's time passed while it was down, and keeps runs from overlapping", async () => {
    let release: () => void = () => {};
    let calls = 0;
    const schedule = scheduleWeekly({
      cron: "0 8 * * 1",
      timeZone: ZONE,
      catchUp: true,
      log,
      now: () => Date.parse("2026-11-23T09:30:00Z"), // Monday 10:30 in Warsaw
      run: () => {
        calls++;
        return new Promise<WeeklyRunResult>((resolve) => (release = () => resolve(result("2026-W47"))));
      },
    });
    try {
      await expect.poll(() => calls).toBe(1);
      const second = schedule.runNow(); // while the catch-up run is still going: the same run
      expect(calls).toBe(1);
      release();
      expect(await second).toEqual(result("2026-W47"));
    } finally {
      await schedule.stop();
    }
  });

  test("scheduleWeekly() logs a failed run and answers null instead of throwing", async () => {
    const errors: string[] = [];
    const schedule = scheduleWeekly({
      cron: "0 8 * * 1",
      timeZone: ZONE,
      catchUp: false,
      log: { ...log, error: (_o, m) => void errors.push(m ?? "") },
      now: () => Date.parse("2026-11-23T09:30:00Z"),
      run: () => Promise.reject(new Error("store down")),
    });
    try {
      expect(await schedule.runNow()).toBeNull();
      expect(errors).toEqual(["weekly reports failed; the next scheduled run tries again"]);
    } finally {
      await schedule.stop();
    }
  });
});

describe("scheduledTimeThisWeekPassed()", () => {
  test("scheduledTimeThisWeekPassed() reads the cron in the zone: Monday 08:00 in Warsaw is 07:00 UTC in winter", async () => {
    const task = cron.createTask("0 8 * * 1", () => {}, { timezone: ZONE });
    try {
      expect(await scheduledTimeThisWeekPassed(task, Date.parse("2026-11-23T06:59:00Z"), ZONE)).toBe(false);
      expect(await scheduledTimeThisWeekPassed(task, Date.parse("2026-11-23T07:00:00Z"), ZONE)).toBe(true);
      expect(await scheduledTimeThisWeekPassed(task, Date.parse("2026-11-29T22:59:00Z"), ZONE)).toBe(true); // Sunday 23:59
      expect(await scheduledTimeThisWeekPassed(task, Date.parse("2026-11-29T23:00:00Z"), ZONE)).toBe(false); // next Monday 00:00
    } finally {
      await task.destroy();
    }
  });
});
