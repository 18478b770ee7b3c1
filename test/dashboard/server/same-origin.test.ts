import { describe, expect, test } from "vitest";
import { isSameOrigin } from "../../../dashboard/server/same-origin";

describe("isSameOrigin()", () => {
  test.each([
    [{ host: "127.0.0.1:8787" }, true],
    [{ host: "127.0.0.1:8787", origin: "http://127.0.0.1:8787" }, true],
    [{ host: "earshot.example.com", origin: "https://earshot.example.com" }, true],
    [{ host: "Earshot.Example.com", origin: "https://earshot.example.com" }, true],
    [{ host: "earshot.example.com:80", origin: "http://earshot.example.com" }, true],
    [{ host: "127.0.0.1:8787", origin: "http://127.0.0.1:8788" }, false],
    [{ host: "earshot.example.com", origin: "https://evil.example" }, false],
    [{ host: "earshot.example.com", origin: "https://earshot.example.com.evil.example" }, false],
    [{ host: "earshot.example.com", origin: "null" }, false],
    [{ host: "earshot.example.com", origin: "file://earshot.example.com" }, false],
    [{ origin: "http://127.0.0.1:8787" }, false],
  ])("isSameOrigin(%o) is %s", (headers, expected) => {
    expect(isSameOrigin(headers)).toBe(expected);
  });
});
