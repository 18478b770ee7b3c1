import { pathToFileURL } from "node:url";
import type { Lang } from "../../pipeline/mention";
import { detectLanguage } from "../../pipeline/stages/detect-language";
import { createSentimentScorer } from "../../pipeline/stages/sentiment/create-scorer";
import type { SentimentModel } from "../../pipeline/stages/sentiment/model";
import { loadShippedModels } from "../../pipeline/stages/sentiment/shipped-models";
import { dayOfMentions } from "./bench-mentions";
import { fixed, formatSections, int, ms, type Section } from "./figures";

/**
 * Sentiment scoring on one core: texts per second per language (the demo
 * recording's posts, the language detected once beforehand and not timed), how
 * long the shipped weights take to load, and how much memory they hold.
 * The text path as a whole (language, sentiment, problem types, brands) must
 * pass 20,000 texts/s, so sentiment alone should pass 50,000.
 */

const TEXTS = 20_000;
const ROUNDS = 5;

const modelBytes = (m: SentimentModel): number => m.codes.byteLength + m.table.byteLength + m.bias.byteLength;

export async function benchSentiment(opts: { progress(line: string): void }): Promise<Section[]> {
  const heapBefore = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const loadStarted = performance.now();
  const models = loadShippedModels();
  const loadMs = performance.now() - loadStarted;
  const score = createSentimentScorer(models);
  const heapAfter = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  opts.progress(`sentiment: weights loaded in ${ms(loadMs)}`);

  const byLang = new Map<Lang, string[]>();
  for (const m of dayOfMentions(TEXTS, Date.UTC(2026, 10, 20))) {
    const text = m.text ?? "";
    const lang = detectLanguage(text).lang;
    const list = byLang.get(lang) ?? [];
    list.push(text);
    byLang.set(lang, list);
  }

  const figures: Section["figures"] = [];
  for (const lang of ["pl", "ru", "en"] as const) {
    const texts = byLang.get(lang) ?? [];
    if (texts.length === 0) continue;
    let sink = 0;
    for (const t of texts) sink += score(t, lang).score; // warm-up
    let best = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const started = performance.now();
      for (const t of texts) sink += score(t, lang).score;
      best = Math.max(best, (texts.length * 1000) / (performance.now() - started));
    }
    const chars = texts.reduce((n, t) => n + t.length, 0) / texts.length;
    figures.push({ label: `${lang}: texts/s`, value: int(best), note: `best of ${ROUNDS} over ${int(texts.length)} demo posts, mean ${fixed(chars, 0)} chars` });
    // The sum of scores is printed so the scoring cannot be optimised away.
    opts.progress(`sentiment: ${lang} ${int(best)} texts/s (score sum ${fixed(sink, 1)})`);
  }
  const weights = Object.values(models).reduce((n, m) => n + modelBytes(m), 0);
  figures.push(
    { label: "load shipped weights (pl, ru, en)", value: ms(loadMs), note: "gunzip + decode, once at start" },
    { label: "weights in memory", value: `${fixed(weights / 2 ** 20, 1)} MiB`, note: "8-bit codes, 3 per hash bucket" },
    { label: "heap + buffers after load", value: `${fixed((heapAfter - heapBefore) / 2 ** 20, 1)} MiB`, note: "includes the lexicons" },
  );
  return [{ title: "Sentiment (one core)", figures }];
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const sections = await benchSentiment({ progress: (line) => console.error(line) });
  console.log(formatSections(sections));
}
