import type { MessageKey } from "./messages";

/**
 * Earshot's problem types in the order the pipeline lists them, each with its
 * label's message key. The web bundle cannot import pipeline/mention.ts, so
 * the list is kept here once for every view, and a test keeps it equal to the
 * pipeline's PROBLEM_TYPES.
 */
export const PROBLEM_CHOICES: readonly (readonly [type: string, label: MessageKey])[] = [
  ["outage", "problem.outage"],
  ["delivery", "problem.delivery"],
  ["quality", "problem.quality"],
  ["price", "problem.price"],
  ["service", "problem.service"],
  ["scandal", "problem.scandal"],
  ["security", "problem.security"],
];

const LABELS: ReadonlyMap<string, MessageKey> = new Map(PROBLEM_CHOICES);

/** A problem type in the reader's language; one this build does not know (a newer server) is shown as its code. */
export function problemLabel(type: string, t: (key: MessageKey) => string): string {
  const key = LABELS.get(type);
  return key === undefined ? type : t(key);
}
