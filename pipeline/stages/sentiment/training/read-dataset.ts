import { readFileSync } from "node:fs";
import { z } from "zod";
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
  const rows: LabelledText[] = [];
  const lines = readFileSync(path, "utf8").split("\n");
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === "") continue;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (err) {
      throw new DatasetError(`${path}:${i + 1}: not JSON`, { cause: err });
    }
    const parsed = line.safeParse(json);
    if (!parsed.success) throw new DatasetError(`${path}:${i + 1}: ${z.prettifyError(parsed.error).replace(/\n/g, "; ")}`);
    rows.push({ text: parsed.data.text, label: parsed.data.label, lang: parsed.data.lang ?? null, file, split: parsed.data.split ?? null });
  }
  return rows;
};
