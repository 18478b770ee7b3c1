import { describe, expect, test } from "vitest";
import { countLetters } from "../../../../pipeline/stages/language/count-letters";

describe("countLetters()", () => {
  test("countLetters() counts Polish letters in either case and leaves ó out", () => {
    expect(countLetters("ĄĆĘŁŃŚŹŻ ąćęłńśźż ó")).toMatchObject({ polish: 16, otherLatin: 0, latin: 17 });
  });

  test("countLetters() separates Ukrainian, Russian and Belarusian letters", () => {
    expect(countLetters("ЇЄҐ ї є ґ І і")).toMatchObject({ ukLetters: 8, ukOnly: 6, ruLetters: 0 });
    expect(countLetters("Ы Э Ъ Ё ы э ъ ё")).toMatchObject({ ruLetters: 8, yEr: 4, ukLetters: 0 });
    expect(countLetters("Ўў")).toMatchObject({ beLetters: 2, cyrillic: 2 });
    expect(countLetters("ђ ј љ")).toMatchObject({ otherCyrillic: 3 });
  });

  test("countLetters() counts other scripts apart from Latin and Cyrillic", () => {
    // 10 Greek letters and 7 katakana (the long-vowel mark ー included).
    expect(countLetters("Το ίντερνετ インターネット")).toMatchObject({ other: 17, latin: 0, cyrillic: 0 });
  });

  test("countLetters() ignores digits, punctuation and emoji", () => {
    expect(countLetters("2024!!! 😡 #,.")).toMatchObject({ latin: 0, cyrillic: 0, other: 0 });
  });

  test("countLetters() counts other Latin diacritics apart from Polish ones", () => {
    expect(countLetters("über ça ñ ř")).toMatchObject({ otherLatin: 4, polish: 0 });
  });
});
