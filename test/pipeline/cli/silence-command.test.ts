import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { durationMs, runSilenceCommand } from "../../../pipeline/cli/silence-command";
import type { Silence } from "../../../pipeline/incidents/silences";
import { tempDirs } from "../../support/temp-dir";

const dirs = tempDirs();
const T = Date.UTC(2026, 11, 1, 9, 0);
let configFile = "";

beforeAll(() => {
  const dir = dirs.make("earshot-silence-");
  configFile = join(dir, "earshot.config.json");
  writeFileSync(configFile, JSON.stringify({ store: { kind: "embedded", dataDir: join(dir, "store") } }));
});

const run = async (...args: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runSilenceCommand(args, { out: (t) => out.push(t), err: (t) => err.push(t) }, { USER: "ola" }, () => T);
  return { code, out: out.join(""), err: err.join("") };
};

describe("earshot silence", () => {
  test("runSilenceCommand() adds a silence, lists it and ends it early", async () => {
    const added = await run("add", "--brand", "Lumio", "--problem", "delivery", "--for", "4h", "--reason", "courier strike", "--config", configFile);
    expect(added.code).toBe(0);
    expect(added.out).toContain("notices of Lumio (delivery) muted until 2026-12-01T13:00:00.000Z");
    const id = added.out.split(":")[0]!;

    const listed = JSON.parse((await run("list", "--json", "--config", configFile)).out) as Silence[];
    expect(listed).toEqual([
      { id, brand: "Lumio", problem: "delivery", startsAt: T, endsAt: T + 4 * 3_600_000, createdBy: "ola", reason: "courier strike", createdAt: T },
    ]);

    expect((await run("expire", id, "--config", configFile)).code).toBe(0);
    expect((await run("list", "--config", configFile)).out).toBe("no silences running or to come\n");
  });

  test("runSilenceCommand() mutes every brand with --all until a given time", async () => {
    const added = await run("add", "--all", "--until", "2026-12-02T00:00:00Z", "--config", configFile);
    expect(added.code).toBe(0);
    expect(added.out).toContain("notices of every brand muted until 2026-12-02T00:00:00.000Z");
  });

  test("runSilenceCommand() names what is missing or wrong and exits 2 without touching the store", async () => {
    const none = await run("add", "--config", configFile);
    expect(none.code).toBe(2);
    expect(none.err).toContain("give --brand B, or --all for every brand");
    expect(none.err).toContain("give --until TIME or --for DURATION");
    const past = await run("add", "--brand", "Lumio", "--until", "2020-01-01T00:00Z", "--config", configFile);
    expect(past.code).toBe(2);
    expect(past.err).toContain("endsAt must be after startsAt");
    expect((await run("mute")).code).toBe(2);
    expect((await run("expire", "--config", configFile)).code).toBe(2);
  });

  test("runSilenceCommand() expire of an unknown id exits 1", async () => {
    expect((await run("expire", "no-such-id", "--config", configFile)).code).toBe(1);
  });
});

describe("durationMs()", () => {
  test.each([
    ["30m", 1_800_000],
    ["4h", 14_400_000],
    ["2d", 172_800_000],
    ["90 min", 5_400_000],
  ])("durationMs(%s) is %i", (text, ms) => {
    expect(durationMs(text)).toBe(ms);
  });

  test("durationMs() of something unreadable is NaN", () => {
    expect(durationMs("soon")).toBeNaN();
  });
});
