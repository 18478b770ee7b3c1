import { describe, expect, test } from "vitest";
import { guessWithEld, loadEld } from "../../../../pipeline/stages/language/eld-guess";
import { SUPPORTED_LANGS, type KnownLang } from "../../../../pipeline/stages/language/languages";

const all: ReadonlySet<KnownLang> = new Set(SUPPORTED_LANGS);

describe("guessWithEld()", () => {
  // Runs first in this file, so nothing has called loadEld() yet.
  test("guessWithEld() loads the eld database itself on first use", () => {
    expect(guessWithEld("Ten sklep znowu mnie zawiódł", all, null)).toMatchObject({ lang: "pl", method: "eld" });
  });

  test("guessWithEld() names the configured languages eld recognises", () => {
    expect(guessWithEld("Internet non funziona da stamattina", all, null)).toMatchObject({ lang: "it", method: "eld" });
    expect(guessWithEld("Mein Paket ist seit einer Woche verschwunden", all, null)).toMatchObject({ lang: "de", method: "eld" });
  });

  test("guessWithEld() answers und when a language we do not name wins clearly", () => {
    expect(guessWithEld("Kurye paketimi kapının önüne bıraktı", all, null)).toMatchObject({ lang: "und", method: "eld-other" });
  });

  test("guessWithEld() keeps to the allowed languages", () => {
    const g = guessWithEld("Mein Paket ist seit einer Woche verschwunden", new Set(["pl", "en"] as const), null);
    expect(g?.lang).not.toBe("de");
  });

  test("guessWithEld() answers null when eld has no evidence at all", () => {
    expect(guessWithEld("", all, null)).toBeNull();
    expect(guessWithEld("12345 !!!", all, null)).toBeNull();
  });

  test("guessWithEld() gives a confidence in [0, 1]", () => {
    for (const text of ["dobra robota", "het werkt niet meer", "все добре"]) {
      const g = guessWithEld(text, all, null);
      expect(g?.confidence).toBeGreaterThanOrEqual(0);
      expect(g?.confidence).toBeLessThanOrEqual(1);
    }
  });
});

describe("loadEld()", () => {
  test("loadEld() returns the same loaded detector on every call", () => {
    const detector = loadEld();
    expect(loadEld()).toBe(detector);
    expect(detector.detect("Mein Paket ist seit einer Woche verschwunden").language).toBe("de");
  });
});
