import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runReplayCommand } from "../../../pipeline/cli/replay-command";
import type { ReplayResult } from "../../../pipeline/incidents/replay";
import type { ScoredMention } from "../../../pipeline/mention";
import { openStore } from "../../../pipeline/store/open-store";
import { tempDirs } from "../../support/temp-dir";

const dirs = tempDirs();
const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 16, 0, 0);
const SURGE_AT = 36 * 60;
let configFile = "";

const mention = (n: number, minute: number, negative: boolean): ScoredMention => ({
  id: `demo:${n}`,
  source: "demo",
  sourceId: String(n),
  url: `https://example.com/${n}`,
  authorHandle: "@kasia",
  authorName: "Kasia",
  authorFollowers: 10,
  title: "",
  text: negative ? "Lumio nie działa" : "Lumio ok",
  publishedAt: T0 + minute * MIN + (n % 50) * 1_000,
  collectedAt: T0 + minute * MIN,
  claimedLang: "",
  rating: null,
  brand: "Lumio",
  matchedTerms: ["Lumio"],
  lang: "pl",
  sentiment: negative
    ? { score: -0.6, label: "negative", confidence: 0.8, terms: ["nie działa"] }
    : { score: 0, label: "neutral", confidence: 0.5, terms: [] },
  problems: [],
});

beforeAll(async () => {
  const dataDir = dirs.make("earshot-replay-");
  configFile = join(dataDir, "earshot.config.json");
  writeFileSync(configFile, JSON.stringify({ store: { kind: "embedded", dataDir: join(dataDir, "store") } }));
  const store = await openStore({ kind: "embedded", dataDir: join(dataDir, "store"), database: "earshot" });
  const mentions: ScoredMention[] = [];
  let n = 0;
  for (let minute = 0; minute < 2 * 24 * 60; minute++) {
    if (minute % 5 === 0) mentions.push(mention(n++, minute, true));
    if (minute % 2 === 0) mentions.push(mention(n++, minute, false));
    if (minute >= SURGE_AT && minute < SURGE_AT + 40) for (let k = 0; k < 30; k++) mentions.push(mention(n++, minute, true));
  }
  await store.insertMentions(mentions);
  await store.close();
});

const run = async (...args: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runReplayCommand(args, { out: (t) => out.push(t), err: (t) => err.push(t) }, {});
  return { code, out: out.join(""), err: err.join("") };
};

describe("earshot replay", () => {
  test("runReplayCommand() replays a brand's stored history and finds when its surge would have fired and resolved", async () => {
    const { code, out } = await run("--config", configFile, "--brand", "lumio", "--from", "2026-11-16T00:00Z", "--to", "2026-11-18T00:00Z", "--json");
    expect(code).toBe(0);
    const result = JSON.parse(out) as ReplayResult;
    const fired = result.incidents.filter((i) => i.firedAt !== null);
    expect(fired).toHaveLength(1);
    expect(fired[0]!.firedAt! - (T0 + SURGE_AT * MIN)).toBeLessThanOrEqual(5 * MIN);
    expect(fired[0]!.outcome).toBe("resolved");
    expect(result.perWeek).toEqual([{ week: "2026-W47", fired: 1 }]);
  });

  test("runReplayCommand() prints a table and the incidents per week", async () => {
    const { code, out } = await run("--config", configFile, "--brand", "Lumio", "--from", "2026-11-16", "--to", "2026-11-18");
    expect(code).toBe(0);
    expect(out).toContain("1 incident(s) would have fired");
    expect(out).toContain("2026-W47  1");
  });

  test("runReplayCommand() names every problem with its arguments and exits 2", async () => {
    const { code, err } = await run("--from", "yesterday", "--to", "2026-11-18");
    expect(code).toBe(2);
    expect(err).toContain("--brand is required");
    expect(err).toContain("--from must be an ISO 8601 time");
  });
});
