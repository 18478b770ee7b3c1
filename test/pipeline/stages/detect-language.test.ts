import { fc, test as propTest } from "@fast-check/vitest";
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import type { Lang } from "../../../pipeline/mention";
import { createLanguageDetector, detectLanguage } from "../../../pipeline/stages/detect-language";
import { ALL_LANGS } from "../../../pipeline/stages/language/languages";

type Row = [text: string, lang: Lang];

// One table per hard case. These rows were written for this file and are not in
// test/fixtures/language/*.jsonl; the eval command measures those.
const CASES: Record<string, Row[]> = {
  short: [
    ["dzięki!", "pl"],
    ["Lumio znowu nie działa!!!", "pl"],
    ["спасибо", "ru"],
    ["дякую", "uk"],
    ["thanks!", "en"],
    ["great support, fixed in minutes", "en"],
    ["ok", "und"],
    ["😡😡😡", "und"],
    ["Lumio 2024", "und"],
  ],
  "no-diacritics": [
    ["nie dziala juz trzeci dzien", "pl"],
    ["jest awaria czy to tylko u mnie?", "pl"],
    ["mam dosc, zmieniam operatora", "pl"],
    ["czy ktos wie co sie dzieje z Lumio", "pl"],
    ["internet nie dziala od rana w calym bloku", "pl"],
  ],
  "ru-vs-uk": [
    ["Люмио опять не работает", "ru"],
    ["не работает интернет уже третий час", "ru"],
    ["все хорошо, спасибо", "ru"],
    ["Інтернет знову не працює", "uk"],
    ["Що з Lumio? Вже годину немає зв'язку", "uk"],
    // Ukrainian without і ї є ґ: told apart by its words.
    ["все добре, дякую", "uk"],
    ["дуже повільно, що сталося", "uk"],
    ["жах, не працює", "uk"],
  ],
  "mixed-script": [
    ["Lumio лежит уже час, что происходит?", "ru"],
    ["Lumio опять упал https://status.lumio.example/incidents/2024-05-01-outage", "ru"],
    ["после update 3.0 ничего не грузит, Lumio", "ru"],
    ["Lumio nie działa od rana #fail #outage", "pl"],
    ["the Łódź office of Lumio is closed today", "en"],
    ["@lumio_support any update on the outage?", "en"],
  ],
  translit: [
    ["ne rabotaet", "ru"],
    ["privet, u vas tozhe ne rabotaet internet?", "ru"],
    ["spasibo, vse pochinili", "ru"],
    ["dyakuyu, vse pratsyuye", "uk"],
  ],
  long: [
    ["Od rana nie mam internetu, infolinia milczy, a aplikacja twierdzi, że wszystko działa. Płacę co miesiąc i oczekuję chociaż informacji o awarii.", "pl"],
    ["С утра нет интернета, поддержка молчит, а приложение пишет, что всё работает. Плачу каждый месяц и жду хотя бы сообщения об аварии.", "ru"],
    ["З ранку немає інтернету, підтримка мовчить, а застосунок пише, що все працює. Плачу щомісяця і чекаю хоча б повідомлення про аварію.", "uk"],
    ["No internet since the morning, support is silent and the app claims everything works. I pay every month and expect at least a notice about the outage.", "en"],
  ],
  "other-lang": [
    ["Das Internet funktioniert schon wieder nicht, über zwei Stunden", "de"],
    ["Internet ne marche plus depuis ce matin", "fr"],
    ["El internet no funciona desde esta mañana", "es"],
    ["Internet non funziona da stamattina", "it"],
    ["Het internet doet het al de hele ochtend niet", "nl"],
    ["Internet zase nefunguje, už dvě hodiny", "cs"],
    ["Інтэрнэт зноў не працуе", "be"],
    ["Το ίντερνετ δεν λειτουργεί από το πρωί", "und"],
    ["İnternet sabahtan beri çalışmıyor", "und"],
  ],
};

describe("detectLanguage() on the hard cases", () => {
  for (const [name, rows] of Object.entries(CASES)) {
    test.each(rows)(`detectLanguage() reads %j as %s (${name})`, (text, lang) => {
      expect(detectLanguage(text).lang).toBe(lang);
    });
  }
});

describe("detectLanguage()", () => {
  test("detectLanguage() answers transliterated Russian as ru with a capped confidence, never en or pl", () => {
    for (const text of ["ne rabotaet", "privet, kak dela", "spasibo bolshoe", "pochemu opyat ne rabotaet"]) {
      const g = detectLanguage(text);
      expect(g).toMatchObject({ lang: "ru", method: "translit" });
      expect(g.confidence).toBeLessThanOrEqual(0.6);
    }
  });

  test("detectLanguage() takes the claimed language when the text is too short to tell", () => {
    expect(detectLanguage("ok", "pl-PL")).toMatchObject({ lang: "pl", method: "claimed" });
    expect(detectLanguage("Lumio", "ru_RU")).toMatchObject({ lang: "ru", method: "claimed" });
    expect(detectLanguage("Lumio", "ua")).toMatchObject({ lang: "uk", method: "claimed" });
  });

  test("detectLanguage() ignores a claimed language the text contradicts", () => {
    expect(detectLanguage("не работает интернет уже третий час", "en").lang).toBe("ru");
    expect(detectLanguage("nie dziala juz drugi dzien", "en").lang).toBe("pl");
  });

  test("detectLanguage() ignores a claimed language it does not know", () => {
    expect(detectLanguage("ok", "tlh")).toMatchObject({ lang: "und" });
  });

  test("detectLanguage() reads Cyrillic without telling letters or words as Ukrainian when the source says so", () => {
    expect(detectLanguage("на жаль", "uk").lang).toBe("uk");
  });

  test("detectLanguage() decides Polish, Russian and English in the fast path, before eld", () => {
    expect(detectLanguage("nie dziala juz drugi dzien").method).toBe("stopwords");
    expect(detectLanguage("Świetna obsługa, dziękuję").method).toBe("polish-letters");
    expect(detectLanguage("Отличный сервис, рекомендую").method).toBe("cyrillic-letters");
    expect(detectLanguage("why is my internet so slow today").method).toBe("stopwords");
    expect(detectLanguage("Internet non funziona da stamattina").method).toBe("eld");
  });

  test("detectLanguage() is surer of long clear texts than of short ones", () => {
    const short = detectLanguage("nie dziala");
    const long = detectLanguage("nie dziala juz drugi dzien, ktos wie co sie dzieje? bo ja juz nie mam sily do tego");
    expect(short.lang).toBe("pl");
    expect(long.confidence).toBeGreaterThan(short.confidence);
    expect(long.confidence).toBeLessThanOrEqual(1);
  });

  test("detectLanguage() returns und with zero confidence for empty text", () => {
    expect(detectLanguage("")).toEqual({ lang: "und", confidence: 0, method: "too-short" });
  });
});

describe("createLanguageDetector()", () => {
  test("createLanguageDetector() answers und for a language outside its configuration", () => {
    const detect = createLanguageDetector({ languages: ["pl", "ru", "uk", "en"] });
    expect(detect("Das Internet funktioniert schon wieder nicht, über zwei Stunden").lang).toBe("und");
    expect(detect("Інтэрнэт зноў не працуе")).toMatchObject({ lang: "und", method: "not-configured" });
    expect(detect("nie dziala juz trzeci dzien").lang).toBe("pl");
  });

  test("createLanguageDetector() ignores a claimed language outside its configuration", () => {
    const detect = createLanguageDetector({ languages: ["en"] });
    expect(detect("ok", "pl")).toMatchObject({ lang: "und", method: "too-short" });
  });
});

describe("detectLanguage() on the labelled set", () => {
  test("detectLanguage() gets at least 95% of test/fixtures/language/hard-cases.jsonl right", () => {
    const rows = readFileSync(new URL("../../fixtures/language/hard-cases.jsonl", import.meta.url), "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { text: string; lang: string });
    const right = rows.filter((r) => detectLanguage(r.text).lang === r.lang).length;
    expect(rows.length).toBeGreaterThanOrEqual(300);
    expect(right / rows.length).toBeGreaterThanOrEqual(0.95);
  });
});

describe("detectLanguage() on arbitrary input", () => {
  const answersSanely = (text: string, claimed?: string): void => {
    const g = detectLanguage(text, claimed);
    expect(ALL_LANGS).toContain(g.lang);
    expect(g.confidence).toBeGreaterThanOrEqual(0);
    expect(g.confidence).toBeLessThanOrEqual(1);
    expect(g.method).not.toBe("");
  };

  propTest.prop([fc.string({ unit: "binary", maxLength: 3_000 }), fc.option(fc.string())])(
    "detectLanguage() never throws and answers a known language with a confidence in [0, 1]",
    (text, claimed) => answersSanely(text, claimed ?? undefined),
  );

  propTest.prop([fc.array(fc.constantFrom("nie", "не", "ne", "the", "що", "rabotaet", "ż", "ы", "ў", "#tag", "@who", "http://x.y/z", "😡", "\u202e", "\u0000", " "), { maxLength: 60 })])(
    "detectLanguage() never throws on words of every kind run together",
    (words) => answersSanely(words.join(" ")),
  );

  test("detectLanguage() answers empty, 1 MB, binary, right-to-left and emoji-only text", () => {
    answersSanely("");
    answersSanely("nie dziala ".repeat(100_000));
    answersSanely("a".repeat(1_000_000));
    answersSanely(String.fromCharCode(...Array.from({ length: 4_096 }, (_, i) => i % 0xffff)));
    answersSanely("\ud800\udfff\ud83d");
    expect(detectLanguage("الإنترنت لا يعمل منذ الصباح").lang).toBe("und");
    expect(detectLanguage("\u202eкрощ не работает\u202c").lang).toBe("ru");
    expect(detectLanguage("😡🔥👍🏻🇵🇱").lang).toBe("und");
  });
});
