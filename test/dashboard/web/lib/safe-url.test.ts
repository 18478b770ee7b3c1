import { describe, expect, test } from "vitest";
import { safeHttpUrl } from "../../../../dashboard/web/lib/safe-url";

describe("safeHttpUrl()", () => {
  test.for([
    ["https://example.com/post/1?x=1#c", "https://example.com/post/1?x=1#c"],
    ["http://example.com", "http://example.com/"],
    ["HTTPS://Example.com/a", "https://example.com/a"],
  ])("safeHttpUrl() keeps the http(s) URL %s", ([raw, href]) => {
    expect(safeHttpUrl(raw)).toBe(href);
  });

  // Each of these would run script, show attacker markup or leave the app if it became an href.
  test.for([
    "javascript:alert(document.cookie)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "\u0000javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "blob:https://example.com/1b2c",
    "file:///etc/passwd",
    "//evil.example/path",
    "/api/me",
    "",
    "not a url",
  ])("safeHttpUrl() refuses %j", (raw) => {
    expect(safeHttpUrl(raw)).toBeNull();
  });
});
