import type { SentimentLabel } from "../../mention";

/**
 * Classification figures for sentiment: the 3×3 confusion matrix and what is
 * read from it. Macro-F1 averages the F1 of each class; F1^PN (SemEval-2016/2017
 * Task 4) averages only positive and negative, so a model cannot score by calling
 * everything neutral.
 */

export const SENTIMENT_LABELS: readonly SentimentLabel[] = ["negative", "neutral", "positive"];

/** confusion[gold][predicted], in SENTIMENT_LABELS order. */
export type Confusion = number[][];

export interface ClassFigures {
  precision: number;
  recall: number;
  f1: number;
  /** Gold texts of the class. */
  support: number;
}

export interface Figures {
  n: number;
  accuracy: number;
  /** Mean F1 over the classes that occur in the gold labels (all three unless a corpus lacks one). */
  macroF1: number;
  /** Mean F1 of positive and negative. */
  f1PN: number;
  perClass: Record<SentimentLabel, ClassFigures>;
  confusion: Confusion;
}

export const emptyConfusion = (): Confusion => [
  [0, 0, 0],
  [0, 0, 0],
  [0, 0, 0],
];

const index = (label: SentimentLabel): number => SENTIMENT_LABELS.indexOf(label);

/** Counts one gold/predicted pair into `confusion`. */
export const tally = (confusion: Confusion, gold: SentimentLabel, predicted: SentimentLabel): void => {
  confusion[index(gold)]![index(predicted)]! += 1;
};

export const confusionOf = (gold: readonly SentimentLabel[], predicted: readonly SentimentLabel[]): Confusion => {
  if (gold.length !== predicted.length) throw new RangeError(`confusionOf(): ${gold.length} gold labels but ${predicted.length} predictions`);
  const confusion = emptyConfusion();
  for (let i = 0; i < gold.length; i++) tally(confusion, gold[i]!, predicted[i]!);
  return confusion;
};

/** Precision, recall and F1 of one class; a class never predicted has precision 0 (and so F1 0). */
export const classFigures = (confusion: Confusion, label: SentimentLabel): ClassFigures => {
  const c = index(label);
  let predicted = 0;
  let support = 0;
  for (let k = 0; k < 3; k++) {
    predicted += confusion[k]![c]!;
    support += confusion[c]![k]!;
  }
  const hit = confusion[c]![c]!;
  const precision = predicted === 0 ? 0 : hit / predicted;
  const recall = support === 0 ? 0 : hit / support;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, support };
};

export const figuresOf = (confusion: Confusion): Figures => {
  const perClass = {
    negative: classFigures(confusion, "negative"),
    neutral: classFigures(confusion, "neutral"),
    positive: classFigures(confusion, "positive"),
  };
  let n = 0;
  let hits = 0;
  for (let g = 0; g < 3; g++) {
    hits += confusion[g]![g]!;
    for (let p = 0; p < 3; p++) n += confusion[g]![p]!;
  }
  const present = SENTIMENT_LABELS.filter((l) => perClass[l].support > 0);
  const macroF1 = present.length === 0 ? 0 : present.reduce((s, l) => s + perClass[l].f1, 0) / present.length;
  return {
    n,
    accuracy: n === 0 ? 0 : hits / n,
    macroF1,
    f1PN: (perClass.positive.f1 + perClass.negative.f1) / 2,
    perClass,
    confusion: confusion.map((row) => row.slice()),
  };
};
