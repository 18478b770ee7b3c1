import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { Lang } from "../mention";
import { detectLanguage } from "../stages/detect-language";
import { readableText } from "../stages/language/cyrillize";
import { compileProblemTerms, type CompiledProblemTerms } from "../stages/problems/compile-problem-terms";
import { DEFAULT_PROBLEM_TERMS } from "../stages/problems/default-problem-terms";
import { ProblemsDataError, readLabelledProblemLines } from "../stages/problems/labelled-problems";
import { PROBLEM_TYPES, type ProblemType } from "../stages/problems/problem-types";
import { scoreSentiment } from "../stages/score-sentiment";
import { readsAsPraise, tagProblems } from "../stages/tag-problems";

/**
 * `earshot eval problems [--data FILE.jsonl]… [--json] [--misses]`
 *
 * Tags every line of labelled JSONL files ({"text","lang","problems":[types]};
 * without `lang` the language is detected) with the shipped term lists and model and prints,
 * per language and for all lines: precision, recall and F1 of each problem type,
 * their micro average, the exact-set accuracy (the tags equal the labels) and the
 * "no problem" false-positive rate (lines labelled with no problem that got a tag).
 * With no --data it reads every *.jsonl in test/fixtures/problems. `--misses`
 * also lists the lines whose tags differ from their labels.
 */

const USAGE = "usage: earshot eval problems [--data FILE.jsonl]… [--json] [--misses]\n";
const LANGS: readonly string[] = ["pl", "ru", "uk", "en", "und"];
/** At least this long is spent re-tagging the lines for the texts/s figure. */
const TIMING_MS = 200;
/** Passes over the lines before timing, so the figure is not the JIT warming up. */
const WARM_UP_ROUNDS = 3;
/** The labelled set shipped with the repository. */
export const FIXTURES_DIR = fileURLToPath(new URL("../../test/fixtures/problems/", import.meta.url));

export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
}

export interface LabelledProblems {
  text: string;
  lang: Lang;
  problems: ProblemType[];
  /** Where the line came from, for --misses. */
  where: string;
}

export interface TypeFigures {
  /** Lines labelled with the type. */
  n: number;
  tp: number;
  fp: number;
  fn: number;
  /** null when undefined (nothing predicted / nothing labelled). */
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

export interface LanguageReport {
  lang: string;
  lines: number;
  types: Record<ProblemType, TypeFigures>;
  /** Micro average over the seven types. */
  micro: TypeFigures;
  exactSetAccuracy: number | null;
  noProblem: { lines: number; falsePositives: number; rate: number | null };
}

export interface Miss {
  where: string;
  text: string;
  lang: string;
  expected: ProblemType[];
  got: { type: ProblemType; terms: string[] }[];
}

export interface ProblemsEvalReport {
  files: string[];
  lines: number;
  languages: LanguageReport[];
  all: LanguageReport;
  /** Tagging alone (lists compiled once), one core. */
  textsPerSecond: number;
  misses?: Miss[];
}

/** Runs the command; resolves to the exit code (0 done, 1 unreadable data, 2 bad arguments). */
export async function runEvalProblemsCommand(args: string[], io: CommandIo): Promise<number> {
  let options: { data?: string[]; json?: boolean; misses?: boolean };
  try {
    options = parseArgs({
      args,
      options: { data: { type: "string", multiple: true }, json: { type: "boolean" }, misses: { type: "boolean" } },
    }).values;
  } catch (err) {
    io.err(`earshot eval problems: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  let files: string[];
  let rows: LabelledProblems[];
  try {
    files = options.data ?? fixtureFiles();
    if (files.length === 0) throw new ProblemsDataError(`no *.jsonl files in ${FIXTURES_DIR}`);
    rows = files.flatMap((file) => readLabelledProblems(file));
  } catch (err) {
    if (err instanceof ProblemsDataError || (err as NodeJS.ErrnoException).code !== undefined) {
      io.err(`earshot eval problems: ${(err as Error).message}\n`);
      return 1;
    }
    throw err;
  }
  const report = evaluateProblems(rows, files, compileProblemTerms(DEFAULT_PROBLEM_TERMS), options.misses ?? false);
  io.out(options.json ? `${JSON.stringify(report)}\n` : formatProblemsReport(report));
  return 0;
}

const fixtureFiles = (): string[] =>
  readdirSync(FIXTURES_DIR)
    .filter((name) => name.endsWith(".jsonl"))
    .sort()
    .map((name) => join(FIXTURES_DIR, name));

/** Reads one labelled JSONL file; a line that is not a labelled text is an error naming the line. */
export function readLabelledProblems(file: string): LabelledProblems[] {
  return readLabelledProblemLines(file).map(({ text, lang, problems, where }) => ({
    text,
    lang: lang !== null && LANGS.includes(lang) ? (lang as Lang) : detectLanguage(text).lang,
    problems,
    where,
  }));
}

interface Tally {
  lines: number;
  exact: number;
  counts: Record<ProblemType, { tp: number; fp: number; fn: number }>;
  noProblemLines: number;
  noProblemFalsePositives: number;
}

const emptyTally = (): Tally => ({
  lines: 0,
  exact: 0,
  counts: Object.fromEntries(PROBLEM_TYPES.map((t) => [t, { tp: 0, fp: 0, fn: 0 }])) as Tally["counts"],
  noProblemLines: 0,
  noProblemFalsePositives: 0,
});

/** Tags `rows` and computes the figures (pure apart from the clock used for texts/s). */
export function evaluateProblems(rows: readonly LabelledProblems[], files: string[], compiled: CompiledProblemTerms, withMisses = false): ProblemsEvalReport {
  const byLang = new Map<string, Tally>();
  const all = emptyTally();
  const misses: Miss[] = [];
  // Read as the pipeline reads a mention: Russian typed in Latin letters back in Cyrillic, and praise
  // (by the shipped sentiment model) left to the term lists.
  const readable = rows.map((row) => readableText(row.text, row.lang));
  const context = rows.map((row, i) => ({ praise: readsAsPraise(scoreSentiment(readable[i]!, row.lang, null)) }));
  for (const [i, row] of rows.entries()) {
    const tags = tagProblems(readable[i]!, row.lang, compiled, context[i]);
    const got = new Set(tags.map((t) => t.type));
    const expected = new Set(row.problems);
    let tally = byLang.get(row.lang);
    if (tally === undefined) byLang.set(row.lang, (tally = emptyTally()));
    const exact = got.size === expected.size && [...got].every((t) => expected.has(t));
    for (const t of [tally, all]) {
      t.lines++;
      if (exact) t.exact++;
      if (expected.size === 0) {
        t.noProblemLines++;
        if (got.size > 0) t.noProblemFalsePositives++;
      }
      for (const type of PROBLEM_TYPES) {
        const c = t.counts[type];
        if (got.has(type) && expected.has(type)) c.tp++;
        else if (got.has(type)) c.fp++;
        else if (expected.has(type)) c.fn++;
      }
    }
    if (withMisses && !exact) misses.push({ where: row.where, text: row.text, lang: row.lang, expected: row.problems, got: tags });
  }
  // Timed apart from the scoring, after the pass above warmed the code up: a clock
  // read per line would cost as much as tagging a short line.
  for (let warm = 0; warm < WARM_UP_ROUNDS; warm++) for (const [i, row] of rows.entries()) tagProblems(readable[i]!, row.lang, compiled, context[i]);
  const started = performance.now();
  let rounds = 0;
  do {
    for (const [i, row] of rows.entries()) tagProblems(readable[i]!, row.lang, compiled, context[i]);
    rounds++;
  } while (performance.now() - started < TIMING_MS && rows.length > 0);
  const ms = performance.now() - started;
  const report: ProblemsEvalReport = {
    files,
    lines: rows.length,
    languages: [...byLang.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([lang, t]) => languageReport(lang, t)),
    all: languageReport("all", all),
    textsPerSecond: ms > 0 ? Math.round((rows.length * rounds * 1000) / ms) : 0,
  };
  if (withMisses) report.misses = misses;
  return report;
}

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

function figures(tp: number, fp: number, fn: number): TypeFigures {
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  const f1 = precision === null || recall === null ? null : precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { n: tp + fn, tp, fp, fn, precision, recall, f1 };
}

function languageReport(lang: string, t: Tally): LanguageReport {
  const types = Object.fromEntries(PROBLEM_TYPES.map((type) => [type, figures(t.counts[type].tp, t.counts[type].fp, t.counts[type].fn)])) as Record<ProblemType, TypeFigures>;
  const sum = (k: "tp" | "fp" | "fn") => PROBLEM_TYPES.reduce((s, type) => s + t.counts[type][k], 0);
  return {
    lang,
    lines: t.lines,
    types,
    micro: figures(sum("tp"), sum("fp"), sum("fn")),
    exactSetAccuracy: ratio(t.exact, t.lines),
    noProblem: { lines: t.noProblemLines, falsePositives: t.noProblemFalsePositives, rate: ratio(t.noProblemFalsePositives, t.noProblemLines) },
  };
}

const pct = (x: number | null): string => (x === null ? "—" : (100 * x).toFixed(1)).padStart(6);

export function formatProblemsReport(report: ProblemsEvalReport): string {
  const lines = [`problem types of ${report.lines} lines in ${report.files.length} file(s)`, ""];
  lines.push("lang  type          n    tp    fp    fn  precision  recall      F1");
  for (const l of [...report.languages, report.all]) {
    const row = (name: string, f: TypeFigures) =>
      `${l.lang.padEnd(5)} ${name.padEnd(10)}${String(f.n).padStart(5)}${String(f.tp).padStart(6)}${String(f.fp).padStart(6)}${String(f.fn).padStart(6)}     ${pct(f.precision)}  ${pct(f.recall)}  ${pct(f.f1)}`;
    for (const type of PROBLEM_TYPES) lines.push(row(type, l.types[type]));
    lines.push(row("micro", l.micro));
    lines.push(
      `${l.lang.padEnd(5)} ${l.lines} lines · exact-set accuracy ${pct(l.exactSetAccuracy).trim()} % · no-problem false positives ${l.noProblem.falsePositives}/${l.noProblem.lines} (${pct(l.noProblem.rate).trim()} %)`,
      "",
    );
  }
  lines.push(`precision, recall, F1 in %; n = lines labelled with the type; tagging speed ${report.textsPerSecond.toLocaleString("en-US")} texts/s (one core)`, "");
  if (report.misses !== undefined && report.misses.length > 0) {
    lines.push(`lines whose tags differ from their labels (${report.misses.length}):`);
    for (const m of report.misses) {
      const got = m.got.map((t) => `${t.type}(${t.terms.join(", ")})`).join(" ") || "none";
      lines.push(`${m.where} [${m.lang}] expected ${m.expected.join(",") || "none"}; got ${got}`, `    ${m.text.slice(0, 200)}`);
    }
    lines.push("");
  }
  return lines.join("\n");
}
