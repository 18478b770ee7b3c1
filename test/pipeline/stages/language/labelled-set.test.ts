import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { LANGUAGE_CASES, LabelledSetError, readLabelledLanguageSet } from "../../../../pipeline/stages/language/labelled-set";

const dir = mkdtempSync(join(tmpdir(), "earshot-lang-set-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe("readLabelledLanguageSet()", () => {
  test("readLabelledLanguageSet() reads every line and skips blank ones", () => {
    const path = file("ok.jsonl", '{"text":"ne rabotaet","lang":"ru","case":"translit"}\n\n{"text":"ok","lang":"und","case":"short"}\n');
    expect(readLabelledLanguageSet(path)).toEqual([
      { text: "ne rabotaet", lang: "ru", case: "translit" },
      { text: "ok", lang: "und", case: "short" },
    ]);
  });

  test("readLabelledLanguageSet() names the file and line of a line that is not JSON", () => {
    const path = file("broken.jsonl", '{"text":"a","lang":"en","case":"short"}\n{"text":\n');
    expect(() => readLabelledLanguageSet(path)).toThrow(LabelledSetError);
    expect(() => readLabelledLanguageSet(path)).toThrow(/broken\.jsonl:2: not JSON/);
  });

  test("readLabelledLanguageSet() rejects an unknown case", () => {
    const path = file("case.jsonl", '{"text":"a","lang":"en","case":"weird"}\n');
    expect(() => readLabelledLanguageSet(path)).toThrow(/case\.jsonl:1:/);
  });

  test("readLabelledLanguageSet() reads the shipped hard cases: 300 lines or more, every case present", () => {
    const rows = readLabelledLanguageSet(new URL("../../../fixtures/language/hard-cases.jsonl", import.meta.url).pathname);
    expect(rows.length).toBeGreaterThanOrEqual(300);
    expect(new Set(rows.map((r) => r.case))).toEqual(new Set(LANGUAGE_CASES));
    expect(new Set(rows.map((r) => r.text)).size).toBe(rows.length);
  });
});
