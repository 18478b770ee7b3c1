import { describe, expect, test } from "vitest";
import { failureFor, isRetryLaterError, maskedUrl, noticeRetryDelayMs, RetryLaterError } from "../../../pipeline/alerts/http-reply";
import { isNotifierError, NotifierError } from "../../../pipeline/errors";

describe("noticeRetryDelayMs()", () => {
  test("noticeRetryDelayMs() waits what the server asked, never less than the back-off, capped", () => {
    expect(noticeRetryDelayMs(new RetryLaterError("telegram", "flood", 17_000, 429), 1, 1_000)).toBe(17_000);
    expect(noticeRetryDelayMs(new RetryLaterError("telegram", "flood", 0, 429), 1, 1_000)).toBe(1_000);
    expect(noticeRetryDelayMs(new RetryLaterError("telegram", "flood", 86_400_000, 429), 1, 1_000)).toBe(120_000);
  });

  test("noticeRetryDelayMs() doubles the back-off per failed attempt otherwise", () => {
    const err = new NotifierError("slack", "HTTP 503", true, 503);
    expect([1, 2, 3].map((n) => noticeRetryDelayMs(err, n, 1_000))).toEqual([1_000, 2_000, 4_000]);
  });
});

describe("RetryLaterError", () => {
  test("RetryLaterError is a retryable NotifierError", () => {
    const err = new RetryLaterError("slack", "later", 5_000, 429);
    expect([isNotifierError(err), isRetryLaterError(err), err.retryable, err.name]).toEqual([true, true, true, "NotifierError"]);
    expect(isRetryLaterError(new NotifierError("slack", "x", true))).toBe(false);
  });
});

describe("failureFor()", () => {
  test("failureFor() reads Retry-After as seconds or as an HTTP date", () => {
    const now = Date.UTC(2026, 10, 23, 12, 0, 0);
    const secs = failureFor("x", "t", { status: 429, headers: { "retry-after": "3" }, text: "" }, now);
    const date = failureFor("x", "t", { status: 429, headers: { "retry-after": "Mon, 23 Nov 2026 12:00:10 GMT" }, text: "" }, now);
    expect([isRetryLaterError(secs) && secs.retryAfterMs, isRetryLaterError(date) && date.retryAfterMs]).toEqual([3_000, 10_000]);
  });

  test("failureFor() keeps one short line of the body", () => {
    const err = failureFor("x", "https://h/p", { status: 400, headers: {}, text: `  bad\n\n${"y".repeat(500)}` });
    expect(err.message).toMatch(/^\[earshot\] \[x\] POST https:\/\/h\/p answered HTTP 400: bad y+…$/);
    expect(err.message.length).toBeLessThan(260);
  });
});

describe("maskedUrl()", () => {
  test("maskedUrl() hides the path after the visible segments, in the target and in messages", () => {
    const { target, scrub } = maskedUrl("https://hooks.slack.com/services/T0001/B0002/SECRETtoken123?x=1", 1);
    expect(target).toBe("https://hooks.slack.com/services/…");
    expect(scrub("request to https://hooks.slack.com/services/T0001/B0002/SECRETtoken123 timed out")).toBe(
      "request to https://hooks.slack.com/services/… timed out",
    );
    expect(scrub("token SECRETtoken123 leaked")).toBe("token … leaked");
  });
});
