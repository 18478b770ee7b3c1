import { fc, test as propTest } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import { isConfigError } from "../../../pipeline/errors";
import { compileBrands, matchBrands, type BrandedMention } from "../../../pipeline/stages/match-brands";
import type { NormalizedMention } from "../../../pipeline/stages/normalize";
import type { Verdict } from "../../../pipeline/verdict";

const mention = (text: string): NormalizedMention => ({
  id: "rss:1",
  source: "rss",
  sourceId: "1",
  url: "https://lumio.example/1",
  authorHandle: "jan",
  authorName: "Jan",
  authorFollowers: 10,
  title: "",
  text,
  publishedAt: 1_714_550_400_000,
  collectedAt: 1_714_550_400_000,
  claimedLang: "",
  rating: null,
});

const LUMIO = compileBrands([{ name: "Lumio", terms: ["Lumio", "Люмио*", "Lumio Fiber"], exclude: ["lumio lamp*"] }]);

const brandOf = (v: Verdict<BrandedMention>): string | null => (v.kind === "ok" ? v.value.brand : null);
const termsOf = (v: Verdict<BrandedMention>): string[] => (v.kind === "ok" ? v.value.matchedTerms : []);

describe("matchBrands()", () => {
  test.each([
    "Lumio nie działa",
    "lumio nie działa",
    "LUMIO IS DOWN",
    "co z Lumio, ktoś wie?",
    "#lumio #awaria",
    "@lumio odpiszcie",
    "Lumio's support is great",
    "Lumio’s app",
    "(Lumio)",
    "znowu lumio.pl leży",
    "@lumio_support any news?",
    "Lumio-Box restarts",
    "end: Lumio",
  ])("matchBrands() finds Lumio as a whole word in %j", (text) => {
    expect(brandOf(matchBrands(mention(text), LUMIO))).toBe("Lumio");
  });

  test.each(["Lumiosity is a game", "Lumio2 router", "ilumio", "Illumination", "L u m i o"])(
    "matchBrands() drops %j where the term is only part of a word",
    (text) => {
      expect(matchBrands(mention(text), LUMIO)).toEqual({ kind: "drop", reason: "no-brand" });
    },
  );

  test("matchBrands() matches a starred Cyrillic term with any ending and any case", () => {
    for (const text of ["Люмио опять лежит", "у ЛЮМИО опять авария", "Люмиошный роутер сгорел", "#люмио"]) {
      const v = matchBrands(mention(text), LUMIO);
      expect(brandOf(v)).toBe("Lumio");
      expect(termsOf(v)).toEqual(["Люмио*"]);
    }
  });

  test("matchBrands() does not let a starred term match inside another word", () => {
    expect(brandOf(matchBrands(mention("Пролюмио"), LUMIO))).toBeNull();
  });

  test("matchBrands() matches a phrase across any whitespace and keeps every matched term", () => {
    const v = matchBrands(mention("Lumio\n  Fiber znowu padł"), LUMIO);
    expect(termsOf(v)).toEqual(["Lumio", "Lumio Fiber"]);
  });

  test("matchBrands() rules a brand out when an exclusion appears anywhere", () => {
    expect(matchBrands(mention("Nowa Lumio Lampa w promocji"), LUMIO)).toEqual({ kind: "drop", reason: "no-brand" });
    expect(matchBrands(mention("lumio lamps are cheap"), LUMIO)).toEqual({ kind: "drop", reason: "no-brand" });
    expect(brandOf(matchBrands(mention("Lumio: światło w lampie miga"), LUMIO))).toBe("Lumio");
  });

  test("matchBrands() gives the mention to the first configured brand and names the others in a warning", () => {
    const matcher = compileBrands([
      { name: "Lumio", terms: ["Lumio"] },
      { name: "Netto", terms: ["Netto", "NetMobile"] },
    ]);
    const v = matchBrands(mention("Netto lepsze niż Lumio"), matcher);
    expect(v).toMatchObject({ kind: "ok", value: { brand: "Lumio", matchedTerms: ["Lumio"] }, warnings: [{ type: "several-brands", detail: "Netto" }] });
  });

  test("matchBrands() falls through to the next brand when the first is excluded", () => {
    const matcher = compileBrands([
      { name: "Lumio", terms: ["Lumio"], exclude: ["lampa"] },
      { name: "Netto", terms: ["Netto"] },
    ]);
    expect(brandOf(matchBrands(mention("Lumio lampa i Netto"), matcher))).toBe("Netto");
  });

  test("matchBrands() treats regex characters in terms literally", () => {
    const matcher = compileBrands([{ name: "Plus", terms: ["C++", "a.b", "(x)"] }]);
    expect(termsOf(matchBrands(mention("I write C++ daily"), matcher))).toEqual(["C++"]);
    expect(termsOf(matchBrands(mention("try a.b now"), matcher))).toEqual(["a.b"]);
    expect(matchBrands(mention("aXb"), matcher).kind).toBe("drop");
  });

  test("matchBrands() copies every mention field and adds brand and terms", () => {
    const m = mention("Lumio działa");
    const v = matchBrands(m, LUMIO);
    expect(v).toEqual({ kind: "ok", value: { ...m, brand: "Lumio", matchedTerms: ["Lumio"] }, warnings: [] });
  });

  test("compileBrands() refuses a term with nothing to match", () => {
    let error: unknown;
    try {
      compileBrands([{ name: "Lumio", terms: ["*"] }]);
    } catch (e) {
      error = e;
    }
    expect(isConfigError(error)).toBe(true);
    expect(String(error)).toContain('"*"');
  });

  test("matchBrands() scans 200k characters without a brand and drops them", () => {
    const text = "Lumiosity ".repeat(20_000);
    expect(matchBrands(mention(text), LUMIO)).toEqual({ kind: "drop", reason: "no-brand" });
  });
});

describe("matchBrands() with queries", () => {
  const BRANDS = compileBrands([
    { name: "Orlen", query: '(Orlen OR "stacja paliw") -Orleans' },
    { name: "Żabka", query: "Żabka lang:pl" },
    { name: "Sber", query: "Сбербанк OR Сбер", exclude: ["Сбербанкомат"] },
  ]);

  test.each([
    ["Znowu kolejka w Orlenie", "Orlen", ["Orlen"]],
    ["Orleans is lovely", null, []],
    ["W Żabce nie działa terminal, nie da się zapłacić", "Żabka", ["Żabka"]],
    ["Zabka terminal is down again, really", null, []], // lang:pl: English text
    ["Приложение Сбербанка опять не работает", "Sber", ["Сбербанк"]],
    ["Sberbank app is down again", "Sber", ["Сбербанк"]],
    ["Sber i Sberbank nie działają", "Sber", ["Сбербанк", "Сбер"]],
    ["Сбербанкомат сломан, Сбер молчит", null, []],
  ])("matchBrands() on %j gives brand %s with terms %j", (text, brand, terms) => {
    const v = matchBrands(mention(text), BRANDS);
    expect(brandOf(v)).toBe(brand);
    expect(termsOf(v)).toEqual(terms);
  });

  test("matchBrands() uses the source's language claim for lang: when the text is too short to tell", () => {
    const v = matchBrands({ ...mention("Żabka!"), claimedLang: "pl" }, BRANDS);
    expect(brandOf(v)).toBe("Żabka");
  });

  test("compileBrands() refuses an invalid query with the column of the error", () => {
    expect(() => compileBrands([{ name: "Orlen", query: "Orlen AND" }])).toThrow(/brand "Orlen": query: a term is missing after AND \(column 10\)/);
  });
});

describe("matchBrands() on arbitrary input", () => {
  propTest.prop([fc.string({ unit: "binary", maxLength: 500 })])("matchBrands() never throws and either matches or drops", (text) => {
    const v = matchBrands(mention(text), LUMIO);
    expect(["ok", "drop"]).toContain(v.kind);
  });

  const QUERIES = compileBrands([
    { name: "Orlen", query: '(Orlen OR "stacja paliw" OR x* OR {BT}) -Orleans lang:pl,en source:rss' },
    { name: "Sber", query: "Сбербанк OR NOT Сбер", exclude: ["c++"] },
  ]);
  propTest.prop([fc.string({ unit: "binary", maxLength: 500 }), fc.string({ maxLength: 20 })])(
    "matchBrands() never throws with query brands on any text and language claim",
    (text, claimedLang) => {
      const v = matchBrands({ ...mention(text), claimedLang }, QUERIES);
      expect(["ok", "drop"]).toContain(v.kind);
    },
  );
});
