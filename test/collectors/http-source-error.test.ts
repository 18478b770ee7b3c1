import { describe, expect, test } from "vitest";
import { HttpError } from "../../collectors/http";
import { httpSourceError } from "../../collectors/http-source-error";

describe("httpSourceError()", () => {
  test("httpSourceError() keeps an HttpError's message, retryability and the error as cause", () => {
    const cause = new HttpError("status", "HTTP 503 from https://example.com/feed", "https://example.com/feed", true, { status: 503 });
    const err = httpSourceError("rss", cause);
    expect(err).toMatchObject({ name: "SourceError", source: "rss", retryable: true, message: "[earshot] [rss] HTTP 503 from https://example.com/feed" });
    expect(err.cause).toBe(cause);
  });

  test("httpSourceError() treats an unexpected error as retryable", () => {
    const err = httpSourceError("rss", new TypeError("socket hang up"));
    expect(err).toMatchObject({ retryable: true, message: "[earshot] [rss] request failed: socket hang up" });
  });
});
