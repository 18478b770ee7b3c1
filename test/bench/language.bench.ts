import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { detectLanguage } from "../../pipeline/stages/detect-language";
import { readLabelledLanguageSet } from "../../pipeline/stages/language/labelled-set";
import { fixed, int, ms, type Section } from "./figures";

/**
 * Language detection on one core: texts per second through the fast path
 * (scripts, telling letters, function words) and through eld, for short and long
 * texts, and what eld's n-gram database costs to load (in a fresh process, so the
 * figure is not hidden by this one having loaded it already).
 */

const SET = fileURLToPath(new URL("../fixtures/language/hard-cases.jsonl", import.meta.url));
/** Each figure is timed for at least this long, after a warm-up of the same length. */
const TIMED_MS = 1_000;
const ELD_SIZES = ["extrasmall", "small", "medium", "large"] as const;

// Short mentions as brand chatter comes in: a brand, a complaint or thanks, sometimes a link or handle.
const BRANDS = ["Lumio", "Vexa", "Fastbox", "@lumio_support"];
const SHORT_FAST = [
  "nie dziala juz od rana", "znowu awaria, serio?", "dzięki za szybką pomoc", "paczka nadal nie dotarła", "kiedy to naprawicie",
  "опять не работает", "спасибо, всё починили", "где мой заказ?", "интернет пропал",
  "знову не працює", "дякую за допомогу", "де моє замовлення?", "все добре, дякую",
  "down again?", "thanks for the quick fix", "worst service ever", "still no signal here",
  "ne rabotaet uzhe chas", "spasibo bolshoe",
];
const SHORT_ELD = [
  "non funziona da ieri", "funktioniert schon wieder nicht", "ça marche pas depuis ce matin", "no funciona desde ayer",
  "het werkt niet meer", "zase nefunguje", "dobra robota", "brak sieci",
];

const variants = (phrases: readonly string[]): string[] =>
  phrases.flatMap((p, i) => BRANDS.map((b, j) => ((i + j) % 2 === 0 ? `${b} ${p}` : `${p} ${b}`)));

const throughput = (texts: readonly string[]): number => {
  const run = (budget: number): { n: number; elapsed: number } => {
    let n = 0;
    const started = performance.now();
    let elapsed = 0;
    do {
      for (const t of texts) detectLanguage(t);
      n += texts.length;
      elapsed = performance.now() - started;
    } while (elapsed < budget);
    return { n, elapsed };
  };
  run(TIMED_MS);
  const { n, elapsed } = run(TIMED_MS);
  return (n / elapsed) * 1000;
};

/** Load time and heap of one eld database, measured in a child process. */
const eldLoadCost = (size: string): { loadMs: number; heapMb: number } => {
  const script = `
    const before = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const { eld } = await import("eld/${size}");
    const loadMs = performance.now() - t0;
    eld.detect("warm up");
    globalThis.gc();
    process.stdout.write(JSON.stringify({ loadMs, heapMb: (process.memoryUsage().heapUsed - before) / 1e6 }));`;
  const out = execFileSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", script], { cwd: fileURLToPath(new URL("../..", import.meta.url)), encoding: "utf8" });
  return JSON.parse(out) as { loadMs: number; heapMb: number };
};

export async function benchLanguage(opts: { progress(line: string): void }): Promise<Section[]> {
  const set = readLabelledLanguageSet(SET);
  const shortFast = variants(SHORT_FAST);
  const shortEld = variants(SHORT_ELD);
  const fastShare = shortFast.filter((t) => !detectLanguage(t).method.startsWith("eld")).length / shortFast.length;
  const eldShare = shortEld.filter((t) => detectLanguage(t).method.startsWith("eld")).length / shortEld.length;
  const long = set.filter((r) => r.case === "long").map((r) => r.text);
  const longFast = long.filter((t) => !detectLanguage(t).method.startsWith("eld"));
  const longEld = long.filter((t) => detectLanguage(t).method.startsWith("eld"));
  const huge = long.map((t) => t.repeat(Math.ceil(2_000 / t.length)));
  const setEldShare = set.filter((r) => detectLanguage(r.text).method.startsWith("eld")).length / set.length;

  opts.progress("language: short texts, fast path");
  const fast = throughput(shortFast);
  opts.progress("language: short texts, eld path");
  const eld = throughput(shortEld);
  opts.progress("language: long texts");
  const longFastRate = throughput(longFast);
  const longEldRate = throughput(longEld);
  const hugeRate = throughput(huge);
  opts.progress("language: the labelled set as a stream");
  const mixed = throughput(set.map((r) => r.text));

  const detection: Section = {
    title: "Language detection (one core)",
    figures: [
      { label: "short texts, fast path", value: `${int(fast)}/s`, note: `${shortFast.length} texts of ${avgChars(shortFast)} chars, ${fixed(fastShare * 100, 0)}% decided without eld; ${ms(1000 / fast)} each` },
      { label: "short texts, eld path", value: `${int(eld)}/s`, note: `${shortEld.length} texts of ${avgChars(shortEld)} chars, ${fixed(eldShare * 100, 0)}% went to eld; ${ms(1000 / eld)} each` },
      { label: "long texts, fast path", value: `${int(longFastRate)}/s`, note: `${longFast.length} texts of ${avgChars(longFast)} chars; ${ms(1000 / longFastRate)} each` },
      { label: "long texts, eld path", value: `${int(longEldRate)}/s`, note: `${longEld.length} texts of ${avgChars(longEld)} chars; ${ms(1000 / longEldRate)} each` },
      { label: "2,000+ char texts (scan capped at 2,000)", value: `${int(hugeRate)}/s`, note: `${ms(1000 / hugeRate)} each` },
      { label: "hard-cases set as a stream", value: `${int(mixed)}/s`, note: `${set.length} lines, every hard case; ${fixed(setEldShare * 100, 0)}% went to eld` },
    ],
  };

  opts.progress("language: eld database load cost (child processes)");
  const load: Section = { title: "eld n-gram database: load time and heap (fresh process)", figures: [] };
  for (const size of ELD_SIZES) {
    const cost = eldLoadCost(size);
    load.figures.push({ label: `eld/${size}`, value: ms(cost.loadMs), note: `${fixed(cost.heapMb, 0)} MB heap${size === "small" ? " (the one Earshot loads)" : ""}` });
  }
  return [detection, load];
}

const avgChars = (texts: readonly string[]): number => Math.round(texts.reduce((s, t) => s + t.length, 0) / Math.max(1, texts.length));
