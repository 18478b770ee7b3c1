import { fc, test as propTest } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import { compileQuery, type CompileOptions, type MatchSubject } from "../../../../pipeline/stages/brand-query/compile-query";

const subject = (text: string, more: Partial<MatchSubject> = {}): MatchSubject => ({
  text,
  title: "",
  source: "rss",
  authorHandle: "",
  authorName: "",
  claimedLang: "",
  ...more,
});

function compiled(query: string, options?: CompileOptions) {
  const c = compileQuery(query, options);
  if (!c.ok) throw new Error(c.error.display);
  return c.query;
}

const matches = (query: string, text: string, more?: Partial<MatchSubject>, options?: CompileOptions): boolean =>
  compiled(query, options).matches(subject(text, more));

describe("compileQuery() boolean logic", () => {
  test.each([
    ["Orlen OR Lotos", "tankuję na Lotosie", true],
    ["Orlen OR Lotos", "tankuję na Shellu", false],
    ["Orlen Lotos", "Orlen kupił Lotos", true],
    ["Orlen Lotos", "Orlen kupił Shella", false],
    ["Orlen AND Lotos", "Lotos", false],
    ["Orlen -Orleans", "Orlen i Orleans", false],
    ["Orlen NOT (Orleans OR Lyon)", "Orlen w Paryżu", true],
    ["Orlen NOT (Orleans OR Lyon)", "Orlen w Lyonie", false], // excluded terms inflect too
    ["Orlen NOT (Orleans OR Lyon)", "Orlen w Lyon", false],
    ["(Orlen OR Lotos) AND (awaria OR cena)", "awaria na stacji Lotosu", true],
    ["(Orlen OR Lotos) AND (awaria OR cena)", "Lotos jest super", false],
    ["NOT Orlen", "Shell", true],
    ["NOT Orlen", "Orlen", false],
    ['"stacja paliw"', "ta stacja   paliw", true],
    ['"stacja paliw"', "stacja, paliw", false],
    ['"stacja paliw" Orlen', "stacji paliw Orlenu", true], // each word of a phrase inflects
  ])("compileQuery(%j) on %j is %s", (query, text, expected) => {
    expect(matches(query, text)).toBe(expected);
  });
});

describe("compileQuery() term forms", () => {
  test("compileQuery() takes any ending after * and keeps the word start", () => {
    expect(matches("Orlen*", "Orlenowski")).toBe(true);
    expect(matches("Orlen*", "Korlenowski")).toBe(false);
    expect(matches("Люмио*", "Lyumioshny")).toBe(true); // the prefix is transliterated too
  });

  test("compileQuery() with = takes only the form as written, with its diacritics", () => {
    expect(matches("=Orlen", "Orlen")).toBe(true);
    expect(matches("=Orlen", "Orlenie")).toBe(false);
    expect(matches("=Orlen", "Орлен")).toBe(false);
    expect(matches("=Żabka", "Zabka")).toBe(false);
  });

  test("compileQuery() with braces is case-sensitive and still inflects", () => {
    expect(matches("{BT}", "BT is down")).toBe(true);
    expect(matches("{BT}", "bt is down")).toBe(false);
    expect(matches("{Orlen}", "w Orlenie")).toBe(true);
    expect(matches("{Orlen}", "w orlenie")).toBe(false);
    expect(matches("{Żabka}", "w Zabce")).toBe(true);
  });

  test("compileQuery() treats regex characters in terms literally", () => {
    expect(matches('"C++"', "I write C++ daily")).toBe(true);
    expect(matches("a.b", "aXb")).toBe(false);
    expect(matches("a.b", "try a.b now")).toBe(true);
    expect(matches('"(x)"', "(x) marks")).toBe(true);
  });

  test("compileQuery() matches whole words at any non-letter boundary", () => {
    for (const text of ["#orlen", "@orlen_pl", "orlen.pl", "Orlen's", "(Orlen)", "ORLEN-u"]) expect(matches("Orlen", text), text).toBe(true);
    for (const text of ["Orlen2", "KOrlen", "Orleny2"]) expect(matches("Orlen", text), text).toBe(false);
  });
});

describe("compileQuery() diacritics", () => {
  test.each([
    // mode, term, text, expected
    ["ascii-too", "Żabka", "Zabka", true],
    ["ascii-too", "Żabka", "Żabka", true],
    ["ascii-too", "Żabka", "Źabka", false],
    ["ascii-too", "Zabka", "Żabka", false],
    ["ascii-too", "Ёлка", "Елка", true],
    ["strict", "Żabka", "Zabka", false],
    ["strict", "Żabka", "Żabce", true],
    ["ignore", "Zabka", "Żabka", true],
    ["ignore", "Zabka", "Żabce", true],
    ["ignore", "Łódź", "lodz", true],
  ] as const)("compileQuery() in %s mode: %s on %s is %s", (mode, term, text, expected) => {
    expect(matches(term, text, {}, { diacritics: mode })).toBe(expected);
  });
});

describe("compileQuery() fields", () => {
  test("compileQuery() filters by language, detecting it only when needed", () => {
    expect(matches("Orlen lang:pl", "Orlen znowu podniósł ceny, nie da się tankować")).toBe(true);
    expect(matches("Orlen lang:pl", "Orlen raised prices again, this is the worst")).toBe(false);
    expect(matches("Orlen lang:en,pl", "Orlen raised prices again, this is the worst")).toBe(true);
    expect(matches("Orlen lang:ru", "Orlen", { lang: "ru" })).toBe(true);
    expect(matches("Орлен lang:ru", "Орлен опять поднял цены")).toBe(true);
  });

  test("compileQuery() filters by source with an optional * and by author handle or name", () => {
    expect(matches("Orlen source:reddit", "Orlen", { source: "reddit" })).toBe(true);
    expect(matches("Orlen source:reddit", "Orlen", { source: "rss" })).toBe(false);
    expect(matches("Orlen source:google*", "Orlen", { source: "google-play" })).toBe(true);
    expect(matches("Orlen -author:@orlen_pl", "Orlen", { authorHandle: "@Orlen_PL" })).toBe(false);
    expect(matches('Orlen author:"Jan Kowalski"', "Orlen", { authorName: "Jan Kowalski" })).toBe(true);
  });

  test("compileQuery() with title: looks only at the title", () => {
    const q = compiled("title:Orlen awaria");
    expect(q.prefilter).not.toBeNull(); // "awaria" is still required in the text
    expect(q.matches(subject("Orlenu awaria\nawaria", { title: "Orlenu awaria" }))).toBe(true);
    expect(q.matches(subject("Awaria\nOrlen ma awarię", { title: "Awaria" }))).toBe(false);
  });
});

describe("compileQuery() prefilter and explanations", () => {
  test("compileQuery() has no prefilter when a query can match without any of its terms", () => {
    expect(compiled("NOT Orlen").prefilter).toBeNull();
    expect(compiled("source:reddit").prefilter).toBeNull();
    expect(compiled("Orlen OR source:reddit").prefilter).toBeNull();
    expect(compiled("Orlen OR Lotos").prefilter).not.toBeNull();
    expect(compiled("source:reddit").matches(subject("anything", { source: "reddit" }))).toBe(true);
  });

  test("matchedTerms() lists the positive terms found, not the excluded ones", () => {
    const q = compiled('(Orlen OR Lotos OR "stacja paliw") -Shell');
    expect(q.matchedTerms(subject("Lotos i Orlen"))).toEqual(["Orlen", "Lotos"]);
    expect(compiled("Orlen -Shell").matchedTerms(subject("Orlen Shell"))).toEqual(["Orlen"]);
  });

  test("explain() names the clause, the form found and the rule behind it", () => {
    const tree = compiled("(Orlen OR Lotos) -Orleans").explain(subject("Tankuję na Orlenie"));
    expect(tree).toMatchObject({
      clause: "AND",
      result: true,
      children: [
        { clause: "OR", result: true, children: [{ clause: "Orlen", result: true }, { clause: "Lotos", result: false }] },
        { clause: "NOT", result: true, children: [{ clause: "Orleans", result: false }] },
      ],
    });
    expect(tree.children[0]!.children[0]!.detail).toBe('found "Orlenie" at character 12 of the text, inflected (pl) — pl: masculine hard stem');
  });

  test("explain() says when the quick scan found none of the terms", () => {
    expect(compiled("Orlen").explain(subject("Orleans"))).toMatchObject({ clause: "(quick scan)", result: false });
  });

  test("explain() names a transliteration", () => {
    const tree = compiled("Яндекс").explain(subject("Awaria w Yandexie"));
    expect(tree.detail).toContain('found "Yandexie"');
    expect(tree.detail).toContain("transliterated to Latin, inflected (pl)");
  });
});

describe("compileQuery() on arbitrary input", () => {
  const orlen = compiled('(Orlen OR Żabka OR Сбербанк OR "stacja paliw" OR C++ OR {BT} OR x*) -Orleans lang:pl,ru,en,uk,und');

  propTest.prop([fc.string({ unit: "binary", maxLength: 300 })])("compileQuery() never throws and either compiles or gives an error with a caret", (query) => {
    const c = compileQuery(query);
    if (!c.ok) expect(c.error.display).toContain("^");
  });

  propTest.prop([fc.string({ unit: "binary", maxLength: 500 }), fc.string({ maxLength: 40 })])("matches() and explain() never throw on any text", (text, title) => {
    const s = subject(text, { title });
    expect(typeof orlen.matches(s)).toBe("boolean");
    expect(Array.isArray(orlen.matchedTerms(s))).toBe(true);
    expect(typeof orlen.explain(s).result).toBe("boolean");
  });

  propTest.prop([fc.string({ unit: "binary", minLength: 1, maxLength: 200 })])("a compiled query never throws when matched against its own text", (query) => {
    const c = compileQuery(query);
    if (c.ok) expect(typeof c.query.matches(subject(query))).toBe("boolean");
  });
});
