import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { z } from "zod";

// The labelled set the problem tagger is measured against. This file checks only its shape, so a
// broken or thinned-out fixture fails loudly here instead of quietly skewing the tagger's scores.

const PROBLEM_TYPES = ["outage", "delivery", "quality", "price", "service", "scandal", "security"] as const;
const LANGS = ["pl", "ru", "en"] as const;
const MIN_LINES_PER_TYPE = 40;
const MIN_NO_PROBLEM_LINES = 60;

const Line = z.strictObject({
  text: z.string().trim().min(1),
  lang: z.enum(LANGS),
  problems: z.array(z.enum(PROBLEM_TYPES)).refine((list) => new Set(list).size === list.length, "duplicate type"),
});
type Line = z.infer<typeof Line>;

const fixtureUrl = (lang: string): URL => new URL(`../../fixtures/problems/${lang}.jsonl`, import.meta.url);

const readLines = (lang: string): string[] =>
  readFileSync(fileURLToPath(fixtureUrl(lang)), "utf8")
    .split("\n")
    .filter((raw) => raw.trim() !== "");

const parseAll = (lang: string): Line[] => readLines(lang).map((raw) => Line.parse(JSON.parse(raw)));

// Case and spacing differences do not make two mentions different for a tagger that lowercases.
const textKey = (text: string): string => text.toLowerCase().replace(/\s+/g, " ").trim();

describe.each(LANGS)("problems fixture %s.jsonl", (lang) => {
  test("every line parses as a labelled mention", () => {
    const raws = readLines(lang);
    expect(raws.length).toBeGreaterThan(0);
    raws.forEach((raw, index) => {
      const parsed = Line.safeParse(JSON.parse(raw));
      expect(parsed.success, `line ${index + 1}: ${parsed.success ? "" : parsed.error.message}`).toBe(true);
    });
  });

  test("lang field matches the file name", () => {
    const wrong = parseAll(lang).filter((line) => line.lang !== lang);
    expect(wrong.map((line) => line.text)).toEqual([]);
  });

  test.each(PROBLEM_TYPES)(`type %s labels at least ${MIN_LINES_PER_TYPE} lines`, (type) => {
    const count = parseAll(lang).filter((line) => line.problems.includes(type)).length;
    expect(count).toBeGreaterThanOrEqual(MIN_LINES_PER_TYPE);
  });

  test(`no-problem lines number at least ${MIN_NO_PROBLEM_LINES}`, () => {
    const count = parseAll(lang).filter((line) => line.problems.length === 0).length;
    expect(count).toBeGreaterThanOrEqual(MIN_NO_PROBLEM_LINES);
  });

  test("no text appears twice", () => {
    const seen = new Map<string, number>();
    for (const line of parseAll(lang)) seen.set(textKey(line.text), (seen.get(textKey(line.text)) ?? 0) + 1);
    const repeated = [...seen].filter(([, count]) => count > 1).map(([text]) => text);
    expect(repeated).toEqual([]);
  });
});

describe("problems fixtures across languages", () => {
  test("no text appears in two language files", () => {
    const owner = new Map<string, string>();
    const clashes: string[] = [];
    for (const lang of LANGS) {
      for (const line of parseAll(lang)) {
        const key = textKey(line.text);
        const first = owner.get(key);
        if (first !== undefined && first !== lang) clashes.push(`${first}/${lang}: ${line.text}`);
        owner.set(key, lang);
      }
    }
    expect(clashes).toEqual([]);
  });
});
