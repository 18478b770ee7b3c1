import { fc, test as propTest } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import type { Lang, SentimentLabel } from "../../../pipeline/mention";
import { createAdaptedSentimentScorer, learnSentimentAdapter, scoreSentiment } from "../../../pipeline/stages/score-sentiment";

type Row = [text: string, label: SentimentLabel];

// Price announcements ("Lumio ogłasza nowy cennik", "Люмио объявила новые тарифы")
// are not here: the training corpora have no brand news, and the shipped model
// reads them as praise or complaint. That is what a team's corrections are for
// (test/pipeline/stages/sentiment/learn-adapter.test.ts). Nor is "mam pytanie o
// fakturę": the Polish model reads "pytanie" as a faint complaint (p = 0.40), a
// known miss of a model whose only Polish neutral texts are medical information.

const PL: Row[] = [
  ["nie polecam", "negative"],
  ["polecam", "positive"],
  ["Lumio znowu nie działa!!!", "negative"],
  ["nie dziala juz drugi dzien, masakra", "negative"],
  ["Awaria od rana, brak internetu w całym bloku", "negative"],
  ["paczka nie doszła, a infolinia nie odpowiada", "negative"],
  ["zdzierstwo, kolejna podwyżka cen", "negative"],
  ["obsługa bezczelna, nikt nie pomógł", "negative"],
  ["świetna obsługa, naprawili w godzinę", "positive"],
  ["swietna obsluga, polecam", "positive"],
  ["dziękuję za szybką pomoc", "positive"],
  ["zero problemów od roku", "positive"],
  ["wszystko działa, dzięki", "positive"],
  ["kiedy będzie aktualizacja?", "neutral"],
  ["Lumio otwiera biuro w Krakowie", "neutral"],
  ["Dzień dobry, czy jest dostępny nowy cennik?", "neutral"],
  // review sentences: things judged, words the training tweets rarely hold
  ["Pokój był mały i brudny.", "negative"],
  ["Śniadania smaczne, pokój czysty i przestronny.", "positive"],
];

const RU: Row[] = [
  ["не работает интернет уже третий час", "negative"],
  ["Люмио опять лежит, ужас", "negative"],
  ["нет интернета с утра", "negative"],
  ["никому не советую", "negative"],
  ["хамство в поддержке, обман с тарифом", "negative"],
  ["спасибо, всё починили", "positive"],
  ["отличный сервис, рекомендую", "positive"],
  ["быстро подключили, без проблем", "positive"],
  ["Люмио открывает офис в Казани", "neutral"],
  ["Добрый день, подскажите по тарифу", "neutral"],
  ["В номере грязно и шумно.", "negative"],
  ["Номер чистый и уютный, завтрак вкусный.", "positive"],
];

const UK: Row[] = [
  ["не працює інтернет, жах", "negative"],
  ["дякую, все працює", "positive"],
];

const EN: Row[] = [
  ["great support, fixed in minutes", "positive"],
  ["thanks, works now", "positive"],
  ["I love Lumio 😍", "positive"],
  ["Lumio is down again", "negative"],
  ["the app keeps crashing", "negative"],
  ["worst provider ever", "negative"],
  ["I do not recommend Lumio", "negative"],
  ["Lumio announces new pricing plans for 2025", "neutral"],
  ["Lumio opens an office in Kraków", "neutral"],
  ["The room was cramped and smelly.", "negative"],
  ["Sturdy, cosy and exactly as described.", "positive"],
];

const table = (lang: Lang, rows: Row[]) =>
  test.each(rows)(`scoreSentiment() rates %j as %s in ${lang}`, (text, label) => {
    const s = scoreSentiment(text, lang);
    expect(s.label).toBe(label);
    expect(s.score).toBeGreaterThanOrEqual(-1);
    expect(s.score).toBeLessThanOrEqual(1);
  });

describe("scoreSentiment()", () => {
  table("pl", PL);
  table("ru", RU);
  table("uk", UK);
  table("en", EN);

  test("scoreSentiment() keeps news about an outage neutral or mildly negative in every language", () => {
    for (const [text, lang] of [
      ["Lumio confirms an outage in Warsaw", "en"],
      ["Lumio potwierdza awarię w Warszawie", "pl"],
      ["Люмио подтвердила аварию в Варшаве", "ru"],
    ] as const) {
      const s = scoreSentiment(text, lang);
      expect(s.label).not.toBe("positive");
      expect(s.score).toBeGreaterThan(-0.5);
    }
  });

  test("scoreSentiment() names the negated phrase as the deciding term", () => {
    expect(scoreSentiment("nie polecam", "pl").terms).toEqual(["nie polecam"]);
    expect(scoreSentiment("Lumio znowu nie działa!!!", "pl").terms).toEqual(["znowu nie działa"]);
    expect(scoreSentiment("никому не советую", "ru").terms).toEqual(["никому не советую"]);
    expect(scoreSentiment("не советую", "ru").terms).toEqual(["не советую"]);
    expect(scoreSentiment("I do not recommend Lumio", "en").terms).toEqual(["not recommend"]);
  });

  test("scoreSentiment() reads inflected forms through stems", () => {
    for (const text of ["awaria", "awarii w nocy", "znowu awarię mamy", "awariami"]) {
      expect(scoreSentiment(text, "pl").terms[0]).toMatch(/^awari/);
    }
    expect(scoreSentiment("ужасный сервис", "ru").terms).toEqual(["ужасный"]);
    expect(scoreSentiment("ужасно медленно", "ru").label).toBe("negative");
  });

  test("scoreSentiment() weighs a negated negative as faint praise", () => {
    const s = scoreSentiment("nie jest źle", "pl");
    expect(s.score).toBeGreaterThan(0);
    expect(s.score).toBeLessThan(scoreSentiment("jest dobrze", "pl").score + 0.2);
  });

  test("scoreSentiment() makes intensified words stronger", () => {
    expect(scoreSentiment("bardzo słabo", "pl").score).toBeLessThan(scoreSentiment("słabo", "pl").score);
    expect(scoreSentiment("очень плохо", "ru").score).toBeLessThan(scoreSentiment("плохо", "ru").score);
  });

  test("scoreSentiment() treats exclamation marks and capitals as mild intensity, not as sentiment", () => {
    const plain = scoreSentiment("nie działa", "pl").score;
    expect(scoreSentiment("nie działa!!!", "pl").score).toBeLessThan(plain);
    expect(scoreSentiment("NIE DZIAŁA", "pl").score).toBeLessThan(plain);
    const bare = scoreSentiment("Lumio!!!", "pl");
    expect(bare).toMatchObject({ label: "neutral", terms: [] });
    expect(Math.abs(bare.score)).toBeLessThan(0.2);
    expect(scoreSentiment("LUMIO OFFICE OPENS TODAY", "en").label).toBe("neutral");
  });

  test("scoreSentiment() reads emoji and emoticons in any language", () => {
    expect(scoreSentiment("😡", "und")).toMatchObject({ label: "negative", terms: ["😡"] });
    expect(scoreSentiment("Lumio 😡", "pl").label).toBe("negative");
    expect(scoreSentiment("Lumio 😡", "en").label).toBe("negative");
    expect(scoreSentiment("починили)))", "ru").label).toBe("positive");
    expect(scoreSentiment("znowu to samo :(", "pl").label).toBe("negative");
  });

  test("scoreSentiment() rates a one-star review with bland text negative and a five-star one positive", () => {
    expect(scoreSentiment("Zamówienie przyszło", "pl", 1)).toMatchObject({ label: "negative", terms: ["1★"] });
    expect(scoreSentiment("Order arrived", "en", 2).label).toBe("negative");
    expect(scoreSentiment("Заказ пришёл", "ru", 5).label).toBe("positive");
    expect(scoreSentiment("Zamówienie przyszło", "pl", 3).label).toBe("neutral");
  });

  test("scoreSentiment() lets strong text outweigh the stars and stars outweigh faint text", () => {
    const angry = scoreSentiment("Fatalna obsługa, oszuści, nie polecam, masakra", "pl", 5);
    expect(angry.label).toBe("negative");
    const faint = scoreSentiment("problem z fakturą", "pl", 5);
    expect(faint.label).toBe("positive");
  });

  test("scoreSentiment() is more confident with more agreeing evidence and less with conflicting evidence", () => {
    const one = scoreSentiment("słabo", "pl").confidence;
    const many = scoreSentiment("słabo, beznadziejnie, nie polecam, masakra", "pl").confidence;
    const mixed = scoreSentiment("szybka dostawa, ale towar uszkodzony i słaby", "pl").confidence;
    expect(many).toBeGreaterThan(one);
    expect(mixed).toBeLessThan(many);
    for (const c of [one, many, mixed]) {
      expect(c).toBeGreaterThan(0);
      expect(c).toBeLessThanOrEqual(1);
    }
  });

  test("scoreSentiment() returns neutral with no terms for empty or sentiment-free text", () => {
    for (const lang of ["en", "pl", "ru", "uk", "und"] as const) {
      expect(scoreSentiment("", lang)).toMatchObject({ score: 0, label: "neutral", terms: [] });
    }
  });

  test("scoreSentiment() gives the same answer for the same text", () => {
    const text = "Lumio znowu nie działa, ale support szybko odpisał";
    expect(scoreSentiment(text, "pl")).toEqual(scoreSentiment(text, "pl"));
  });
});

describe("scoreSentiment() on arbitrary input", () => {
  propTest.prop([fc.string({ unit: "binary", maxLength: 400 }), fc.constantFrom<Lang>("en", "pl", "ru", "uk", "und"), fc.option(fc.double())])(
    "scoreSentiment() never throws and stays in range for arbitrary strings and ratings",
    (text, lang, rating) => {
      const s = scoreSentiment(text, lang, rating);
      expect(s.score).toBeGreaterThanOrEqual(-1);
      expect(s.score).toBeLessThanOrEqual(1);
      expect(s.confidence).toBeGreaterThanOrEqual(0);
      expect(s.confidence).toBeLessThanOrEqual(1);
      expect(["negative", "neutral", "positive"]).toContain(s.label);
    },
  );
});

type Pair = [lang: Lang, plain: string, changed: string];

describe("scoreSentiment() per language", () => {
  test.each<Pair>([
    ["pl", "działa", "nie działa"],
    ["pl", "polecam", "nie polecam"],
    ["pl", "jest dobrze", "nie jest dobrze"],
    ["ru", "работает", "не работает"],
    ["ru", "советую", "не советую"],
    ["ru", "хорошо", "не очень хорошо"],
    ["en", "I recommend it", "I do not recommend it"],
    ["en", "good", "not good"],
  ])("scoreSentiment() turns %s %j negative when negated as %j", (lang, plain, negated) => {
    expect(scoreSentiment(plain, lang).label).not.toBe("negative");
    expect(scoreSentiment(negated, lang).label).toBe("negative");
  });

  test.each<Pair>([
    ["pl", "dobry", "bardzo dobry"],
    ["pl", "słabo", "bardzo słabo"],
    ["ru", "хорошо", "очень хорошо"],
    ["ru", "плохо", "очень плохо"],
    ["en", "good", "very good"],
    ["en", "bad", "very bad"],
    ["pl", "super", "super!!!"],
    ["ru", "супер", "супер!!!"],
    ["en", "great", "great!!!"],
  ])("scoreSentiment() makes %s %j stronger as %j", (lang, plain, stronger) => {
    const a = scoreSentiment(plain, lang);
    const b = scoreSentiment(stronger, lang);
    expect(b.label).toBe(a.label);
    expect(Math.abs(b.score)).toBeGreaterThan(Math.abs(a.score));
  });

  test.each<[Lang, string, SentimentLabel]>([
    ["pl", "😡", "negative"],
    ["ru", "😡", "negative"],
    ["en", "😡", "negative"],
    ["pl", "😍", "positive"],
    ["ru", "😍", "positive"],
    ["en", "😍", "positive"],
    ["pl", "Lumio :(", "negative"],
    ["ru", "Люмио ((", "negative"],
    ["en", "Lumio :(", "negative"],
    ["pl", "Lumio :)", "positive"],
    ["ru", "Люмио :)", "positive"],
    ["en", "Lumio :)", "positive"],
  ])("scoreSentiment() reads %s %j as %s and names the symbol", (lang, text, label) => {
    const s = scoreSentiment(text, lang);
    expect(s.label).toBe(label);
    expect(s.terms.join(" ")).toContain(text.replace(/^\S+ /, ""));
  });

  test.each<[Lang, string]>([
    ["pl", "Zamówienie przyszło"],
    ["ru", "Заказ пришёл"],
    ["en", "Order arrived"],
  ])("scoreSentiment() follows the stars of a bland %s review %j", (lang, text) => {
    expect(scoreSentiment(text, lang, 1)).toMatchObject({ label: "negative" });
    expect(scoreSentiment(text, lang, 1).terms[0]).toBe("1★");
    expect(scoreSentiment(text, lang, 5)).toMatchObject({ label: "positive" });
    expect(scoreSentiment(text, lang, 5).terms[0]).toBe("5★");
  });

  test.each<[Lang, string[], SentimentLabel]>([
    ["pl", ["polecam", "polecamy", "polecana", "polecany"], "positive"],
    ["pl", ["beznadziejna obsługa", "beznadziejny serwis", "beznadziejnie"], "negative"],
    ["ru", ["ужасный", "ужасно", "ужасная", "ужасного"], "negative"],
    ["ru", ["отличный сервис", "отличная связь", "отлично"], "positive"],
    ["en", ["crash", "crashes", "crashing", "crashed"], "negative"],
  ])("scoreSentiment() reads every inflected form in %s of %j as %s", (lang, forms, label) => {
    for (const text of forms) expect(scoreSentiment(text, lang).label, text).toBe(label);
  });
});

describe("scoreSentiment() on hostile input", () => {
  const check = (text: string, lang: Lang, rating?: number | null): void => {
    const s = scoreSentiment(text, lang, rating);
    expect(Number.isFinite(s.score)).toBe(true);
    expect(Math.abs(s.score)).toBeLessThanOrEqual(1);
    expect(s.confidence).toBeGreaterThanOrEqual(0);
    expect(s.confidence).toBeLessThanOrEqual(1);
    expect(Array.isArray(s.terms)).toBe(true);
  };

  propTest.prop([
    fc.oneof(
      fc.string({ unit: "grapheme", maxLength: 300 }),
      fc.string({ unit: "binary", maxLength: 300 }),
      fc.string({ unit: fc.constantFrom("😡", "😍", "👍🏽", "❤️", "\u200d", "\ufe0f", ":", ")", "(", "!"), maxLength: 200 }),
      fc.string({ unit: fc.constantFrom("ש", "ל", "ו", "م", "ر", "ح", "ب", "\u200f", "\u202e", " "), maxLength: 200 }),
    ),
    fc.constantFrom<Lang>("en", "pl", "ru", "uk", "und"),
    fc.option(fc.oneof(fc.double(), fc.integer({ min: -10, max: 10 }))),
  ])("scoreSentiment() never throws on graphemes, binary, emoji-only or right-to-left text", (text, lang, rating) => {
    check(text, lang, rating);
  });

  test("scoreSentiment() reads a 1 MB text without throwing, in every language", () => {
    const big = "nie działa 😡 не работает not working ".repeat(30_000).slice(0, 1_000_000);
    for (const lang of ["en", "pl", "ru", "uk", "und"] as const) check(big, lang);
    check("\u0000\uffff\ud800".repeat(100_000), "pl");
  });

  test("scoreSentiment() reads emoji-only and right-to-left text", () => {
    check("😡😡😡😡", "en");
    check("مرحبا بكم", "und");
    check("שלום \u202e", "ru");
  });
});

describe("createAdaptedSentimentScorer()", () => {
  test("createAdaptedSentimentScorer() applies the team's corrections and leaves scoreSentiment() as shipped", () => {
    const text = "Lumio ogłasza nowy cennik na 2025 rok";
    const before = scoreSentiment(text, "pl");
    expect(before.label).not.toBe("neutral");
    const adapted = createAdaptedSentimentScorer(learnSentimentAdapter([{ text, lang: "pl", label: "neutral" }]));
    expect(adapted(text, "pl").label).toBe("neutral");
    expect(scoreSentiment(text, "pl")).toEqual(before);
  });
});
