import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { readLists } from "../../tag-problems";
import { compileProblemTerms } from "../compile-problem-terms";
import { DEFAULT_PROBLEM_TERMS } from "../default-problem-terms";
import { ProblemsDataError, readLabelledProblemLines } from "../labelled-problems";
import { extractModelFeatures, newFeatureList, type ModelFeatureOptions } from "../model-features";
import { MODEL_LANGS, TYPE_COUNT, type ModelLang, type ProblemModel } from "../problem-model";
import { decodeProblemModel, encodeProblemModel, quantizeWeights, roundTripWeights } from "../problem-model-file";
import { PROBLEM_TYPES, type ProblemType } from "../problem-types";
import { problemModelUrl } from "../shipped-problem-model";
import { exampleLogits, seededRandom, shuffle, trainLogistic, type Example, type TrainSettings } from "./logistic";

/**
 * Trains the shipped problem-type model:
 *
 *   npx tsx pipeline/stages/problems/training/train.ts [--data FILE.jsonl]… [--out FILE] [--grid] [--dry-run]
 *
 * Reads the labelled fixtures (test/fixtures/problems/{pl,ru,en}.jsonl by
 * default) and nothing else: the held-out set in test/fixtures/problems/held-out
 * is a test set and never read here. The settings and each type's threshold are
 * chosen by seeded 5-fold cross-validation on those lines; the figures printed
 * are out-of-fold: the lists alone, the model alone, and the two together (a type
 * is tagged when the lists tag it or the model's probability reaches the
 * threshold). Then the model is trained on every line and written to
 * model/problems.bin.gz. The same data gives the same file, byte for byte.
 * `--grid` tries the settings grid and prints each setting's figures first.
 */

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, "../../../..");
export const DEFAULT_DATA = ["pl", "ru", "en"].map((l) => join(ROOT, "test/fixtures/problems", `${l}.jsonl`));
const FOLDS = 5;
const SEED = 20_261_123;

export interface Recipe {
  features: ModelFeatureOptions;
  train: Omit<TrainSettings, "seed">;
}

/**
 * Chosen with --grid by out-of-fold micro-F1 of lists OR model (5 folds, one shared
 * threshold). Character 3- to 5-grams score 83.5, 3-grams alone 83.1, 4-grams alone
 * 82.6 (the grid spans 82.4–83.5): one n-gram size costs a third of three, and the
 * model then adds ≈2.5 µs a text instead of ≈5 µs, which the ≥ 20,000 texts/s
 * text path needs. 2^14 buckets score as 2^13 and 2^15.
 */
export const RECIPE: Recipe = {
  features: { charMin: 3, charMax: 3, charWeight: 0.8, minNorm2: 12 },
  train: { bits: 14, epochs: 12, learningRate: 0.3, l2: 1e-5, positiveWeight: 1 },
};

const GRID: Recipe[] = [
  RECIPE,
  ...[
    [3, 5],
    [3, 4],
    [4, 5],
    [4, 4],
    [5, 5],
  ].flatMap(([charMin, charMax]) => [{ ...RECIPE, features: { ...RECIPE.features, charMin: charMin!, charMax: charMax! } }]),
  ...[0.5, 1.2].map((charWeight) => ({ ...RECIPE, features: { ...RECIPE.features, charWeight } })),
  ...[8, 30].map((minNorm2) => ({ ...RECIPE, features: { ...RECIPE.features, minNorm2 } })),
  ...[13, 15].map((bits) => ({ ...RECIPE, train: { ...RECIPE.train, bits } })),
  ...[8, 20].map((epochs) => ({ ...RECIPE, train: { ...RECIPE.train, epochs } })),
  ...[1e-6, 1e-4].map((l2) => ({ ...RECIPE, train: { ...RECIPE.train, l2 } })),
  ...[2, 3].map((positiveWeight) => ({ ...RECIPE, train: { ...RECIPE.train, positiveWeight } })),
];

export interface Line {
  text: string;
  lang: ModelLang;
  labels: number;
  /** Types the shipped lists tag, as a bit set. */
  lists: number;
}

const bitOf = (type: ProblemType): number => 1 << PROBLEM_TYPES.indexOf(type);

export function readLines(files: readonly string[]): Line[] {
  const compiled = compileProblemTerms(DEFAULT_PROBLEM_TERMS, {}, { model: null });
  const lines: Line[] = [];
  for (const file of files) {
    for (const row of readLabelledProblemLines(file)) {
      if (!MODEL_LANGS.includes(row.lang as ModelLang)) throw new ProblemsDataError(`${row.where}: "lang" must be one of ${MODEL_LANGS.join(", ")}`);
      const lang = row.lang as ModelLang;
      const reading = readLists(row.text, compiled[lang], false);
      let lists = 0;
      for (const type of reading?.found.keys() ?? []) lists |= bitOf(type);
      let labels = 0;
      for (const p of row.problems) labels |= bitOf(p);
      lines.push({ text: row.text, lang, labels, lists });
    }
  }
  return lines;
}

export function examplesOf(lines: readonly Line[], features: ModelFeatureOptions): Example[] {
  const compiled = compileProblemTerms(DEFAULT_PROBLEM_TERMS, {}, { model: null });
  return lines.map((line) => {
    const reading = readLists(line.text, compiled[line.lang], true);
    const list = newFeatureList(16);
    if (reading !== null) extractModelFeatures(reading.input, features, list);
    return { lang: MODEL_LANGS.indexOf(line.lang), features: list, labels: line.labels };
  });
}

/** Fold of each line: a seeded shuffle within each language, dealt round-robin. */
function foldsOf(lines: readonly Line[]): Int32Array {
  const fold = new Int32Array(lines.length);
  const random = seededRandom(SEED);
  for (const lang of MODEL_LANGS) {
    const indices = lines.flatMap((l, i) => (l.lang === lang ? [i] : []));
    shuffle(indices, random).forEach((index, k) => (fold[index] = k % FOLDS));
  }
  return fold;
}

/** Out-of-fold probabilities: row-major, TYPE_COUNT per line. */
function outOfFold(examples: readonly Example[], folds: Int32Array, settings: Omit<TrainSettings, "seed">): Float64Array {
  const probs = new Float64Array(examples.length * TYPE_COUNT);
  const logits = new Float64Array(TYPE_COUNT);
  for (let k = 0; k < FOLDS; k++) {
    const model = trainLogistic(
      examples.filter((_, i) => folds[i] !== k),
      MODEL_LANGS.length,
      { ...settings, seed: SEED + k },
    );
    model.weights = roundTripWeights(model.weights);
    examples.forEach((e, i) => {
      if (folds[i] !== k) return;
      exampleLogits(model, e, logits);
      for (let t = 0; t < TYPE_COUNT; t++) probs[i * TYPE_COUNT + t] = 1 / (1 + Math.exp(-logits[t]!));
    });
  }
  return probs;
}

interface Counts {
  tp: number;
  fp: number;
  fn: number;
}
const f1 = (c: Counts): number => (c.tp === 0 ? 0 : (2 * c.tp) / (2 * c.tp + c.fp + c.fn));
const precision = (c: Counts): number => (c.tp + c.fp === 0 ? 0 : c.tp / (c.tp + c.fp));
const recall = (c: Counts): number => (c.tp + c.fn === 0 ? 0 : c.tp / (c.tp + c.fn));

/** Counts of type t over `rows` when a line is tagged by `tagged(i)`. */
function countType(lines: readonly Line[], rows: readonly number[], t: number, tagged: (i: number) => boolean): Counts {
  const c: Counts = { tp: 0, fp: 0, fn: 0 };
  for (const i of rows) {
    const y = (lines[i]!.labels >> t) & 1;
    const p = tagged(i);
    if (p && y) c.tp++;
    else if (p) c.fp++;
    else if (y) c.fn++;
  }
  return c;
}

const THRESHOLDS = Array.from({ length: 19 }, (_, k) => 0.05 * (k + 1));

/**
 * Each type's threshold: the one with the best out-of-fold F1 of the lists and
 * the model together (`alone`: of the model alone). The lists were tuned on these
 * lines, so they miss fewer of them than of new text, and the threshold chosen
 * together leans towards precision: what the model adds must beat lists that
 * already know these lines.
 */
function chooseThresholds(lines: readonly Line[], probs: Float64Array, alone = false): Float32Array {
  const rows = lines.map((_, i) => i);
  const every = PROBLEM_TYPES.map((_, t) => t);
  // One threshold for every type: per type, a few dozen lines the lists miss would decide it alone.
  let best = 0.5;
  let bestF1 = -1;
  for (const thr of THRESHOLDS) {
    const c: Counts = { tp: 0, fp: 0, fn: 0 };
    for (const t of every) {
      const byLists = (i: number): boolean => !alone && ((lines[i]!.lists >> t) & 1) === 1;
      const x = countType(lines, rows, t, (i) => byLists(i) || probs[i * TYPE_COUNT + t]! >= thr);
      c.tp += x.tp;
      c.fp += x.fp;
      c.fn += x.fn;
    }
    if (f1(c) > bestF1 + 1e-9) {
      bestF1 = f1(c);
      best = thr;
    }
  }
  return new Float32Array(TYPE_COUNT).fill(best);
}

interface Figures {
  lists: Counts;
  model: Counts;
  both: Counts;
}

function figuresOf(lines: readonly Line[], rows: readonly number[], probs: Float64Array, thresholds: Float32Array, types: readonly number[]): Figures {
  const sum = (get: (t: number) => Counts): Counts => {
    const c: Counts = { tp: 0, fp: 0, fn: 0 };
    for (const t of types) {
      const x = get(t);
      c.tp += x.tp;
      c.fp += x.fp;
      c.fn += x.fn;
    }
    return c;
  };
  const byModel = (i: number, t: number): boolean => probs[i * TYPE_COUNT + t]! >= thresholds[t]!;
  const byLists = (i: number, t: number): boolean => ((lines[i]!.lists >> t) & 1) === 1;
  return {
    lists: sum((t) => countType(lines, rows, t, (i) => byLists(i, t))),
    model: sum((t) => countType(lines, rows, t, (i) => byModel(i, t))),
    both: sum((t) => countType(lines, rows, t, (i) => byLists(i, t) || byModel(i, t))),
  };
}

const pct = (x: number): string => (100 * x).toFixed(1).padStart(5);
const describe = (c: Counts): string => `P ${pct(precision(c))} R ${pct(recall(c))} F1 ${pct(f1(c))}`;

function report(lines: readonly Line[], probs: Float64Array, thresholds: Float32Array, print: (s: string) => void): Record<string, number> {
  const all = lines.map((_, i) => i);
  const every = PROBLEM_TYPES.map((_, t) => t);
  print("out-of-fold figures on the labelled fixtures (lists | model | lists OR model):");
  for (const lang of [...MODEL_LANGS, "all"] as const) {
    const rows = lang === "all" ? all : all.filter((i) => lines[i]!.lang === lang);
    for (const [t, type] of PROBLEM_TYPES.entries()) {
      const f = figuresOf(lines, rows, probs, thresholds, [t]);
      print(`  ${lang.padEnd(3)} ${type.padEnd(9)} ${describe(f.lists)} | ${describe(f.model)} | ${describe(f.both)}`);
    }
    const f = figuresOf(lines, rows, probs, thresholds, every);
    print(`  ${lang.padEnd(3)} ${"micro".padEnd(9)} ${describe(f.lists)} | ${describe(f.model)} | ${describe(f.both)}`);
  }
  const f = figuresOf(lines, all, probs, thresholds, every);
  const r3 = (x: number): number => Math.round(x * 1000) / 1000;
  return {
    folds: FOLDS,
    listsPrecision: r3(precision(f.lists)),
    listsRecall: r3(recall(f.lists)),
    listsF1: r3(f1(f.lists)),
    modelPrecision: r3(precision(f.model)),
    modelRecall: r3(recall(f.model)),
    modelF1: r3(f1(f.model)),
    bothPrecision: r3(precision(f.both)),
    bothRecall: r3(recall(f.both)),
    bothF1: r3(f1(f.both)),
  };
}

function main(): void {
  const { values } = parseArgs({
    options: { data: { type: "string", multiple: true }, out: { type: "string" }, grid: { type: "boolean" }, "dry-run": { type: "boolean" } },
  });
  const files = values.data ?? DEFAULT_DATA;
  if (files.some((f) => f.includes("held-out"))) throw new Error("the held-out set is a test set: train on the labelled fixtures only");
  const print = (s: string): void => console.log(s);
  const lines = readLines(files);
  const folds = foldsOf(lines);
  print(`${lines.length} labelled lines from ${files.map((f) => relative(ROOT, f)).join(", ")}`);

  if (values.grid) {
    for (const recipe of GRID) {
      const probs = outOfFold(examplesOf(lines, recipe.features), folds, recipe.train);
      const thresholds = chooseThresholds(lines, probs);
      const f = figuresOf(lines, lines.map((_, i) => i), probs, thresholds, PROBLEM_TYPES.map((_, t) => t));
      print(`${JSON.stringify(recipe)}  model ${describe(f.model)} | both ${describe(f.both)}`);
    }
  }

  const examples = examplesOf(lines, RECIPE.features);
  const probs = outOfFold(examples, folds, RECIPE.train);
  const thresholds = chooseThresholds(lines, probs);
  const aloneThresholds = chooseThresholds(lines, probs, true);
  print(`thresholds for the model alone: ${PROBLEM_TYPES.map((type, t) => `${type} ${aloneThresholds[t]!.toFixed(2)}`).join(", ")}`);
  report(lines, probs, aloneThresholds, print);
  print(`thresholds: ${PROBLEM_TYPES.map((type, t) => `${type} ${thresholds[t]!.toFixed(2)}`).join(", ")}`);
  const crossValidated = report(lines, probs, thresholds, print);

  const linear = trainLogistic(examples, MODEL_LANGS.length, { ...RECIPE.train, seed: SEED });
  const model: ProblemModel = {
    bits: linear.bits,
    features: RECIPE.features,
    ...quantizeWeights(linear.weights),
    bias: linear.bias,
    thresholds,
    about: {
      trainedOn: files.map((f) => relative(ROOT, f)),
      settings: { ...RECIPE.features, ...RECIPE.train, seed: SEED },
      crossValidated,
    },
  };
  const file = encodeProblemModel(model);
  decodeProblemModel(file); // refuse to write what could not be read back
  const out = values.out ?? fileURLToPath(problemModelUrl);
  if (values["dry-run"]) {
    print(`dry run: ${file.length} bytes not written`);
    return;
  }
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, file);
  print(`wrote ${relative(ROOT, out)} (${(file.length / 1024).toFixed(1)} KiB)`);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) main();
