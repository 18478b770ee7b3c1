import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { runEvalLanguageCommand, type LanguageEvalReport } from "../../../pipeline/cli/eval-language-command";

const dir = mkdtempSync(join(tmpdir(), "earshot-eval-language-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const data = join(dir, "small.jsonl");
writeFileSync(
  data,
  [
    { text: "nie dziala juz trzeci dzien", lang: "pl", case: "no-diacritics" },
    { text: "не работает интернет уже третий час", lang: "ru", case: "ru-vs-uk" },
    { text: "все добре, дякую", lang: "uk", case: "ru-vs-uk" },
    { text: "ne rabotaet", lang: "ru", case: "translit" },
    // Labelled wrongly on purpose, so one error shows.
    { text: "Lumio is down again", lang: "pl", case: "short" },
  ]
    .map((r) => JSON.stringify(r))
    .join("\n"),
);

const run = async (args: string[]) => {
  let out = "";
  let err = "";
  const code = await runEvalLanguageCommand(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
};

describe("runEvalLanguageCommand()", () => {
  test("runEvalLanguageCommand() prints accuracy per language and case, the confusion table and speed", async () => {
    const { code, out } = await run(["--data", data, "--errors"]);
    expect(code).toBe(0);
    expect(out).toMatch(/5 lines, accuracy 80\.0% \(4\/5\), [\d,]+ texts\/s on one core/);
    expect(out).toMatch(/^ru\s+2\s+2\s+100\.0%$/m);
    expect(out).toMatch(/^pl\s+2\s+1\s+50\.0%$/m);
    expect(out).toMatch(/^translit\s+1\s+1\s+100\.0%$/m);
    expect(out).toContain("confusion (rows: labelled, columns: detected)");
    expect(out).toMatch(/^pl\s+1\s+·\s+·\s+1$/m);
    expect(out).toContain('[short] pl → en (stopwords): "Lumio is down again"');
  });

  test("runEvalLanguageCommand() prints the same figures as JSON with --json", async () => {
    const { code, out } = await run(["--data", data, "--json"]);
    expect(code).toBe(0);
    const report = JSON.parse(out) as LanguageEvalReport;
    expect(report).toMatchObject({ n: 5, correct: 4, file: data });
    expect(report.confusion.pl).toEqual({ pl: 1, en: 1 });
    expect(report.textsPerSecond).toBeGreaterThan(0);
  });

  test("runEvalLanguageCommand() exits 2 with usage when --data is missing or an option is unknown", async () => {
    expect(await run([])).toMatchObject({ code: 2, out: "" });
    const unknown = await run(["--data", data, "--nope"]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("usage: earshot eval language");
  });

  test("runEvalLanguageCommand() exits 1 naming the problem when the file is missing or malformed", async () => {
    const missing = await run(["--data", join(dir, "none.jsonl")]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("ENOENT");
    const bad = join(dir, "bad.jsonl");
    writeFileSync(bad, '{"text":"x","lang":"pl"}\n');
    const malformed = await run(["--data", bad]);
    expect(malformed.code).toBe(1);
    expect(malformed.err).toContain("bad.jsonl:1:");
  });
});
