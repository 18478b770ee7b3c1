import { describe, expect, test } from "vitest";
import { clip, escapeHtml, escapeSlack, escapeTelegramHtml } from "../../../pipeline/alerts/escape";

describe("escape", () => {
  test("escapeHtml() escapes the five characters that matter in text and attributes", () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;");
  });

  test("escapeTelegramHtml() and escapeSlack() escape only <, > and &", () => {
    for (const escape of [escapeTelegramHtml, escapeSlack]) expect(escape(`<!here> "a" & 'b'`)).toBe(`&lt;!here&gt; "a" &amp; 'b'`);
  });

  test("clip() cuts by code points and marks the cut", () => {
    expect(clip("🔴🔴🔴", 3)).toBe("🔴🔴🔴");
    expect(clip("🔴🔴🔴🔴", 3)).toBe("🔴🔴…");
    expect(clip("abc", 10)).toBe("abc");
  });
});
