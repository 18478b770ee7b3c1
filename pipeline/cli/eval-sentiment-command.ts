import { parseArgs } from "node:util";
import type { Lang, Sentiment } from "../mention";
import { detectLanguage } from "../stages/detect-language";
import { readableText } from "../stages/language/cyrillize";
import { createAdaptedSentimentScorer, learnSentimentAdapter, scoreSentiment } from "../stages/score-sentiment";
import { emptyConfusion, figuresOf, tally, type Confusion, type Figures } from "../stages/sentiment/metrics";
import { scoreWithLexicons } from "../stages/sentiment/score-with-lexicons";
import { DatasetError, readLabelledJsonl, type LabelledText } from "../stages/sentiment/training/read-dataset";

/**
 * `earshot eval sentiment --data FILE.jsonl [--json] [--scorer model|lexicon]`
 *
 * Scores every line of a labelled JSONL file ({"text","label","lang"}; without
 * `lang` the language is detected) and prints, per language and for all lines:
 * n, accuracy, macro-F1, F1 over positive/negative (SemEval's F1^PN), the 3×3
 * confusion matrix and texts per second of sentiment scoring on one core.
 * `--scorer lexicon` measures the rule-based scorer instead of the shipped model.
 * `--json` prints one JSON object (EvalReport) instead of the table.
 */

const USAGE =
  "usage: earshot eval sentiment --data FILE.jsonl [--json] [--scorer model|lexicon] [--corrections FILE.jsonl]\n" +
  "  --corrections: learn these corrections ({text,label,lang} lines) as the installation's layer and print the figures with it too\n";
const LANGS: readonly Lang[] = ["pl", "ru", "uk", "en", "und"];
/** Texts scored once before timing, so the figure is not the JIT warming up. */
const WARM_UP = 2_000;

export interface LanguageFigures extends Figures {
  lang: string;
  /** Sentiment scoring only (language detection excluded), one core. */
  textsPerSecond: number;
}

export interface EvalReport {
  file: string;
  scorer: "model" | "lexicon" | "model+corrections";
  languages: LanguageFigures[];
  all: LanguageFigures;
}

export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
}

/** Runs the command; resolves to the exit code (0 done, 1 unreadable data, 2 bad arguments). */
export async function runEvalSentimentCommand(args: string[], io: CommandIo): Promise<number> {
  let options: { data?: string; json?: boolean; scorer?: string; corrections?: string };
  try {
    options = parseArgs({
      args,
      options: { data: { type: "string" }, json: { type: "boolean" }, scorer: { type: "string" }, corrections: { type: "string" } },
    }).values;
  } catch (err) {
    io.err(`earshot eval sentiment: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const scorer = options.scorer ?? "model";
  if (options.data === undefined || (scorer !== "model" && scorer !== "lexicon")) {
    io.err(USAGE);
    return 2;
  }
  let rows: LabelledText[];
  let corrections: LabelledText[] = [];
  try {
    rows = readLabelledJsonl(options.data);
    if (options.corrections !== undefined) corrections = readLabelledJsonl(options.corrections);
  } catch (err) {
    if (err instanceof DatasetError || (err as NodeJS.ErrnoException).code !== undefined) {
      io.err(`earshot eval sentiment: ${(err as Error).message}\n`);
      return 1;
    }
    throw err;
  }
  const report = evaluateSentiment(rows, options.data, scorer);
  if (options.corrections === undefined) {
    io.out(options.json === true ? `${JSON.stringify(report)}\n` : formatReport(report));
    return 0;
  }
  // The effect of the team's corrections: the same texts with the adapter learnt from them.
  const adapter = learnSentimentAdapter(corrections.map((row) => ({ text: row.text, lang: langOf(row), label: row.label })));
  const adapted = createAdaptedSentimentScorer(adapter);
  const withCorrections = evaluateSentiment(rows, options.data, "model+corrections", (text, lang) => adapted(text, lang, null));
  io.out(
    options.json === true
      ? `${JSON.stringify({ ...report, corrections: corrections.length, withCorrections })}\n`
      : `${formatReport(report)}\nwith ${corrections.length} corrections from ${options.corrections} learnt:\n\n${formatReport(withCorrections)}`,
  );
  return 0;
}

const langOf = (row: LabelledText): Lang =>
  row.lang !== null && (LANGS as readonly string[]).includes(row.lang) ? (row.lang as Lang) : detectLanguage(row.text).lang;

/** Scores `rows` and computes the figures (pure apart from the clock). */
export const evaluateSentiment = (
  rows: readonly LabelledText[],
  file: string,
  scorer: EvalReport["scorer"],
  scoreWith?: (text: string, lang: Lang) => Sentiment,
): EvalReport => {
  const score: (text: string, lang: Lang) => Sentiment = scoreWith ?? (scorer === "lexicon" ? scoreWithLexicons : scoreSentiment);
  // Grouped by language first, so the clock times scoring alone, one language at a time.
  const groups = new Map<Lang, LabelledText[]>();
  for (const row of rows) {
    const lang = langOf(row);
    const group = groups.get(lang) ?? [];
    group.push(row);
    groups.set(lang, group);
  }
  const languages: LanguageFigures[] = [];
  const all: Confusion = emptyConfusion();
  let allMs = 0;
  for (const [lang, group] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    // Read as the pipeline reads a mention: Russian typed in Latin letters back in Cyrillic.
    const texts = group.map((row) => readableText(row.text, lang));
    for (let i = 0; i < Math.min(WARM_UP, group.length); i++) score(texts[i]!, lang);
    const labels = new Array<Sentiment["label"]>(group.length);
    const started = performance.now();
    for (let i = 0; i < group.length; i++) labels[i] = score(texts[i]!, lang).label;
    const ms = performance.now() - started;
    const confusion = emptyConfusion();
    for (let i = 0; i < group.length; i++) {
      tally(confusion, group[i]!.label, labels[i]!);
      tally(all, group[i]!.label, labels[i]!);
    }
    allMs += ms;
    languages.push(figuresWithSpeed(lang, confusion, ms));
  }
  return { file, scorer, languages, all: figuresWithSpeed("all", all, allMs) };
};

const figuresWithSpeed = (lang: string, confusion: Confusion, ms: number): LanguageFigures => {
  const f = figuresOf(confusion);
  return { lang, ...f, textsPerSecond: ms > 0 ? Math.round((f.n * 1000) / ms) : 0 };
};

const pct = (x: number): string => (100 * x).toFixed(1).padStart(6);

export const formatReport = (report: EvalReport): string => {
  const lines = [`sentiment of ${report.file} (scorer: ${report.scorer})`, "", "lang        n  accuracy  macro-F1   F1-PN   texts/s"];
  for (const f of [...report.languages, report.all]) {
    lines.push(`${f.lang.padEnd(5)}${String(f.n).padStart(7)}    ${pct(f.accuracy)}    ${pct(f.macroF1)}  ${pct(f.f1PN)}  ${String(f.textsPerSecond).padStart(8)}`);
  }
  lines.push("", "confusion (rows: gold negative/neutral/positive; columns: predicted negative/neutral/positive)");
  for (const f of [...report.languages, report.all]) {
    lines.push(`${f.lang.padEnd(5)} ${f.confusion.map((row) => row.map((c) => String(c).padStart(6)).join("")).join("  |")}`);
  }
  lines.push("", "accuracy, macro-F1 and F1-PN (mean F1 of positive and negative) in %; texts/s: sentiment scoring, one core", "");
  return lines.join("\n");
};
