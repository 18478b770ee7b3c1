import { describe, expect, test } from "vitest";
import type { LanguageGuess } from "../../../../pipeline/stages/detect-language";
import { evaluateLanguage } from "../../../../pipeline/stages/language/evaluate-language";
import type { LabelledLanguageText } from "../../../../pipeline/stages/language/labelled-set";

// A detector that reads the answer from the text itself, so the counts are known.
const byPrefix = (text: string): LanguageGuess => ({ lang: text.slice(0, 2) as LanguageGuess["lang"], confidence: 1, method: text.slice(3) });

const rows: LabelledLanguageText[] = [
  { text: "pl:stopwords", lang: "pl", case: "no-diacritics" },
  { text: "en:stopwords", lang: "pl", case: "no-diacritics" },
  { text: "ru:translit", lang: "ru", case: "translit" },
  { text: "uk:eld", lang: "ru", case: "ru-vs-uk" },
];

describe("evaluateLanguage()", () => {
  test("evaluateLanguage() counts accuracy overall, per language and per case", () => {
    const e = evaluateLanguage(rows, byPrefix);
    expect(e).toMatchObject({ n: 4, correct: 2, accuracy: 0.5 });
    expect(e.languages).toEqual([
      { name: "pl", n: 2, correct: 1, accuracy: 0.5 },
      { name: "ru", n: 2, correct: 1, accuracy: 0.5 },
    ]);
    expect(e.cases.find((c) => c.name === "translit")).toEqual({ name: "translit", n: 1, correct: 1, accuracy: 1 });
    expect(e.cases.find((c) => c.name === "ru-vs-uk")).toEqual({ name: "ru-vs-uk", n: 1, correct: 0, accuracy: 0 });
  });

  test("evaluateLanguage() fills the confusion table, the rule counts and the wrong lines", () => {
    const e = evaluateLanguage(rows, byPrefix);
    expect(e.confusion).toEqual({ pl: { pl: 1, en: 1 }, ru: { ru: 1, uk: 1 } });
    expect(e.methods).toEqual({ stopwords: 2, translit: 1, eld: 1 });
    expect(e.errors.map((x) => x.text)).toEqual(["en:stopwords", "uk:eld"]);
  });

  test("evaluateLanguage() answers zero accuracy for an empty set", () => {
    expect(evaluateLanguage([], byPrefix)).toMatchObject({ n: 0, accuracy: 0, languages: [], cases: [] });
  });
});
