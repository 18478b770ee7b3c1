import { describe, expect, test } from "vitest";
import { WORD_LANGS, scoreLatinWords, type WordLang } from "../../../../pipeline/stages/language/latin-words";

const top = (text: string): WordLang => {
  const { scores } = scoreLatinWords(text);
  let best = 0;
  for (let i = 1; i < scores.length; i++) if (scores[i]! > scores[best]!) best = i;
  return WORD_LANGS[best]!;
};

describe("scoreLatinWords()", () => {
  test("scoreLatinWords() leans to the language whose function words a text uses", () => {
    expect(top("nie dziala juz od rana")).toBe("pl");
    expect(top("why is this still not working")).toBe("en");
    expect(top("ne rabotaet uzhe chas")).toBe("ru");
    expect(top("dyakuyu, vse pratsyuye")).toBe("uk");
    expect(top("das ist schon wieder kaputt")).toBe("de");
    expect(top("mijn internet is weer kapot")).toBe("nl");
  });

  test("scoreLatinWords() lets a word several languages write count for each of them", () => {
    const { scores } = scoreLatinWords("de");
    for (const lang of ["fr", "es", "pt", "nl"] as const) expect(scores[WORD_LANGS.indexOf(lang)]).toBeGreaterThan(0);
    expect(scores[WORD_LANGS.indexOf("en")]).toBe(0);
  });

  test("scoreLatinWords() reads Russian transliteration from spelling alone", () => {
    const { scores, telling } = scoreLatinWords("zhdem otvetkh skorey");
    expect(scores[WORD_LANGS.indexOf("ru")]).toBeGreaterThan(scores[WORD_LANGS.indexOf("pl")]!);
    expect(telling).toBeGreaterThan(0);
  });

  test("scoreLatinWords() counts words and telling words", () => {
    expect(scoreLatinWords("Lumio 2024")).toMatchObject({ words: 1, telling: 0 });
    expect(scoreLatinWords("")).toMatchObject({ words: 0, telling: 0 });
  });
});
