import { readFileSync } from "node:fs";
import { z } from "zod";

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
export const readLabelledLanguageSet = (path: string): LabelledLanguageText[] => {
  const rows: LabelledLanguageText[] = [];
  const lines = readFileSync(path, "utf8").split("\n");
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === "") continue;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (err) {
      throw new LabelledSetError(`${path}:${i + 1}: not JSON`, { cause: err });
    }
    const parsed = line.safeParse(json);
    if (!parsed.success) throw new LabelledSetError(`${path}:${i + 1}: ${z.prettifyError(parsed.error).replace(/\n/g, "; ")}`);
    rows.push(parsed.data);
  }
  return rows;
};
