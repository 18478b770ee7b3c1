import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { runMatchCommand } from "../../../pipeline/cli/match-command";

const dir = mkdtempSync(join(tmpdir(), "earshot-match-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function configFile(brands: unknown): string {
  const file = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  // Comments are allowed in configuration files; the command reads them like `earshot start`.
  writeFileSync(file, `// brands only\n${JSON.stringify({ store: { kind: "embedded" }, brands }, null, 2)}\n`);
  return file;
}

async function match(...args: string[]) {
  let out = "";
  let err = "";
  const code = await runMatchCommand(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe("earshot match", () => {
  test("runMatchCommand() explains a query match with the clause, the inflected form and the rule", async () => {
    const r = await match("--query", '(Orlen OR "stacja paliw") -Orleans lang:pl', "Znowu", "kolejka", "na", "Orlenie,", "nie", "da", "się", "zatankować");
    expect(r.code).toBe(0);
    expect(r.out).toContain("language: pl (detected: stopwords)");
    expect(r.out).toContain("query: MATCHES");
    expect(r.out).toContain("matched terms: Orlen");
    expect(r.out).toContain('✓ Orlen — found "Orlenie" at character 18 of the text, inflected (pl) — pl: masculine hard stem');
    expect(r.out).toContain("✗ Orleans");
    expect(r.out).toContain('✓ lang:pl — lang is "pl"');
  });

  test("runMatchCommand() exits 1 and shows the failing clause when the text does not match", async () => {
    const r = await match("--query", "Orlen -Orleans", "Orlen", "w", "Orleans");
    expect(r.code).toBe(1);
    expect(r.out).toContain("query: no match");
    expect(r.out).toContain("✗ NOT");
    expect(r.out).toContain('✓ Orleans — found "Orleans"');
  });

  test("runMatchCommand() exits 2 with a caret under an invalid query", async () => {
    const r = await match("--query", "(Orlen OR Lotos", "text");
    expect(r.code).toBe(2);
    expect(r.err).toContain("missing ) to close the ( at column 1 (column 16)\n  (Orlen OR Lotos\n                 ^");
  });

  test("runMatchCommand() reads brands from a configuration file and picks one with --brand", async () => {
    const file = configFile([
      { name: "Orlen", terms: ["Orlen"], exclude: ["Orleans"] },
      { name: "Sber", query: "Сбербанк OR Сбер" },
    ]);
    const r = await match("--config", file, "--brand", "sber", "Sberbank", "app", "is", "down");
    expect(r.code).toBe(0);
    expect(r.out).toContain("Sber: MATCHES");
    expect(r.out).not.toContain("Orlen:");
    expect(r.out).toContain("transliterated to Latin");
  });

  test("runMatchCommand() shows every configured brand and which one gets the mention", async () => {
    const file = configFile([
      { name: "Orlen", terms: ["Orlen"] },
      { name: "Lotos", terms: ["Lotos"] },
    ]);
    const r = await match("--config", file, "Lotos", "i", "Orlen");
    expect(r.code).toBe(0);
    expect(r.out).toContain("Orlen: MATCHES (first match: this brand gets the mention)");
    expect(r.out).toContain("Lotos: MATCHES\n");
  });

  test("runMatchCommand() uses --title, --source, --author and --lang for field filters", async () => {
    const r = await match("--query", "title:Orlen source:reddit author:jan lang:ru", "--title", "Orlen", "--source", "reddit", "--author", "@Jan", "--lang", "ru", "body");
    expect(r.code).toBe(0);
    expect(r.out).toContain("language: ru (given)");
  });

  test("runMatchCommand() reports configuration and usage errors with exit code 2", async () => {
    const bad = configFile([{ name: "Orlen", query: "Orlen AND" }]);
    const r = await match("--config", bad, "Orlen");
    expect(r.code).toBe(2);
    expect(r.err).toContain("brands.0.query: a term is missing after AND (column 10)");
    expect((await match("--config", join(dir, "missing.json"), "x")).err).toContain("cannot read");
    expect((await match("--config", configFile([{ name: "Orlen", terms: ["Orlen"] }]), "--brand", "Shell", "x")).err).toContain('no brand "Shell"');
    expect((await match("--query", "Orlen")).code).toBe(2);
    expect((await match("--query", "Orlen", "--lang", "xx", "x")).err).toContain("--lang must be one of");
    expect((await match("--bogus")).code).toBe(2);
  });

  test("runMatchCommand() uses the demo brand without a configuration", async () => {
    const r = await match("Люмио", "опять", "не", "работает");
    expect(r.code).toBe(0);
    expect(r.out).toContain("Lumio: MATCHES");
  });
});
