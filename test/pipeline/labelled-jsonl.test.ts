import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { z } from "zod";
import { readJsonlRows } from "../../pipeline/labelled-jsonl";
import { tempDirs } from "../support/temp-dir";

const dirs = tempDirs();
const row = z.object({ text: z.string(), label: z.enum(["a", "b"]) });
class RowError extends Error {}
const fail = (message: string, cause?: unknown) => new RowError(message, { cause });

function file(content: string): string {
  const path = join(dirs.make(), "set.jsonl");
  writeFileSync(path, content);
  return path;
}

describe("readJsonlRows", () => {
  test("readJsonlRows() reads every row and skips blank lines", () => {
    const path = file('{"text":"x","label":"a"}\n\n  \n{"text":"y","label":"b"}\n');
    expect(readJsonlRows(path, row, fail)).toEqual([
      { text: "x", label: "a" },
      { text: "y", label: "b" },
    ]);
  });

  test("readJsonlRows() names the file and line of text that is not JSON, with the reader's own error", () => {
    const path = file('{"text":"x","label":"a"}\n{"text": oops}\n');
    expect(() => readJsonlRows(path, row, fail)).toThrow(RowError);
    expect(() => readJsonlRows(path, row, fail)).toThrow(`${path}:2: not JSON`);
  });

  test("readJsonlRows() names the field of a line that is not a row", () => {
    const path = file('{"text":"x","label":"c"}\n');
    expect(() => readJsonlRows(path, row, fail)).toThrow(new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:1: .*label`));
  });
});
