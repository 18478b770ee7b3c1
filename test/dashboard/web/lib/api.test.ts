import { describe, expect, test } from "vitest";
import { failureNotice, RequestError } from "../../../../dashboard/web/lib/api";

describe("failureNotice", () => {
  test("failureNotice() names the HTTP status when the server answered", () => {
    expect(failureNotice(new RequestError(503, null, "down"), "stream.loadFailed", "stream.loadNetwork")).toEqual({
      key: "stream.loadFailed",
      params: { status: 503 },
    });
  });

  test("failureNotice() says the server could not be reached when there was no answer, or the error is not a request's", () => {
    expect(failureNotice(new RequestError(null, null, "unreachable"), "stream.loadFailed", "stream.loadNetwork")).toEqual({ key: "stream.loadNetwork" });
    expect(failureNotice(new TypeError("boom"), "stream.loadFailed", "stream.loadNetwork")).toEqual({ key: "stream.loadNetwork" });
  });
});
