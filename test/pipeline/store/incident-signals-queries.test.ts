import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { IncidentSignal } from "../../../pipeline/mention";
import { openStore } from "../../../pipeline/store/open-store";
import type { Store } from "../../../pipeline/store/store";
import { freshDatabase } from "../../contracts/store.contract";
import { tempDirs } from "../../support/temp-dir";

const dirs = tempDirs();
let store: Store;
beforeAll(async () => {
  store = await openStore({ kind: "embedded", dataDir: dirs.make("earshot-signals-"), database: freshDatabase() });
});
afterAll(() => store.close());

const T0 = Date.UTC(2026, 10, 23, 14, 5);
const signal = (kind: IncidentSignal["kind"], name: string, over: Partial<IncidentSignal> = {}): IncidentSignal => ({
  kind,
  name,
  firstAt: T0,
  lastSpikeAt: T0,
  peakNegative: 10,
  peakScore: 0.75,
  score: 0.75,
  baseline: 0.5,
  inhibited: false,
  ...over,
});

describe("incidentSignalsStore", () => {
  test("saveIncidentSignals() upserts by kind and name: the latest save of a signal wins, each incident keeps its own", async () => {
    await store.saveIncidentSignals("a", [signal("brand", "Lumio"), signal("problem", "outage", { firstAt: T0 + 60_000 })]);
    await store.saveIncidentSignals("a", [signal("problem", "outage", { firstAt: T0 + 60_000, peakNegative: 31, score: 0.2, peakScore: 1 })]);
    await store.saveIncidentSignals("a", [signal("source", "reddit", { firstAt: T0 + 120_000, inhibited: true })]);
    await store.saveIncidentSignals("b", [signal("source", "vk")]);
    const found = await store.incidentSignals(["a", "b", "none"]);
    expect([...found.keys()].sort()).toEqual(["a", "b"]);
    expect(found.get("a")).toEqual([
      signal("brand", "Lumio"),
      signal("problem", "outage", { firstAt: T0 + 60_000, peakNegative: 31, score: 0.2, peakScore: 1 }),
      signal("source", "reddit", { firstAt: T0 + 120_000, inhibited: true }),
    ]);
    expect(found.get("b")).toEqual([signal("source", "vk")]);
    expect((await store.incidentSignals([])).size).toBe(0);
  });

  test("savePlaybookTick() keeps the latest tick per item with who and when", async () => {
    await store.savePlaybookTick({ incidentKey: "a", playbookId: "outage", item: 0, checked: true, by: "ola", at: T0 });
    await store.savePlaybookTick({ incidentKey: "a", playbookId: "outage", item: 2, checked: true, by: "ivan", at: T0 + 1_000 });
    await store.savePlaybookTick({ incidentKey: "a", playbookId: "outage", item: 0, checked: false, by: "ivan", at: T0 + 2_000 });
    await store.savePlaybookTick({ incidentKey: "b", playbookId: "default", item: 0, checked: true, by: "ola", at: T0 });
    expect(await store.playbookTicks("a")).toEqual([
      { incidentKey: "a", playbookId: "outage", item: 0, checked: false, by: "ivan", at: T0 + 2_000 },
      { incidentKey: "a", playbookId: "outage", item: 2, checked: true, by: "ivan", at: T0 + 1_000 },
    ]);
    expect(await store.playbookTicks("none")).toEqual([]);
  });
});
