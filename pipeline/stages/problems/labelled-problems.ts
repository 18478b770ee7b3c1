import { z } from "zod";
import { readNumberedJsonlRows } from "../../labelled-jsonl";
import { PROBLEM_TYPES, type ProblemType } from "./problem-types";

/**
 * A problem-type labelled set: one {"text", "lang", "problems": [types]}
 * object per line, e.g. test/fixtures/problems/pl.jsonl; `problems: []` is a
 * mention that reports no problem. `lang` may be left out (then it is
 * detected by whoever reads the set).
 */
export interface LabelledProblemLine {
  text: string;
  lang: string | null;
  /** Each type once. */
  problems: ProblemType[];
  /** `file:line`, to point back at the line. */
  where: string;
}

const row = z.object({
  text: z.string(),
  lang: z.string().optional(),
  problems: z.array(z.enum(PROBLEM_TYPES)),
});

export class ProblemsDataError extends Error {
  override readonly name = "ProblemsDataError";
}

/** Reads every line; a malformed line is an error naming the file and the line. */
export function readLabelledProblemLines(path: string): LabelledProblemLine[] {
  return readNumberedJsonlRows(path, row, (message, cause) => new ProblemsDataError(message, { cause })).map(({ row: r, line }) => ({
    text: r.text,
    lang: r.lang ?? null,
    problems: [...new Set(r.problems)],
    where: `${path}:${line}`,
  }));
}
