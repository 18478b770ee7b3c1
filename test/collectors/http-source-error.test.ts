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

describe("httpSourceError() with an error body", () => {
  test("httpSourceError() carries the start of the API's error body into the message", async () => {
    const { serveRecorded } = await import("../support/recorded-http");
    const { createSafeHttp } = await import("../../collectors/http");
    const server = await serveRecorded({ "/x": { status: 403, body: '{"reason": "private", "message": "Forbidden"}', contentType: "application/json" } });
    const http = createSafeHttp({ allowPrivateNetworks: ["127.0.0.1"], maxAttempts: 1 });
    try {
      const err = await http.get(server.url("/x")).catch((e: unknown) => e);
      const sourceError = httpSourceError("reddit", err);
      expect(sourceError.message).toContain("HTTP 403");
      expect(sourceError.message).toContain('"reason": "private"');
      expect(sourceError.retryable).toBe(false);
    } finally {
      await http.close();
      await server.close();
    }
  });
});
