import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { readWarmStart, saveDetectorStates } from "../../pipeline/detector-memory";
import type { RootLogger } from "../../pipeline/log";
import { DEFAULT_SPIKE_SETTINGS, initialSpikeState } from "../../pipeline/spikes/detect-spike";
import { detectorSettingsKey, type BrandDetectors } from "../../pipeline/spikes/detector-snapshot";
import { DEFAULT_SERIES_LIMITS } from "../../pipeline/spikes/judge-series";
import { openStore } from "../../pipeline/store/open-store";
import { openServerRunner } from "../../pipeline/store/clickhouse";
import { createStore, type Store } from "../../pipeline/store/store";
import { closedPort } from "../support/clickhouse-http";
import { tempDirs } from "../support/temp-dir";
import { storedMention } from "./store/support/stored-mention";

/**
 * The detectors' memory at the store's edge, on a real embedded ClickHouse:
 * which brands start from a saved state, which replay the stored week, and
 * what the log says when a saved state cannot be used.
 */
const dirs = tempDirs();
const MIN = 60_000;
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 23, 12, 0, 30);
const KEY = detectorSettingsKey(DEFAULT_SPIKE_SETTINGS, DEFAULT_SERIES_LIMITS);

/** Every log line of a call, to see what it decided and why. */
function recorder() {
  const lines: { level: string; obj: Record<string, unknown>; msg: string }[] = [];
  const at =
    (level: string) =>
    (obj: object, msg = "") =>
      void lines.push({ level, obj: obj as Record<string, unknown>, msg });
  const log: RootLogger = { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error"), child: () => log };
  return { log, lines };
}

const saved = (brand: string, throughMinute: number, settingsKey = KEY): BrandDetectors => {
  const state = { ...initialSpikeState(), firstAt: throughMinute - 60 * MIN, lastAt: throughMinute, points: 61 };
  return { brand, throughMinute, settingsKey, brandState: state, series: [{ key: "problem:outage", state, lastSeenAt: throughMinute }] };
};

let store: Store;
beforeAll(async () => {
  store = await openStore({ kind: "embedded", dataDir: dirs.make("earshot-detector-memory-"), database: "earshot" });
  // Lumio: a mention two days ago and one ten minutes ago; Aster: one an hour ago.
  await store.insertMentions([
    storedMention(1, { at: NOW - 2 * DAY, label: "negative" }),
    storedMention(2, { at: NOW - 10 * MIN, label: "negative" }),
    storedMention(3, { at: NOW - 60 * MIN, label: "positive", brand: "Aster" }),
    storedMention(4, { at: NOW - 30 * MIN, label: "negative", brand: "Gone" }), // no longer configured
  ]);
});
afterAll(() => store.close());

describe("the detectors' memory", () => {
  test("saveDetectorStates() keeps the newest save of each brand", async () => {
    const { log } = recorder();
    await saveDetectorStates(store, [saved("Lumio", NOW - 3 * DAY), saved("Aster", NOW - 3 * DAY)], NOW - 3 * DAY, log);
    await saveDetectorStates(store, [saved("Lumio", NOW - 20 * MIN - 30_000)], NOW - 20 * MIN, log);
    const states = await store.detectorStates();
    expect(states.map((s) => [s.brand, (NOW - s.savedAt) / MIN])).toEqual([
      ["Aster", (3 * DAY) / MIN],
      ["Lumio", 20],
    ]);
  });

  test("with every brand saved, only the minutes since the oldest save are read and replayed", async () => {
    const { log, lines } = recorder();
    await saveDetectorStates(store, [saved("Aster", NOW - 90 * MIN - 30_000)], NOW, log);
    const plan = await readWarmStart(store, { brands: ["Lumio", "Aster"], days: 7, settingsKey: KEY, now: NOW }, log);
    expect(plan?.restored?.map((r) => r.brand)).toEqual(["Aster", "Lumio"]);
    // Aster: the minutes from its save to its newest stored one (an hour ago), quiet ones as zeros; the live counts go on from there.
    const counts = (brand: string) => plan!.minutes.filter((m) => m.brand === brand);
    expect(counts("Aster")).toHaveLength(30);
    expect(counts("Aster").reduce((n, m) => n + m.total, 0)).toBe(1);
    expect(plan!.resumeAt.get("Aster")).toBe(NOW - (NOW % MIN) - 59 * MIN);
    expect(counts("Lumio").reduce((n, m) => n + m.total, 0)).toBe(1); // the mention of two days ago is in the saved state
    expect(plan!.minutes.some((m) => m.brand === "Gone")).toBe(false);
    expect(lines.find((l) => l.msg.startsWith("spike detectors warmed"))?.obj).toMatchObject({ brands: 2, restored: 2 });
  });

  test("a brand whose state cannot be used replays the stored week, and the log says why", async () => {
    const { log, lines } = recorder();
    await store.saveDetectorStates([{ brand: "Aster", throughMinute: NOW - 5 * MIN, savedAt: NOW + 1, state: '{"version":1,"brand":"Aster"' }]);
    const plan = await readWarmStart(store, { brands: ["Lumio", "Aster", "Nova"], days: 7, settingsKey: KEY, now: NOW }, log);
    expect(plan?.restored?.map((r) => r.brand)).toEqual(["Lumio"]);
    // Aster from its one stored minute on; Lumio still only after its save.
    expect(plan!.minutes.filter((m) => m.brand === "Aster")[0]?.minute).toBe(NOW - (NOW % MIN) - 60 * MIN);
    expect(plan!.minutes.filter((m) => m.brand === "Lumio").reduce((n, m) => n + m.total, 0)).toBe(1);
    expect(lines.filter((l) => l.msg.startsWith("saved detector state not used")).map((l) => [l.obj.brand, l.obj.why])).toEqual([
      ["Aster", expect.stringMatching(/not JSON/)],
    ]);
  });

  test("a state saved under other settings, or older than the window, is not used", async () => {
    const { log, lines } = recorder();
    await saveDetectorStates(store, [saved("Lumio", NOW - 5 * MIN, "other"), saved("Aster", NOW - 8 * DAY)], NOW + 2, log);
    const plan = await readWarmStart(store, { brands: ["Lumio", "Aster"], days: 7, settingsKey: KEY, now: NOW }, log);
    expect(plan?.restored).toEqual([]);
    expect(plan!.minutes.filter((m) => m.brand === "Lumio")[0]?.minute).toBe(NOW - (NOW % MIN) - 2 * DAY);
    expect(lines.filter((l) => l.msg.startsWith("saved detector state not used")).map((l) => l.obj.why)).toEqual([
      "older than the warm-start window",
      expect.stringMatching(/other spike settings/),
    ]);
  });

  test("a store that is down costs the memory, not the start: nothing is thrown, both failures are logged", async () => {
    // A server that went down after the start's migrations: every statement is refused.
    const down = createStore(await openServerRunner({ url: `http://127.0.0.1:${await closedPort()}` }), { database: "earshot" });
    const { log, lines } = recorder();
    const plan = await readWarmStart(down, { brands: ["Lumio"], days: 7, settingsKey: KEY, now: NOW }, log);
    await saveDetectorStates(down, [saved("Lumio", NOW)], NOW, log);
    expect(plan).toBeUndefined();
    expect(lines.filter((l) => l.level === "warn").map((l) => l.msg)).toEqual([
      "saved detector states not read; the detectors replay the stored history",
      "stored minutes not read; the spike detectors start cold",
      "spike detector states not saved; the next start replays more of the stored history",
    ]);
  });
});
