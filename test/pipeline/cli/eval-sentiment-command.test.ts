import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { runEvalSentimentCommand, type EvalReport } from "../../../pipeline/cli/eval-sentiment-command";
import { tempDirs } from "../../support/temp-dir";

const dirs = tempDirs();

const LINES = [
  { text: "nie polecam, fatalna obsługa", label: "negative", lang: "pl" },
  { text: "świetna obsługa, polecam", label: "positive", lang: "pl" },
  { text: "Lumio otwiera biuro w Krakowie", label: "neutral", lang: "pl" },
  { text: "не работает интернет уже третий час", label: "negative", lang: "ru" },
  { text: "отличный сервис, рекомендую", label: "positive", lang: "ru" },
  { text: "worst provider ever", label: "negative", lang: "en" },
  { text: "great support, fixed in minutes", label: "positive", lang: "en" },
  { text: "Lumio opens an office in Kraków", label: "neutral", lang: "en" },
];

const run = async (args: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runEvalSentimentCommand(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join(""), err: err.join("") };
};

const writeData = (lines: readonly object[] | string): string => {
  const file = join(dirs.make("earshot-eval-"), "labelled.jsonl");
  writeFileSync(file, typeof lines === "string" ? lines : lines.map((l) => JSON.stringify(l)).join("\n"));
  return file;
};

describe("earshot eval sentiment", () => {
  test("runEvalSentimentCommand() with --corrections prints the figures with the learnt corrections next to the shipped ones", async () => {
    const corrections = [
      { text: "Lumio ogłasza nowy cennik od marca", label: "neutral", lang: "pl" },
      { text: "Люмио объявила новые тарифы", label: "neutral", lang: "ru" },
    ];
    const data = [
      { text: "Lumio ogłasza nowy cennik usług", label: "neutral", lang: "pl" },
      { text: "Lumio ogłasza nowy cennik od kwietnia", label: "neutral", lang: "pl" },
      { text: "nie polecam, fatalna obsługa", label: "negative", lang: "pl" },
    ];
    const correctionsFile = join(dirs.make("earshot-eval-"), "corrections.jsonl");
    writeFileSync(correctionsFile, corrections.map((l) => JSON.stringify(l)).join("\n"));
    const { code, out } = await run(["--data", writeData(data), "--corrections", correctionsFile, "--json"]);
    expect(code).toBe(0);
    const report = JSON.parse(out) as EvalReport & { corrections: number; withCorrections: EvalReport };
    expect(report.corrections).toBe(2);
    expect(report.withCorrections.scorer).toBe("model+corrections");
    // The shipped model reads price announcements as polar; after the team's two corrections it does not.
    expect(report.all.confusion[1]![1]).toBe(0);
    expect(report.withCorrections.all.confusion[1]![1]).toBe(2);
    expect(report.withCorrections.all.confusion[0]![0]).toBe(1);
  });


  test("runEvalSentimentCommand() prints one JSON report with per-language figures and confusion matrices", async () => {
    const { code, out } = await run(["--data", writeData(LINES), "--json"]);
    expect(code).toBe(0);
    const report = JSON.parse(out) as EvalReport;
    expect(report.languages.map((l) => [l.lang, l.n])).toEqual([["en", 3], ["pl", 3], ["ru", 2]]);
    expect(report.all.n).toBe(LINES.length);
    for (const f of [...report.languages, report.all]) {
      const cells = f.confusion.flat();
      expect(cells.reduce((a, b) => a + b, 0)).toBe(f.n);
      expect(f.accuracy).toBe((f.confusion[0]![0]! + f.confusion[1]![1]! + f.confusion[2]![2]!) / f.n);
      expect(f.macroF1).toBeGreaterThanOrEqual(0);
      expect(f.macroF1).toBeLessThanOrEqual(1);
      expect(f.textsPerSecond).toBeGreaterThan(0);
    }
    // These lines are clear cases: the shipped model gets the polar ones right.
    expect(report.all.perClass.negative.recall).toBe(1);
    expect(report.all.perClass.positive.recall).toBe(1);
  });

  test("runEvalSentimentCommand() prints a table with every language and the confusion matrix", async () => {
    const { code, out } = await run(["--data", writeData(LINES)]);
    expect(code).toBe(0);
    expect(out).toMatch(/^lang +n +accuracy +macro-F1 +F1-PN +texts\/s$/m);
    for (const lang of ["en", "pl", "ru", "all"]) expect(out).toMatch(new RegExp(`^${lang} +\\d+ `, "m"));
    expect(out).toContain("confusion (rows: gold");
  });

  test("runEvalSentimentCommand() detects the language of lines without one", async () => {
    const { code, out } = await run(["--data", writeData([{ text: "Świetna obsługa, naprawili wszystko w godzinę, polecam", label: "positive" }]), "--json"]);
    expect(code).toBe(0);
    expect((JSON.parse(out) as EvalReport).languages.map((l) => l.lang)).toEqual(["pl"]);
  });

  test("runEvalSentimentCommand() measures the lexicon scorer with --scorer lexicon", async () => {
    const { code, out } = await run(["--data", writeData(LINES), "--json", "--scorer", "lexicon"]);
    expect(code).toBe(0);
    expect((JSON.parse(out) as EvalReport).scorer).toBe("lexicon");
  });

  test("runEvalSentimentCommand() names the file and line of a malformed line and exits 1", async () => {
    const file = writeData(`${JSON.stringify(LINES[0])}\n{"text": "x", "label": "angry"}\n`);
    const { code, err } = await run(["--data", file]);
    expect(code).toBe(1);
    expect(err).toContain(`${file}:2`);
  });

  test("runEvalSentimentCommand() exits 1 for a missing file and 2 for bad arguments", async () => {
    expect((await run(["--data", "/nonexistent/labelled.jsonl"])).code).toBe(1);
    expect((await run([])).code).toBe(2);
    expect((await run(["--data", "x.jsonl", "--scorer", "vader"])).code).toBe(2);
    const unknown = await run(["--data", "x.jsonl", "--frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("usage:");
  });
});
