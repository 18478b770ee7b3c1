import { describe, expect, test } from "vitest";
import { EN } from "../../../../pipeline/stages/lexicons/en";
import { compileLexicon, readWithLexicon, type LexiconSource } from "../../../../pipeline/stages/lexicons/lexicon";
import { PL } from "../../../../pipeline/stages/lexicons/pl";
import { RU } from "../../../../pipeline/stages/lexicons/ru";
import { UK } from "../../../../pipeline/stages/lexicons/uk";

const TOY: LexiconSource = {
  terms: { "awari*": -2, "działa": 1, "nie dział*": -3, "dzień dobry": 0, "super": 2, "polec*": 2 },
  negators: ["nie"],
  intensifiers: { bardzo: 1.5 },
  fold: (s) => s.replace(/ł/g, "l"),
};
const toy = compileLexicon(TOY);
const read = (text: string) => readWithLexicon(text, toy);

describe("readWithLexicon()", () => {
  test("readWithLexicon() matches any ending of a stem and only the exact form of a word", () => {
    expect(read("awaria, awarii, awarię").evidence.map((e) => e.term)).toEqual(["awaria", "awarii", "awarię"]);
    expect(read("działa").sum).toBe(1);
    expect(read("działania").evidence).toEqual([]);
  });

  test("readWithLexicon() prefers a phrase to the words in it", () => {
    expect(read("Lumio nie działa")).toEqual({ sum: -3, evidence: [{ term: "nie działa", weight: -3 }] });
    expect(read("nie działało")).toEqual({ sum: -3, evidence: [{ term: "nie działało", weight: -3 }] });
  });

  test("readWithLexicon() folds spelling on both sides", () => {
    expect(read("nie dziala").sum).toBe(-3);
  });

  test("readWithLexicon() lets a zero-weight phrase silence the words in it", () => {
    expect(read("dzień dobry").evidence).toEqual([]);
  });

  test("readWithLexicon() flips the next one or two words after a negator, inside the clause", () => {
    expect(read("nie polecam")).toEqual({ sum: -2, evidence: [{ term: "nie polecam", weight: -2 }] });
    expect(read("nie jest super").evidence).toEqual([{ term: "nie super", weight: -2 }]);
    expect(read("nie, to jest super").sum).toBe(2);
    expect(read("nie wiem czy jest super").sum).toBe(2);
  });

  test("readWithLexicon() softens a negated negative", () => {
    expect(read("nie awaria").sum).toBeCloseTo(1.5);
  });

  test("readWithLexicon() strengthens the word after an intensifier and a shouted word", () => {
    expect(read("bardzo super").sum).toBe(3);
    expect(read("SUPER").sum).toBeCloseTo(2.6);
    expect(read("Super").sum).toBe(2);
  });

  test("readWithLexicon() finds nothing in text without known words", () => {
    expect(read("")).toEqual({ sum: 0, evidence: [] });
    expect(read("Lumio otwiera biuro")).toEqual({ sum: 0, evidence: [] });
  });

  test("compileLexicon() refuses a stem shorter than three letters", () => {
    expect(() => compileLexicon({ ...TOY, terms: { "ab*": 1 } })).toThrow(/shorter than 3/);
  });
});

describe("shipped lexicons", () => {
  test.each([
    ["pl", PL],
    ["ru", RU],
    ["uk", UK],
    ["en", EN],
  ] as const)("compileLexicon() compiles the %s lexicon with no entry folding onto another", (_, source) => {
    compileLexicon(source);
    const seen = new Map<string, string>();
    for (const term of Object.keys(source.terms)) {
      const key = source.fold(term.toLowerCase());
      expect(seen.get(key), `"${term}" folds onto "${seen.get(key)}"`).toBeUndefined();
      seen.set(key, term);
    }
  });

  test("the Polish and Russian lexicons hold a few hundred entries each", () => {
    expect(Object.keys(PL.terms).length).toBeGreaterThan(300);
    expect(Object.keys(RU.terms).length).toBeGreaterThan(250);
  });
});
