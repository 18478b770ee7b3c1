import { fc, test as propTest } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import { splitWords } from "../../../../pipeline/stages/problems/split-words";

describe("splitWords()", () => {
  test("splitWords() keeps inner apostrophes and marks sentence and clause breaks", () => {
    const s = splitWords("it doesn't work, again. зв'язок - нема!\nok");
    expect(s.words).toEqual(["it", "doesn't", "work", "again", "зв'язок", "нема", "ok"]);
    expect(s.breakBefore).toEqual([0, 0, 0, 1, 2, 1, 2]);
  });

  test("splitWords() reads Polish, Cyrillic, digits and other scripts as words and emoji as space", () => {
    expect(splitWords("żółć 503 сбой 😡 שלום 東京").words).toEqual(["żółć", "503", "сбой", "שלום", "東京"]);
    expect(splitWords("wi-fi").words).toEqual(["wi", "fi"]);
  });

  test("splitWords() makes a currency sign a word of its own", () => {
    expect(splitWords("£20 for a skin, 300₽").words).toEqual(["£", "20", "for", "a", "skin", "300", "₽"]);
  });

  test("splitWords() gives offsets that slice each word out of the text", () => {
    const text = "  Awaria…  nie   działa 𝒜x";
    const s = splitWords(text);
    expect(s.words.map((_, i) => text.slice(s.starts[i], s.ends[i]))).toEqual(s.words);
  });

  propTest.prop([fc.string({ unit: "binary", maxLength: 3_000 })])("splitWords() never throws and its words are non-empty slices of the text", (text) => {
    const s = splitWords(text);
    s.words.forEach((w, i) => {
      expect(w.length).toBeGreaterThan(0);
      expect(text.slice(s.starts[i], s.ends[i])).toBe(w);
    });
  });
});
