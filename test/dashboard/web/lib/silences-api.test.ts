import { describe, expect, test } from "vitest";
import type { SilenceView } from "../../../../dashboard/protocol";
import { RequestError } from "../../../../dashboard/web/lib/api";
import { isSilenceView } from "../../../../dashboard/web/lib/server-message";
import {
  epochToWallTime,
  refusalReason,
  SILENCE_DURATIONS_MS,
  silenceRequest,
  silenceState,
  wallTimeToEpoch,
  type SilenceForm,
} from "../../../../dashboard/web/lib/silences-api";

const SILENCE: SilenceView = {
  id: "s1",
  brand: "Lumio",
  problem: "outage",
  startsAt: 1_000,
  endsAt: 2_000,
  createdBy: "pr-team",
  reason: "<b>maintenance</b>",
  createdAt: 1_000,
};

describe("isSilenceView()", () => {
  test("isSilenceView() accepts a silence of the protocol's shape, with or without brand and problem", () => {
    expect(isSilenceView(SILENCE)).toBe(true);
    expect(isSilenceView({ ...SILENCE, brand: null, problem: null, reason: "" })).toBe(true);
  });

  test.each([
    ["a list", [SILENCE]],
    ["null", null],
    ["a numeric id", { ...SILENCE, id: 1 }],
    ["an end given as a date string", { ...SILENCE, endsAt: "2026-11-23T10:00:00Z" }],
    ["an infinite start", { ...SILENCE, startsAt: Number.POSITIVE_INFINITY }],
    ["a brand that is a number", { ...SILENCE, brand: 7 }],
    ["a missing brand", { ...SILENCE, brand: undefined }],
    ["no creator", { ...SILENCE, createdBy: undefined }],
    ["a reason that is not text", { ...SILENCE, reason: { html: "<b>x</b>" } }],
  ])("isSilenceView() refuses %s", (_what, body) => {
    expect(isSilenceView(body)).toBe(false);
  });
});

describe("refusalReason()", () => {
  test("refusalReason() gives the server's own words for a 400, without the dashboard's prefix", () => {
    expect(refusalReason(new RequestError(400, null, "a silence may last at most 90 days"))).toBe("a silence may last at most 90 days");
  });

  test("refusalReason() is null for other statuses, no answer at all, and errors that are not a request's", () => {
    expect(refusalReason(new RequestError(403, null, "this needs the responder role"))).toBeNull();
    expect(refusalReason(new RequestError(null, null, "unreachable"))).toBeNull();
    expect(refusalReason(new TypeError("boom"))).toBeNull();
  });
});

describe("silenceState()", () => {
  test("silenceState() is upcoming before a later start and active from the start on", () => {
    const later = { ...SILENCE, startsAt: 5_000 };
    expect(silenceState(later, 4_999)).toBe("upcoming");
    expect(silenceState(later, 5_000)).toBe("active");
    expect(silenceState(later, 6_000)).toBe("active");
  });

  test("silenceState() is active for one that started as it was made, even on a clock still behind that moment", () => {
    expect(silenceState(SILENCE, 990)).toBe("active");
  });
});

describe("wallTimeToEpoch()", () => {
  test.each([
    ["2026-01-15T10:00", "Europe/Warsaw", Date.UTC(2026, 0, 15, 9, 0)],
    ["2026-07-15T10:00", "Europe/Warsaw", Date.UTC(2026, 6, 15, 8, 0)],
    ["2026-11-23T09:30", "Asia/Tokyo", Date.UTC(2026, 10, 23, 0, 30)],
    ["2026-11-23T09:30", "America/New_York", Date.UTC(2026, 10, 23, 14, 30)],
    ["2026-11-23T09:30", "UTC", Date.UTC(2026, 10, 23, 9, 30)],
    ["2026-11-23T09:30:15", "Europe/Moscow", Date.UTC(2026, 10, 23, 6, 30, 15)],
  ])("wallTimeToEpoch() reads %s in %s as the zone's wall clock", (value, zone, expected) => {
    expect(wallTimeToEpoch(value, zone)).toBe(expected);
  });

  test("wallTimeToEpoch() lands right on both sides of a daylight-saving change", () => {
    // Warsaw went to summer time at 01:00 UTC on 29 March 2026.
    expect(wallTimeToEpoch("2026-03-29T01:59", "Europe/Warsaw")).toBe(Date.UTC(2026, 2, 29, 0, 59));
    expect(wallTimeToEpoch("2026-03-29T03:00", "Europe/Warsaw")).toBe(Date.UTC(2026, 2, 29, 1, 0));
    // 02:30 did not exist that night: a clock set to it shows 03:30.
    expect(wallTimeToEpoch("2026-03-29T02:30", "Europe/Warsaw")).toBe(Date.UTC(2026, 2, 29, 1, 30));
  });

  test("wallTimeToEpoch() reads a time in the browser's own zone when no zone is given", () => {
    expect(wallTimeToEpoch("2026-11-23T09:30", null)).toBe(new Date(2026, 10, 23, 9, 30).getTime());
  });

  test.each(["", "2026-11-23", "2026-02-31T10:00", "2026-13-01T10:00", "2026-11-23T24:00", "0099-01-01T10:00", "23.11.2026 10:00"])(
    "wallTimeToEpoch() refuses %j",
    (value) => {
      expect(wallTimeToEpoch(value, "Europe/Warsaw")).toBeNull();
    },
  );
});

describe("epochToWallTime()", () => {
  test("epochToWallTime() writes the zone's wall clock to the minute, as datetime-local wants it", () => {
    expect(epochToWallTime(Date.UTC(2026, 10, 23, 0, 30, 59), "Asia/Tokyo")).toBe("2026-11-23T09:30");
    expect(epochToWallTime(Date.UTC(2026, 0, 1, 23, 5), "Europe/Warsaw")).toBe("2026-01-02T00:05");
  });

  test("epochToWallTime() and wallTimeToEpoch() agree with each other in the browser's zone and a named one", () => {
    const at = Date.UTC(2026, 5, 1, 12, 34);
    for (const zone of [null, "Europe/Warsaw", "America/Los_Angeles"]) {
      expect(wallTimeToEpoch(epochToWallTime(at, zone), zone)).toBe(at);
    }
  });
});

describe("silenceRequest()", () => {
  const NOW = Date.UTC(2026, 10, 23, 12, 0);
  const FORM: SilenceForm = { brand: "Lumio", problem: "", start: "", lengthMs: 2 * 3_600_000, until: "", reason: "  planned maintenance  " };

  test("silenceRequest() mutes a brand for a length from now, leaving the start to the server", () => {
    expect(silenceRequest(FORM, NOW, "UTC")).toEqual({
      ok: true,
      request: { brand: "Lumio", problem: null, endsAt: NOW + 2 * 3_600_000, reason: "planned maintenance" },
    });
  });

  test("silenceRequest() sends null for every brand and the problem type when one is chosen, and no empty reason", () => {
    expect(silenceRequest({ ...FORM, brand: "", problem: "outage", reason: " " }, NOW, "UTC")).toEqual({
      ok: true,
      request: { brand: null, problem: "outage", endsAt: NOW + 2 * 3_600_000 },
    });
  });

  test("silenceRequest() counts the length from a later start, read in the user's zone", () => {
    const made = silenceRequest({ ...FORM, start: "2026-11-24T08:00", lengthMs: SILENCE_DURATIONS_MS[0]! }, NOW, "Europe/Warsaw");
    expect(made).toEqual({
      ok: true,
      request: { brand: "Lumio", problem: null, startsAt: Date.UTC(2026, 10, 24, 7, 0), endsAt: Date.UTC(2026, 10, 24, 7, 30), reason: "planned maintenance" },
    });
  });

  test("silenceRequest() reads a start already past as now", () => {
    expect(silenceRequest({ ...FORM, start: "2026-11-23T11:59" }, NOW, "UTC")).toEqual({
      ok: true,
      request: { brand: "Lumio", problem: null, endsAt: NOW + 2 * 3_600_000, reason: "planned maintenance" },
    });
  });

  test("silenceRequest() ends at a typed time in the user's zone", () => {
    expect(silenceRequest({ ...FORM, lengthMs: null, until: "2026-11-24T20:00" }, NOW, "Asia/Tokyo")).toEqual({
      ok: true,
      request: { brand: "Lumio", problem: null, endsAt: Date.UTC(2026, 10, 24, 11, 0), reason: "planned maintenance" },
    });
  });

  test.each([
    ["a start that is not a date", { start: "soon" }, "silences.form.startInvalid"],
    ["no end time", { lengthMs: null, until: "" }, "silences.form.untilInvalid"],
    ["an end in the past", { lengthMs: null, until: "2026-11-23T11:00" }, "silences.form.untilPast"],
    ["an end before a later start", { start: "2026-11-24T10:00", lengthMs: null, until: "2026-11-24T09:00" }, "silences.form.untilBeforeStart"],
  ] as const)("silenceRequest() names what to fix for %s", (_what, change, key) => {
    expect(silenceRequest({ ...FORM, ...change }, NOW, "UTC")).toEqual({ ok: false, key });
  });
});
