import { z } from "zod";
import { MAX_TERM_CHARS, problemTermIssue } from "./compile-problem-terms";
import { PROBLEM_TYPES, TERM_LANGS } from "./problem-types";

/**
 * Configuration of the problem-type term lists, per type and language:
 *
 * ```json
 * "problems": {
 *   "delivery": { "pl": ["skrytk* zamarz*", "~kurier*"], "en": ["-delay*"] },
 *   "outage":   { "ru": ["лежит"] }
 * }
 * ```
 * An entry adds a term that reports the type by itself; `~term` adds a topic
 * (reports the type only next to a complaint word such as "again", "znowu",
 * "опять"); `-term` removes a shipped term or topic written exactly so, and keeps
 * the trained model from tagging the type on the words it matches. Russian
 * entries also apply to Ukrainian. Term syntax: `stem*`, exact words, `{a,b}`
 * alternatives and phrases (see problems/problem-types.ts).
 */
const problemTerm = z
  .string()
  .max(MAX_TERM_CHARS)
  .superRefine((term, ctx) => {
    const issue = problemTermIssue(term);
    if (issue !== null) ctx.addIssue({ code: "custom", message: `problem term "${term}": ${issue}` });
  });

const perLanguage = z.strictObject(
  Object.fromEntries(TERM_LANGS.map((lang) => [lang, z.array(problemTerm).optional()])) as Record<
    (typeof TERM_LANGS)[number],
    z.ZodOptional<z.ZodArray<typeof problemTerm>>
  >,
);

/** The `problems` section of the configuration; compile with compileProblemTerms(DEFAULT_PROBLEM_TERMS, value). */
export const problemsConfigSchema = z.partialRecord(z.enum(PROBLEM_TYPES), perLanguage).default({});

export type ProblemsConfig = z.infer<typeof problemsConfigSchema>;
