import type { LanguageGuess } from "../detect-language";
import type { LabelledLanguageText } from "./labelled-set";

/** Accuracy of one group of lines (a language or a case). */
export interface GroupFigures {
  name: string;
  n: number;
  correct: number;
  accuracy: number;
}

export interface LanguageEvaluation {
  n: number;
  correct: number;
  accuracy: number;
  /** By the labelled language. */
  languages: GroupFigures[];
  cases: GroupFigures[];
  /** confusion[labelled][detected] = lines. */
  confusion: Record<string, Record<string, number>>;
  /** How often each rule decided. */
  methods: Record<string, number>;
  /** The lines detected wrongly, for reading. */
  errors: { text: string; lang: string; case: string; detected: string; method: string }[];
}

/** Detects every line and counts; pure apart from what `detect` does. */
export const evaluateLanguage = (rows: readonly LabelledLanguageText[], detect: (text: string) => LanguageGuess): LanguageEvaluation => {
  const byLang = new Map<string, { n: number; correct: number }>();
  const byCase = new Map<string, { n: number; correct: number }>();
  const confusion: Record<string, Record<string, number>> = {};
  const methods: Record<string, number> = {};
  const errors: LanguageEvaluation["errors"] = [];
  let correct = 0;
  for (const row of rows) {
    const g = detect(row.text);
    const ok = g.lang === row.lang;
    if (ok) correct++;
    else errors.push({ text: row.text, lang: row.lang, case: row.case, detected: g.lang, method: g.method });
    bump(byLang, row.lang, ok);
    bump(byCase, row.case, ok);
    const cell = (confusion[row.lang] ??= {});
    cell[g.lang] = (cell[g.lang] ?? 0) + 1;
    methods[g.method] = (methods[g.method] ?? 0) + 1;
  }
  return {
    n: rows.length,
    correct,
    accuracy: ratio(correct, rows.length),
    languages: figures(byLang),
    cases: figures(byCase),
    confusion,
    methods,
    errors,
  };
};

const bump = (groups: Map<string, { n: number; correct: number }>, key: string, ok: boolean): void => {
  const g = groups.get(key) ?? { n: 0, correct: 0 };
  g.n++;
  if (ok) g.correct++;
  groups.set(key, g);
};

const figures = (groups: Map<string, { n: number; correct: number }>): GroupFigures[] =>
  [...groups].map(([name, g]) => ({ name, n: g.n, correct: g.correct, accuracy: ratio(g.correct, g.n) })).sort((a, b) => b.n - a.n || a.name.localeCompare(b.name));

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);
