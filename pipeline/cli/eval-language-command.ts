import { parseArgs } from "node:util";
import { detectLanguage } from "../stages/detect-language";
import { evaluateLanguage, type GroupFigures, type LanguageEvaluation } from "../stages/language/evaluate-language";
import { LabelledSetError, readLabelledLanguageSet, type LabelledLanguageText } from "../stages/language/labelled-set";

/**
 * `earshot eval language --data FILE.jsonl [--json] [--errors]`
 *
 * Detects the language of every line of a labelled JSONL file ({"text","lang","case"})
 * and prints accuracy per language and per case, the confusion table (labelled
 * rows × detected columns), which rule decided how often, and texts per second on
 * one core. `--errors` also lists the lines detected wrongly.
 */

const USAGE = "usage: earshot eval language --data FILE.jsonl [--json] [--errors]\n";
/** Passes over the set before timing, so the figure is not the JIT warming up. */
const WARM_UP_PASSES = 3;
/** Time the set for at least this long. */
const TIMED_MS = 300;

export interface LanguageEvalReport extends LanguageEvaluation {
  file: string;
  /** Detection only, one core, over the lines of the file. */
  textsPerSecond: number;
}

export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
}

/** Runs the command; resolves to the exit code (0 done, 1 unreadable data, 2 bad arguments). */
export async function runEvalLanguageCommand(args: string[], io: CommandIo): Promise<number> {
  let options: { data?: string; json?: boolean; errors?: boolean };
  try {
    options = parseArgs({ args, options: { data: { type: "string" }, json: { type: "boolean" }, errors: { type: "boolean" } } }).values;
  } catch (err) {
    io.err(`earshot eval language: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (options.data === undefined) {
    io.err(USAGE);
    return 2;
  }
  let rows: LabelledLanguageText[];
  try {
    rows = readLabelledLanguageSet(options.data);
  } catch (err) {
    if (err instanceof LabelledSetError || (err as NodeJS.ErrnoException).code !== undefined) {
      io.err(`earshot eval language: ${(err as Error).message}\n`);
      return 1;
    }
    throw err;
  }
  const report: LanguageEvalReport = { file: options.data, ...evaluateLanguage(rows, (t) => detectLanguage(t)), textsPerSecond: measureSpeed(rows) };
  io.out(options.json ? `${JSON.stringify(report)}\n` : formatReport(report, options.errors ?? false));
  return 0;
}

const measureSpeed = (rows: readonly LabelledLanguageText[]): number => {
  if (rows.length === 0) return 0;
  for (let p = 0; p < WARM_UP_PASSES; p++) for (const row of rows) detectLanguage(row.text);
  let texts = 0;
  const started = performance.now();
  let elapsed = 0;
  do {
    for (const row of rows) detectLanguage(row.text);
    texts += rows.length;
    elapsed = performance.now() - started;
  } while (elapsed < TIMED_MS);
  return Math.round((texts / elapsed) * 1000);
};

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

const groupTable = (title: string, groups: readonly GroupFigures[]): string[] => {
  const width = Math.max(title.length, ...groups.map((g) => g.name.length));
  return [`${title.padEnd(width)}      n  correct  accuracy`, ...groups.map((g) => `${g.name.padEnd(width)}  ${String(g.n).padStart(5)}  ${String(g.correct).padStart(7)}  ${pct(g.accuracy).padStart(8)}`)];
};

export const formatReport = (r: LanguageEvalReport, withErrors: boolean): string => {
  const lines = [`${r.file}: ${r.n} lines, accuracy ${pct(r.accuracy)} (${r.correct}/${r.n}), ${r.textsPerSecond.toLocaleString("en-US")} texts/s on one core`, ""];
  lines.push(...groupTable("language", r.languages), "", ...groupTable("case", r.cases), "");
  const labelled = r.languages.map((g) => g.name);
  const detected = [...new Set([...labelled, ...Object.values(r.confusion).flatMap((row) => Object.keys(row))])];
  const w = Math.max(4, ...detected.map((d) => d.length));
  lines.push("confusion (rows: labelled, columns: detected)");
  lines.push(`${"".padEnd(w)} ${detected.map((d) => d.padStart(w)).join(" ")}`);
  for (const gold of labelled) lines.push(`${gold.padEnd(w)} ${detected.map((d) => String(r.confusion[gold]?.[d] ?? "·").padStart(w)).join(" ")}`);
  lines.push("", `decided by: ${Object.entries(r.methods).sort((a, b) => b[1] - a[1]).map(([m, n]) => `${m} ${n}`).join(", ")}`);
  if (withErrors && r.errors.length > 0) {
    lines.push("", "wrong:");
    for (const e of r.errors) lines.push(`  [${e.case}] ${e.lang} → ${e.detected} (${e.method}): ${JSON.stringify(e.text)}`);
  }
  return `${lines.join("\n")}\n`;
};
