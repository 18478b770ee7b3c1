import { readFileSync } from "node:fs";
import { z } from "zod";

/**
 * Reads a labelled JSONL file (one JSON object per line, blank lines
 * skipped), each line checked against `row`. A line that is not JSON or not
 * a row is an error naming the file and the line, made by `fail` so each
 * reader keeps its own error class.
 */
export function readJsonlRows<T>(path: string, row: z.ZodType<T>, fail: (message: string, cause?: unknown) => Error): T[] {
  return readNumberedJsonlRows(path, row, fail).map((numbered) => numbered.row);
}

/** As readJsonlRows, with each row's line number (1-based), for reports that point back at the file. */
export function readNumberedJsonlRows<T>(
  path: string,
  row: z.ZodType<T>,
  fail: (message: string, cause?: unknown) => Error,
): { row: T; line: number }[] {
  const rows: { row: T; line: number }[] = [];
  const lines = readFileSync(path, "utf8").split("\n");
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === "") continue;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (err) {
      throw fail(`${path}:${i + 1}: not JSON`, err);
    }
    const parsed = row.safeParse(json);
    if (!parsed.success) throw fail(`${path}:${i + 1}: ${z.prettifyError(parsed.error).replace(/\n/g, "; ")}`);
    rows.push({ row: parsed.data, line: i + 1 });
  }
  return rows;
}
