import { describe, expect, test } from "vitest";
import { formatIsoWeek, isoWeekOfDate, parseIsoWeek, previousWeek, weekOf, weekRange } from "../../../pipeline/reports/iso-week";

describe("iso-week", () => {
  test("parseIsoWeek() reads existing weeks and refuses week 53 of a 52-week year", () => {
    expect(parseIsoWeek("2026-W47")).toEqual({ year: 2026, week: 47 });
    expect(parseIsoWeek("2026-W53")).toEqual({ year: 2026, week: 53 }); // 2026 starts on a Thursday
    expect(parseIsoWeek("2025-W53")).toBeNull();
    expect(parseIsoWeek("2026-W00")).toBeNull();
    expect(parseIsoWeek("2026-47")).toBeNull();
  });

  test("isoWeekOfDate() puts early January days in the last week of the year before", () => {
    expect(isoWeekOfDate(2027, 1, 1)).toEqual({ year: 2026, week: 53 });
    expect(isoWeekOfDate(2027, 1, 4)).toEqual({ year: 2027, week: 1 });
    expect(previousWeek({ year: 2027, week: 1 })).toEqual({ year: 2026, week: 53 });
    expect(formatIsoWeek({ year: 2027, week: 1 })).toBe("2027-W01");
  });

  test("weekRange() starts the week at Monday 00:00 local time and keeps days local across a DST change", () => {
    const w47 = weekRange({ year: 2026, week: 47 }, "Europe/Warsaw");
    expect(new Date(w47.from).toISOString()).toBe("2026-11-15T23:00:00.000Z");
    expect(new Date(w47.to).toISOString()).toBe("2026-11-22T23:00:00.000Z");
    // 25 October 2026: Warsaw goes from CEST to CET, so that Sunday lasts 25 hours
    const w43 = weekRange({ year: 2026, week: 43 }, "Europe/Warsaw");
    expect(new Date(w43.from).toISOString()).toBe("2026-10-18T22:00:00.000Z");
    expect(w43.dayStarts[7]! - w43.dayStarts[6]!).toBe(25 * 3_600_000);
    expect(new Date(w43.to).toISOString()).toBe("2026-10-25T23:00:00.000Z");
    expect(weekRange({ year: 2026, week: 47 }, "Asia/Tokyo").from).toBe(Date.parse("2026-11-15T15:00:00Z"));
  });

  test("weekOf() answers the week of the zone's calendar, not UTC's", () => {
    const sundayNightUtc = Date.parse("2026-11-22T23:30:00Z"); // Monday 00:30 in Warsaw
    expect(weekOf(sundayNightUtc, "UTC")).toEqual({ year: 2026, week: 47 });
    expect(weekOf(sundayNightUtc, "Europe/Warsaw")).toEqual({ year: 2026, week: 48 });
  });
});
