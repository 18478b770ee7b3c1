import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { runReportCommand } from "../../../pipeline/cli/report-command";
import { openStore } from "../../../pipeline/store/open-store";
import { tempDirs } from "../../support/temp-dir";
import { pdfText } from "../reports/support/pdf-text";
import { seedWeek } from "../reports/support/seed-week";

const dirs = tempDirs();
let work = "";
let configFile = "";

beforeAll(async () => {
  work = dirs.make("earshot-report-cli-");
  configFile = join(work, "earshot.config.json");
  writeFileSync(
    configFile,
    JSON.stringify({ store: { kind: "embedded", dataDir: join(work, "store") }, alerts: { timeZone: "Europe/Warsaw" } }),
  );
  const store = await openStore({ kind: "embedded", dataDir: join(work, "store"), database: "earshot" });
  await seedWeek(store);
  await store.close();
});

const run = async (args: string[], now = Date.parse("2026-11-25T12:00:00Z")) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runReportCommand(args, { out: (t) => out.push(t), err: (t) => err.push(t) }, {}, () => now);
  return { code, out: out.join(""), err: err.join("") };
};

describe("runReportCommand()", () => {
  test("runReportCommand() writes a Polish PDF of the asked week and stores the report", async () => {
    const out = join(work, "report.pdf");
    const r = await run(["weekly", "--brand", "lumio", "--week", "2026-W47", "--lang", "pl", "--out", out, "--config", configFile]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toContain("Lumio 2026-W47 (pl, Europe/Warsaw): 11 mentions, 6 negative, 2 incident(s)");
    const text = (await pdfText(readFileSync(out))).text;
    expect(text).toContain("Raport tygodniowy");
    expect(text).toMatch(/Wzmianki 11 ▲ \+120% wobec 2026-W46/);
    const store = await openStore({ kind: "embedded", dataDir: join(work, "store"), database: "earshot" });
    try {
      const listed = await store.weeklyReports({ brand: "Lumio", limit: 10 });
      expect(listed.map((r) => [r.week, r.lang, r.producedBy])).toEqual([["2026-W47", "pl", "cli"]]);
    } finally {
      await store.close();
    }
  });

  test("runReportCommand() makes last week's report when no week is given", async () => {
    const r = await run(["weekly", "--brand", "Lumio", "--config", configFile, "--out", join(work, "last.pdf")], Date.parse("2026-11-23T07:30:00Z"));
    expect(r.code).toBe(0);
    expect(r.out).toContain("Lumio 2026-W47 (en, Europe/Warsaw)");
  });

  test("runReportCommand() refuses a missing brand, a malformed week, an unknown language and zone with exit code 2", async () => {
    const r = await run(["weekly", "--week", "2026-W54", "--lang", "de", "--time-zone", "Mars/Olympus", "--config", configFile]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("--brand is required");
    expect(r.err).toContain('--week must be an ISO 8601 week such as 2026-W47, not "2026-W54"');
    expect(r.err).toContain("--lang must be one of en, pl, ru");
    expect(r.err).toContain("--time-zone must be an IANA time zone");
    expect((await run(["monthly", "--brand", "Lumio"])).err).toContain("say which report");
  });
});
