import { fc, test as propTest } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import type { RawMention } from "../../../collectors/source";
import { normalize, type NormalizedMention } from "../../../pipeline/stages/normalize";
import type { Verdict } from "../../../pipeline/verdict";

const NOW = Date.parse("2024-05-01T12:00:00Z");
const CTX = { now: NOW, maxTextChars: 5_000 };

const raw = (fields: Partial<RawMention>): RawMention => ({ source: "rss", sourceId: "guid-1", ...fields });

const value = (v: Verdict<NormalizedMention>): NormalizedMention => {
  if (v.kind !== "ok") throw new Error(`expected ok, got ${JSON.stringify(v)}`);
  return v.value;
};
const warningTypes = (v: Verdict<NormalizedMention>): string[] => (v.kind === "ok" ? v.warnings.map((w) => w.type) : []);

describe("normalize()", () => {
  test("normalize() builds the id from source and native id and keeps the fields", () => {
    const m = value(
      normalize(
        raw({
          sourceId: "t3_abc",
          source: "reddit",
          url: "https://reddit.example/r/pl/comments/abc",
          author: { handle: "jan", name: "Jan K.", followers: 120 },
          text: "Lumio nie działa",
          publishedAt: "2024-05-01T11:59:00Z",
          lang: "pl-PL",
          rating: 2,
        }),
        CTX,
      ),
    );
    expect(m).toEqual({
      id: "reddit:t3_abc",
      source: "reddit",
      sourceId: "t3_abc",
      url: "https://reddit.example/r/pl/comments/abc",
      authorHandle: "jan",
      authorName: "Jan K.",
      authorFollowers: 120,
      title: "",
      text: "Lumio nie działa",
      publishedAt: Date.parse("2024-05-01T11:59:00Z"),
      collectedAt: NOW,
      claimedLang: "pl-pl",
      rating: 2,
    });
  });

  test("normalize() strips tags and drops script and style contents from html", () => {
    const m = value(
      normalize(
        raw({
          html: '<p>Lumio <b>nie</b> działa</p><script>alert("x")</script><style>p{color:red}</style><div>od rana</div>',
        }),
        CTX,
      ),
    );
    expect(m.text).toBe("Lumio nie działa\nod rana");
  });

  test("normalize() turns block elements into line breaks and table cells into spaces", () => {
    const m = value(normalize(raw({ html: "<ul><li>one</li><li>two</li></ul>a<br>b<table><tr><td>x</td><td>y</td></tr></table>" }), CTX));
    expect(m.text).toBe("one\ntwo\na\nb\nx y");
  });

  test("normalize() removes an html img tag with an onerror handler entirely", () => {
    const m = value(normalize(raw({ html: "Lumio <img src=x onerror=alert(1)> down" }), CTX));
    expect(m.text).toBe("Lumio down");
  });

  test("normalize() keeps markup in plain text as inert literal characters", () => {
    const m = value(normalize(raw({ text: "look: <img src=x onerror=alert(1)> lol" }), CTX));
    expect(m.text).toBe("look: <img src=x onerror=alert(1)> lol");
  });

  test("normalize() decodes entities once in html and in plain text", () => {
    expect(value(normalize(raw({ html: "<p>AT&amp;T &lt;3 Lumio &quot;ok&quot; &#x1F621; &amp;lt;</p>" }), CTX)).text).toBe(
      'AT&T <3 Lumio "ok" 😡 &lt;',
    );
    expect(value(normalize(raw({ text: "Fish &amp; chips &ndash; &#8222;tak&#8221;" }), CTX)).text).toBe("Fish & chips – „tak”");
  });

  test("normalize() leaves ampersands without a semicolon alone in plain text", () => {
    expect(value(normalize(raw({ text: "AT&T and a&notb" }), CTX)).text).toBe("AT&T and a&notb");
  });

  test("normalize() removes control characters and folds whitespace", () => {
    const m = value(normalize(raw({ text: "  Lumio\u0000\u0007  nie\t\tdziała\r\n\r\n\n  od   rana\u202E  \uFEFF" }), CTX));
    expect(m.text).toBe("Lumio nie działa\nod rana");
  });

  test("normalize() removes invisible characters inside a word so the brand name reads whole", () => {
    const m = value(normalize(raw({ text: "Lu\u200Bmio Lu\u00ADmio Lu\u200Fmio \u200ELumio\u2060 \u061CLumio" }), CTX));
    expect(m.text).toBe("Lumio Lumio Lumio Lumio Lumio");
  });

  test("normalize() keeps the zero-width joiner of an emoji sequence", () => {
    expect(value(normalize(raw({ text: "Lumio 👩\u200D💻" }), CTX)).text).toBe("Lumio 👩\u200D💻");
  });

  test("normalize() composes decomposed letters so lexicons see one character", () => {
    const m = value(normalize(raw({ text: "awarie\u0328" }), CTX));
    expect(m.text).toBe("awarię");
  });

  test("normalize() puts the title before the body and does not repeat it", () => {
    expect(value(normalize(raw({ title: "Awaria Lumio", html: "<p>Od rana brak sieci</p>" }), CTX)).text).toBe("Awaria Lumio\nOd rana brak sieci");
    expect(value(normalize(raw({ title: "Awaria Lumio", text: "Awaria Lumio w centrum" }), CTX)).text).toBe("Awaria Lumio w centrum");
    const titleOnly = value(normalize(raw({ title: "Lumio &amp; partners" }), CTX));
    expect(titleOnly).toMatchObject({ title: "Lumio & partners", text: "Lumio & partners" });
  });

  test("normalize() prefers plain text over html when a source gives both", () => {
    expect(value(normalize(raw({ text: "plain", html: "<p>markup</p>" }), CTX)).text).toBe("plain");
    expect(value(normalize(raw({ text: "  ", html: "<p>markup</p>" }), CTX)).text).toBe("markup");
  });

  test("normalize() clips text to the limit with a warning, never splitting an emoji", () => {
    const v = normalize(raw({ text: `${"a".repeat(99)}😡 tail` }), { now: NOW, maxTextChars: 100 });
    const m = value(v);
    expect(m.text).toBe("a".repeat(99));
    expect(warningTypes(v)).toContain("text-clipped");
    expect(warningTypes(normalize(raw({ text: "short", publishedAt: NOW }), CTX))).toEqual([]);
  });

  test("normalize() clips huge html and stops reading it early", () => {
    const html = `<div>${"<p>Lumio nie działa &amp; nic nie wiadomo</p>".repeat(20_000)}</div>`;
    const v = normalize(raw({ html }), { now: NOW, maxTextChars: 1_000 });
    expect(value(v).text.length).toBeLessThanOrEqual(1_000);
    expect(value(v).text.startsWith("Lumio nie działa & nic nie wiadomo\nLumio")).toBe(true);
    expect(warningTypes(v)).toContain("text-clipped");
  });

  test("normalize() parses ISO strings, zone-less ISO as UTC, epoch ms numbers and digit strings", () => {
    const at = (publishedAt: string | number) => value(normalize(raw({ text: "x", publishedAt }), CTX)).publishedAt;
    expect(at("2024-05-01T10:00:00+02:00")).toBe(Date.parse("2024-05-01T08:00:00Z"));
    expect(at("2024-05-01 10:00:00")).toBe(Date.parse("2024-05-01T10:00:00Z"));
    expect(at("Wed, 01 May 2024 10:00:00 GMT")).toBe(Date.parse("2024-05-01T10:00:00Z"));
    expect(at(1714550400000)).toBe(1714550400000);
    expect(at("1714550400000")).toBe(1714550400000);
  });

  test("normalize() uses the collection time with a warning when publishedAt is missing", () => {
    const v = normalize(raw({ text: "x" }), CTX);
    expect(value(v).publishedAt).toBe(NOW);
    expect(warningTypes(v)).toEqual(["no-published-at"]);
  });

  test("normalize() quarantines an unparseable or epoch-seconds publishedAt", () => {
    for (const publishedAt of ["yesterday-ish", "2024-13-45T99:00:00Z", 1714550400, Number.NaN, -5]) {
      expect(normalize(raw({ text: "x", publishedAt }), CTX)).toMatchObject({ kind: "quarantine", stage: "normalize", reason: "bad-published-at" });
    }
  });

  test("normalize() clamps a publishedAt far in the future to now with a warning", () => {
    const v = normalize(raw({ text: "x", publishedAt: NOW + 60 * 60_000 }), CTX);
    expect(value(v).publishedAt).toBe(NOW);
    expect(warningTypes(v)).toEqual(["future-published-at"]);
  });

  test("normalize() accepts a publishedAt a little ahead of now as clock skew", () => {
    const v = normalize(raw({ text: "x", publishedAt: NOW + 2 * 60_000 }), CTX);
    expect(value(v).publishedAt).toBe(NOW + 2 * 60_000);
    expect(warningTypes(v)).toEqual([]);
  });

  test("normalize() quarantines empty text, missing source or source id, and non-objects", () => {
    expect(normalize(raw({ text: " \n\t ", html: "<script>x()</script>" }), CTX)).toMatchObject({ kind: "quarantine", reason: "empty-text" });
    expect(normalize(raw({ source: "", text: "x" }), CTX)).toMatchObject({ kind: "quarantine", reason: "missing-source" });
    expect(normalize(raw({ sourceId: "  ", text: "x" }), CTX)).toMatchObject({ kind: "quarantine", reason: "missing-source-id" });
    expect(normalize(null as unknown as RawMention, CTX)).toMatchObject({ kind: "quarantine", reason: "not-an-object" });
  });

  test("normalize() keeps the raw item in the quarantine verdict", () => {
    const input = raw({ text: "" });
    expect(normalize(input, CTX)).toMatchObject({ kind: "quarantine", input });
  });

  test("normalize() defaults author fields and drops bad followers, ratings and urls", () => {
    const m = value(normalize(raw({ text: "x", author: { followers: -3 }, rating: 7, url: "javascript:alert(1)" }), CTX));
    expect(m).toMatchObject({ authorHandle: "", authorName: "", authorFollowers: 0, rating: null, url: "", claimedLang: "" });
    expect(value(normalize(raw({ text: "x", rating: 0 }), CTX)).rating).toBeNull();
    expect(value(normalize(raw({ text: "x", rating: 4.5 }), CTX)).rating).toBe(4.5);
    expect(value(normalize(raw({ text: "x", url: "data:text/html,hi" }), CTX)).url).toBe("");
    expect(value(normalize(raw({ text: "x", url: "not a url" }), CTX)).url).toBe("");
    expect(value(normalize(raw({ text: "x", url: "http://lumio.example/a b" }), CTX)).url).toBe("http://lumio.example/a%20b");
  });

  test("normalize() caps a follower count past 2^53, which JSON would write as 1e+30", () => {
    expect(value(normalize(raw({ text: "Lumio", author: { followers: 1e30 } }), CTX)).authorFollowers).toBe(Number.MAX_SAFE_INTEGER);
  });

  test("normalize() survives fields of the wrong type from an untrusted import", () => {
    const hostile = {
      source: "webhook",
      sourceId: 42,
      text: ["not", "a", "string"],
      title: "Lumio",
      author: "someone",
      rating: "5",
      url: { href: "https://x" },
      lang: 7,
    } as unknown as RawMention;
    expect(value(normalize(hostile, CTX))).toMatchObject({ id: "webhook:42", text: "Lumio", authorHandle: "", rating: null, url: "", claimedLang: "" });
  });
});

// Any string in any field, including lone surrogates and control characters,
// and markup up to 200k characters: the stage answers with a verdict and keeps to the limit.
const anyText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 300 }),
  fc.string({ unit: fc.constantFrom("<", ">", "&", ";", "#", "x", "/", "\"", "=", " ", "\n", "\uD800", "\uDC00", "😡", "ą", "<script>", "</p>", "&amp;", "&#"), maxLength: 300 }),
);
const hugeHtml = fc
  .tuple(fc.constantFrom("<p>", "<script>", "<div><b>", "&amp;", "<!--", "<![CDATA[", "<style>", "Lumio ", "ą ", "😡"), fc.integer({ min: 10_000, max: 40_000 }))
  .map(([chunk, n]) => chunk.repeat(n).slice(0, 200_000));

describe("normalize() on arbitrary input", () => {
  propTest.prop([anyText, anyText, anyText, fc.oneof(fc.string(), fc.double(), fc.integer()), fc.integer({ min: 1, max: 400 })])(
    "normalize() never throws and respects the limit for arbitrary strings",
    (text, html, title, publishedAt, maxTextChars) => {
      const v = normalize(raw({ text, html, title, publishedAt }), { now: NOW, maxTextChars });
      expect(["ok", "quarantine"]).toContain(v.kind);
      // The catch-all in normalize() is a net, not the plan: arbitrary strings must not reach it.
      if (v.kind === "quarantine") expect(v.reason).not.toBe("internal-error");
      if (v.kind === "ok") {
        expect(v.value.text.length).toBeLessThanOrEqual(maxTextChars);
        expect(v.value.text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
        expect(v.value.text).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
        expect(v.value.text).toBe(v.value.text.trim());
      }
    },
  );

  propTest.prop([hugeHtml], { numRuns: 20 })("normalize() never throws and respects the limit for huge html", (html) => {
    const v = normalize(raw({ html }), { now: NOW, maxTextChars: 5_000 });
    expect(["ok", "quarantine"]).toContain(v.kind);
    if (v.kind === "ok") expect(v.value.text.length).toBeLessThanOrEqual(5_000);
  });

  propTest.prop([fc.anything()], { numRuns: 200 })("normalize() never throws for any value at all", (input) => {
    const v = normalize(input as RawMention, CTX);
    expect(["ok", "quarantine"]).toContain(v.kind);
    if (v.kind === "quarantine") expect(v.reason).not.toBe("internal-error");
  });
});
