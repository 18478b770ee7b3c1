import { statSync } from "node:fs";
import { pathToFileURL } from "node:url";
import type { Lang } from "../../pipeline/mention";
import { detectLanguage } from "../../pipeline/stages/detect-language";
import { compileProblemTerms } from "../../pipeline/stages/problems/compile-problem-terms";
import { DEFAULT_PROBLEM_TERMS } from "../../pipeline/stages/problems/default-problem-terms";
import { problemModelUrl, shippedProblemModel } from "../../pipeline/stages/problems/shipped-problem-model";
import { tagProblems } from "../../pipeline/stages/tag-problems";
import { dayOfMentions } from "./bench-mentions";
import { fixed, formatSections, int, ms, type Section } from "./figures";

/**
 * Problem-type tagging on one core: texts per second per language over the demo
 * recording's posts (language detected once beforehand, not timed), with the
 * shipped model and with the lists alone, plus long texts, how long compiling the
 * lists takes, and the model's size. The whole text path must pass 20,000
 * texts/s, so this stage aims at 100,000 or more.
 */

const TEXTS = 20_000;
const ROUNDS = 5;

export async function benchProblems(opts: { progress(line: string): void }): Promise<Section[]> {
  const compileStarted = performance.now();
  const compiled = compileProblemTerms(DEFAULT_PROBLEM_TERMS);
  const compileMs = performance.now() - compileStarted;
  const listsOnly = compileProblemTerms(DEFAULT_PROBLEM_TERMS, {}, { model: null });
  const model = shippedProblemModel();
  opts.progress(`problems: lists compiled in ${ms(compileMs)}`);

  const byLang = new Map<Lang, string[]>();
  for (const m of dayOfMentions(TEXTS, Date.UTC(2026, 10, 20))) {
    const text = m.text ?? "";
    const lang = detectLanguage(text).lang;
    const list = byLang.get(lang) ?? [];
    list.push(text);
    byLang.set(lang, list);
  }
  const long = [...byLang.values()].flat().join(" ").slice(0, 100_000);

  const measure = (texts: readonly string[], lang: Lang, terms = compiled): { perSecond: number; tagged: number } => {
    let tagged = 0;
    for (const t of texts) tagged += tagProblems(t, lang, terms).length; // warm-up
    let best = 0;
    for (let round = 0; round < ROUNDS; round++) {
      tagged = 0;
      const started = performance.now();
      for (const t of texts) tagged += tagProblems(t, lang, terms).length;
      best = Math.max(best, (texts.length * 1000) / (performance.now() - started));
    }
    return { perSecond: best, tagged };
  };

  const figures: Section["figures"] = [];
  for (const lang of ["pl", "ru", "en"] as const) {
    const texts = byLang.get(lang) ?? [];
    if (texts.length === 0) continue;
    const { perSecond, tagged } = measure(texts, lang);
    const chars = texts.reduce((n, t) => n + t.length, 0) / texts.length;
    figures.push({
      label: `${lang}: texts/s`,
      value: int(perSecond),
      note: `best of ${ROUNDS} over ${int(texts.length)} demo posts, mean ${fixed(chars, 0)} chars, ${int(tagged)} tags`,
    });
    opts.progress(`problems: ${lang} ${int(perSecond)} texts/s`);
    const alone = measure(texts, lang, listsOnly);
    figures.push({
      label: `${lang}: texts/s, lists alone`,
      value: int(alone.perSecond),
      note: `the model costs ${fixed(1e6 / perSecond - 1e6 / alone.perSecond, 1)} µs a text; ${int(alone.tagged)} tags without it`,
    });
  }
  const longRun = measure([long], "pl");
  figures.push(
    { label: "100,000-char text", value: ms(1000 / longRun.perSecond), note: "one text, pl lists" },
    { label: "compile shipped lists (pl, ru, uk, en)", value: ms(compileMs), note: "once at start, and when the configuration changes; the first call also reads the model" },
    {
      label: "model",
      value: `${fixed(statSync(problemModelUrl).size / 1024, 0)} KiB on disk`,
      note: `${int(model.codes.length / 1024)} KiB of 8-bit weights in memory (2^${model.bits} buckets × 7 types)`,
    },
  );
  return [{ title: "Problem types (one core)", figures }];
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const sections = await benchProblems({ progress: (line) => console.error(line) });
  console.log(formatSections(sections));
}
