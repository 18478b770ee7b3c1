import { z } from "zod";
import { readJsonlRows } from "../../../labelled-jsonl";
import type { SentimentLabel } from "../../../mention";

/**
 * Reads labelled JSONL: one {"text", "label", "lang"} object per line. The
 * training corpora also carry `split` (train/dev); `lang` may be left out of an
 * evaluation file (the language is then detected).
 */

export interface LabelledText {
  text: string;
  label: SentimentLabel;
  lang: string | null;
  /** The file the line came from (its base name without .jsonl). */
  file: string;
  split: "train" | "dev" | null;
}

const line = z.object({
  text: z.string(),
  label: z.enum(["negative", "neutral", "positive"]),
  lang: z.string().optional(),
  split: z.enum(["train", "dev"]).optional(),
});

export class DatasetError extends Error {
  override readonly name = "DatasetError";
}

/** Reads every line of a JSONL file; a malformed line is an error naming the file and line. */
export const readLabelledJsonl = (path: string): LabelledText[] => {
  const file = path.replace(/^.*\//, "").replace(/\.jsonl$/, "");
  return readJsonlRows(path, line, (message, cause) => new DatasetError(message, { cause })).map((row) => ({
    text: row.text,
    label: row.label,
    lang: row.lang ?? null,
    file,
    split: row.split ?? null,
  }));
};
