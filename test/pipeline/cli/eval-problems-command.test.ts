import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { FIXTURES_DIR, runEvalProblemsCommand, type ProblemsEvalReport } from "../../../pipeline/cli/eval-problems-command";
import { tempDirs } from "../../support/temp-dir";

const dirs = tempDirs();

const run = async (args: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runEvalProblemsCommand(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join(""), err: err.join("") };
};

const write = (name: string, rows: unknown[]): string => {
  const file = join(dirs.make("earshot-eval-problems-"), name);
  writeFileSync(file, rows.map((r) => (typeof r === "string" ? r : JSON.stringify(r))).join("\n"));
  return file;
};

// Four lines whose tags are known from the shipped lists: one hit, one miss, one
// wrong tag on a no-problem line, one correct no-problem line.
const ROWS = [
  { text: "Awaria, aplikacja nie działa", lang: "pl", problems: ["outage"] },
  { text: "Kurier był niemiły i spóźniony", lang: "pl", problems: ["delivery", "service"] },
  { text: "Paczka opóźniona? Nie, przyszła wcześniej", lang: "pl", problems: [] },
  { text: "Dziękuję, wszystko super", lang: "pl", problems: [] },
];

describe("earshot eval problems", () => {
  test("runEvalProblemsCommand() prints precision, recall and F1 per type and language as one JSON object", async () => {
    const file = write("set.jsonl", ROWS);
    const r = await run(["--data", file, "--json"]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as ProblemsEvalReport;
    expect(report.lines).toBe(4);
    expect(report.languages.map((l) => l.lang)).toEqual(["pl"]);
    const pl = report.languages[0]!;
    // "Paczka opóźniona?" is a question that is answered no: read literally, it tags delivery.
    expect(pl.types.outage).toMatchObject({ n: 1, tp: 1, fp: 0, fn: 0, precision: 1, recall: 1, f1: 1 });
    expect(pl.types.delivery).toMatchObject({ n: 1, tp: 1, fp: 1, fn: 0, precision: 0.5, recall: 1 });
    expect(pl.types.service).toMatchObject({ n: 1, tp: 1, fp: 0, fn: 0 });
    expect(pl.types.scandal).toMatchObject({ n: 0, tp: 0, fp: 0, precision: null, recall: null, f1: null });
    expect(pl.exactSetAccuracy).toBe(0.75);
    expect(pl.noProblem).toEqual({ lines: 2, falsePositives: 1, rate: 0.5 });
    expect(report.all.micro).toMatchObject({ tp: 3, fp: 1, fn: 0 });
  });

  test("runEvalProblemsCommand() prints a table and, with --misses, the lines it got wrong", async () => {
    const file = write("set.jsonl", ROWS);
    const r = await run(["--data", file, "--misses"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/pl\s+outage\s+1\s+1\s+0\s+0\s+100\.0\s+100\.0\s+100\.0/);
    expect(r.out).toContain("exact-set accuracy 75.0 %");
    expect(r.out).toContain("no-problem false positives 1/2 (50.0 %)");
    expect(r.out).toContain("set.jsonl:3 [pl] expected none; got delivery(opóźniona)");
  });

  test("runEvalProblemsCommand() reads several --data files and detects a missing language", async () => {
    const a = write("a.jsonl", [{ text: "The app is down again", lang: "en", problems: ["outage"] }]);
    const b = write("b.jsonl", [{ text: "Интернет не работает с утра, опять сбой", problems: ["outage"] }]);
    const report = JSON.parse((await run(["--data", a, "--data", b, "--json"])).out) as ProblemsEvalReport;
    expect(report.languages.map((l) => [l.lang, l.lines])).toEqual([["en", 1], ["ru", 1]]);
    expect(report.all.exactSetAccuracy).toBe(1);
  });

  test("runEvalProblemsCommand() names the line that is not a labelled text", async () => {
    const file = write("bad.jsonl", [ROWS[0], "{ nope", ROWS[1]]);
    const r = await run(["--data", file]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("bad.jsonl:2: not JSON");
    const unknown = write("unknown.jsonl", [{ text: "x", lang: "en", problems: ["weather"] }]);
    const err = (await run(["--data", unknown])).err;
    expect(err).toContain("unknown.jsonl:1: ");
    expect(err).toContain('"outage"');
    expect(err).toContain("problems[0]");
  });

  test("runEvalProblemsCommand() says what is wrong with a missing file or an unknown option", async () => {
    const missing = await run(["--data", join(dirs.make(), "nope.jsonl")]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("ENOENT");
    const bad = await run(["--colour"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("usage: earshot eval problems");
  });

  test.runIf(existsSync(FIXTURES_DIR) && readdirSync(FIXTURES_DIR).some((f) => f.endsWith(".jsonl")))(
    "runEvalProblemsCommand() with no --data evaluates every labelled file in test/fixtures/problems",
    async () => {
      const r = await run(["--json"]);
      expect(r.code).toBe(0);
      const report = JSON.parse(r.out) as ProblemsEvalReport;
      expect(report.files.length).toBe(readdirSync(FIXTURES_DIR).filter((f) => f.endsWith(".jsonl")).length);
      expect(report.lines).toBeGreaterThan(0);
      expect(report.all.lines).toBe(report.lines);
    },
  );
});
