import { describe, expect, test } from "vitest";
import type { Lang, SentimentLabel } from "../../../../pipeline/mention";
import { adapterFromJson, adapterToJson, AdapterError } from "../../../../pipeline/stages/sentiment/adapter";
import { createSentimentScorer } from "../../../../pipeline/stages/sentiment/create-scorer";
import { learnAdapter, type Correction } from "../../../../pipeline/stages/sentiment/learn-adapter";
import { loadShippedModels } from "../../../../pipeline/stages/sentiment/shipped-models";

const models = loadShippedModels();
const shipped = createSentimentScorer(models);

/** Texts the shipped model gets wrong for a brand monitor: price news read as praise or complaint, slang. */
const CORRECTIONS: Correction[] = [
  { text: "Lumio ogłasza nowy cennik na 2025 rok", lang: "pl", label: "neutral" },
  { text: "Люмио объявила новые тарифы", lang: "ru", label: "neutral" },
  { text: "this new Lumio phone is sick", lang: "en", label: "positive" },
];

/** Close paraphrases of the corrections: they share most of their words. */
const PARAPHRASES: Array<[string, Lang, SentimentLabel]> = [
  ["Lumio ogłasza nowy cennik", "pl", "neutral"],
  ["Люмио объявила новые тарифы на 2025 год", "ru", "neutral"],
  ["the new Lumio phone is sick", "en", "positive"],
];

/** Mentions with nothing in common with the corrections. */
const UNRELATED: Array<[string, Lang]> = [
  ["nie polecam, fatalna obsługa", "pl"],
  ["paczka przyszła uszkodzona", "pl"],
  ["świetna aplikacja, działa bez zarzutu", "pl"],
  ["dziękuję za szybką pomoc", "pl"],
  ["awaria od rana, brak internetu", "pl"],
  ["kiedy będzie dostępna aktualizacja?", "pl"],
  ["не работает интернет уже третий час", "ru"],
  ["спасибо, всё починили", "ru"],
  ["отличный сервис, рекомендую", "ru"],
  ["хамство в поддержке", "ru"],
  ["подскажите, где найти договор", "ru"],
  ["the app keeps crashing", "en"],
  ["great support, fixed in minutes", "en"],
  ["worst provider ever", "en"],
  ["where can I download the invoice?", "en"],
  ["thanks, works now", "en"],
];

describe("learnAdapter()", () => {
  const adapter = learnAdapter(models, CORRECTIONS);
  const adapted = createSentimentScorer(models, adapter);

  test("learnAdapter() starts from texts the shipped model labels otherwise", () => {
    for (const c of CORRECTIONS) expect(shipped(c.text, c.lang).label).not.toBe(c.label);
  });

  test("learnAdapter() moves the corrected texts to the corrected label", () => {
    for (const c of CORRECTIONS) expect(adapted(c.text, c.lang).label).toBe(c.label);
  });

  test("learnAdapter() moves close paraphrases of the corrected texts too", () => {
    for (const [text, lang, label] of PARAPHRASES) expect(adapted(text, lang).label).toBe(label);
  });

  test("learnAdapter() leaves unrelated mentions' labels as they were and their scores nearly so", () => {
    let shift = 0;
    for (const [text, lang] of UNRELATED) {
      const before = shipped(text, lang);
      const after = adapted(text, lang);
      expect(after.label).toBe(before.label);
      shift += Math.abs(after.score - before.score);
    }
    expect(shift / UNRELATED.length).toBeLessThan(0.05);
  });

  test("learnAdapter() is deterministic and does not change the previous adapter", () => {
    const again = learnAdapter(models, CORRECTIONS);
    expect(adapterToJson(again)).toEqual(adapterToJson(adapter));
    const before = JSON.stringify(adapterToJson(adapter));
    learnAdapter(models, [...CORRECTIONS, { text: "Lumio podnosi ceny", lang: "pl", label: "negative" }], adapter);
    expect(JSON.stringify(adapterToJson(adapter))).toBe(before);
  });

  test("learnAdapter() builds on a previous adapter and keeps its corrections", () => {
    const more = learnAdapter(models, [...CORRECTIONS, { text: "Lumio zmienia godziny otwarcia biura", lang: "pl", label: "neutral" }], adapter);
    const scorer = createSentimentScorer(models, more);
    for (const c of CORRECTIONS) expect(scorer(c.text, c.lang).label).toBe(c.label);
    expect(more.pl?.corrections).toBe(2);
  });

  test("learnAdapter() skips corrections in a language no model reads", () => {
    const out = learnAdapter(models, [{ text: "日本語のテキスト", lang: "und", label: "positive" }]);
    expect(out).toEqual({});
  });
});

describe("adapterToJson()", () => {
  test("adapterToJson() round-trips through JSON text and scores the same", () => {
    const adapter = learnAdapter(models, CORRECTIONS);
    const json = JSON.parse(JSON.stringify(adapterToJson(adapter))) as unknown;
    const back = createSentimentScorer(models, adapterFromJson(json));
    const direct = createSentimentScorer(models, adapter);
    for (const [text, lang] of [...PARAPHRASES.map(([t, l]) => [t, l] as const), ...UNRELATED]) {
      expect(back(text, lang).label).toBe(direct(text, lang).label);
      expect(back(text, lang).score).toBeCloseTo(direct(text, lang).score, 2);
    }
  });

  test("adapterToJson() stores only the weights the corrections touched", () => {
    const json = adapterToJson(learnAdapter(models, CORRECTIONS));
    expect(json.langs.pl?.weights.length).toBeGreaterThan(0);
    expect(json.langs.pl?.weights.length).toBeLessThan(1_000);
    expect(JSON.stringify(json).length).toBeLessThan(200_000);
  });

  test("adapterFromJson() refuses what is not an adapter", () => {
    expect(() => adapterFromJson({ format: "something-else" })).toThrow(AdapterError);
    expect(() => adapterFromJson(null)).toThrow(AdapterError);
    expect(() => adapterFromJson({ format: "earshot-sentiment-adapter", version: 1, bits: 18, langs: { pl: { corrections: 1, weights: [[-1, 0, 0, 0]] } } })).toThrow(AdapterError);
  });
});
