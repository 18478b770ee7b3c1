import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";

/** The `earshot` bin as a user runs it (the package's bin entry). */
const BIN = "pipeline/cli/earshot.mjs";
const earshot = (...args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { PATH: process.env.PATH ?? "" }, timeout: 30_000 });

describe("earshot (bin)", () => {
  test("earshot --help lists the commands", () => {
    const r = earshot("--help");
    expect(r.status).toBe(0);
    for (const command of ["earshot start", "earshot check", "earshot sources", "earshot poll", "earshot help"])
      expect(r.stdout).toContain(command);
  });

  test("earshot start with an invalid configuration stops with one message listing every problem and its path", () => {
    const dir = mkdtempSync(join(tmpdir(), "earshot-cli-"));
    const file = join(dir, "earshot.config.json");
    writeFileSync(
      file,
      JSON.stringify({ dashboard: { port: "eighty" }, sources: [{ kind: "rss", url: "not a url" }], brands: [], colour: "red" }),
    );
    const r = earshot("start", "--config", file);
    expect(r.status).toBe(78);
    expect(r.stdout).toBe("");
    const message = r.stderr;
    expect(message.match(/Invalid configuration/g)).toHaveLength(1);
    for (const path of ["dashboard.port", "sources[0].url", "brands", "colour"]) expect(message).toContain(path);
  });

  test("earshot start with a ClickHouse server that does not answer says so in one line and exits 69, no stack", async () => {
    // A port that was free a moment ago: nothing listens there.
    const { createServer } = await import("node:net");
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const r = spawnSync(process.execPath, [BIN, "start"], {
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", EARSHOT_STORE_URL: `http://127.0.0.1:${port}`, EARSHOT_LOG_LEVEL: "silent" },
      timeout: 60_000,
    });
    expect(r.status).toBe(69);
    expect(r.stderr).toMatch(/^earshot start: .*127\.0\.0\.1/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  }, 70_000);

  test("earshot check prints the parsed configuration with defaults and no secrets", () => {
    const r = spawnSync(process.execPath, [BIN, "check"], {
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", EARSHOT_ADMIN_PASSWORD: "do-not-print-me" },
    });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ store: { kind: "embedded" }, dashboard: { port: 8787 } });
    expect(r.stdout).not.toContain("do-not-print-me");
  });

  test("earshot eval language runs the evaluation on a labelled file and prints JSON with --json", () => {
    const r = earshot("eval", "language", "--data", "test/fixtures/language/unseen.jsonl", "--json");
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as { n: number; accuracy: number };
    expect(report.n).toBe(52);
    expect(report.accuracy).toBeGreaterThan(0.5);
  });

  test("earshot eval without what to evaluate names the evaluations", () => {
    const r = earshot("eval");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("language");
  });

  test("earshot with an unknown command says so and shows the help", () => {
    const r = earshot("frobnicate");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown command "frobnicate"');
  });
});
