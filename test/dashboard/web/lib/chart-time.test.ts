import { describe, expect, test } from "vitest";
import { chartLocale, chartTimeFormats } from "../../../../dashboard/web/lib/chart-time";

const DAY = 24 * 60 * 60_000;

describe("chartTimeFormats()", () => {
  // 23:00 UTC on 22 Nov 2026 is midnight of 23 Nov in Warsaw (CET, UTC+1) and 02:00 in Moscow (UTC+3).
  const at = Date.UTC(2026, 10, 22, 23, 0);

  test("chartTimeFormats() writes times in the given zone, not UTC", () => {
    expect(chartTimeFormats("pl-PL", "Europe/Warsaw").time(at)).toBe("00:00");
    expect(chartTimeFormats("ru-RU", "Europe/Moscow").time(at)).toBe("02:00");
    expect(chartTimeFormats("en-GB", "UTC").time(at)).toBe("23:00");
  });

  test("chartTimeFormats() ticks show the day at the zone's midnight on a span of days, else the time", () => {
    const warsaw = chartTimeFormats("pl-PL", "Europe/Warsaw");
    expect(warsaw.tick(at, 7 * DAY)).toBe("pon., 23");
    expect(warsaw.tick(at, DAY)).toBe("00:00");
    expect(warsaw.tick(at + 3_600_000, 7 * DAY)).toBe("01:00");
  });

  test("chartTimeFormats() full labels carry the day and month in the locale's words", () => {
    expect(chartTimeFormats("ru-RU", "Europe/Moscow").full(at)).toMatch(/23 нояб/);
  });
});

describe("chartLocale()", () => {
  test("chartLocale() takes the browser's regional tag for the UI language, else the UI language", () => {
    expect(chartLocale("en", ["en-GB", "pl"])).toBe("en-GB");
    expect(chartLocale("pl", ["en-GB"])).toBe("pl");
  });
});
