import { z } from "zod";
import { readJsonlRows } from "../../labelled-jsonl";

/**
 * A labelled language set: one {"text", "lang", "case"} object per line, e.g.
 * test/fixtures/language/hard-cases.jsonl. `case` names the difficulty the line
 * stands for, so accuracy can be read per case as well as per language.
 */
export const LANGUAGE_CASES = ["short", "no-diacritics", "ru-vs-uk", "mixed-script", "translit", "long", "other-lang"] as const;
export type LanguageCase = (typeof LANGUAGE_CASES)[number];

export interface LabelledLanguageText {
  text: string;
  lang: string;
  case: LanguageCase;
}

const line = z.object({ text: z.string(), lang: z.string().min(2), case: z.enum(LANGUAGE_CASES) });

export class LabelledSetError extends Error {
  override readonly name = "LabelledSetError";
}

/** Reads every line; a malformed line is an error naming the file and the line. */
export const readLabelledLanguageSet = (path: string): LabelledLanguageText[] =>
  readJsonlRows(path, line, (message, cause) => new LabelledSetError(message, { cause }));
