import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { leaseChdbSession, type ChdbLease } from "../../../pipeline/store/chdb";
import { openServerRunner } from "../../../pipeline/store/clickhouse";
import { openStore } from "../../../pipeline/store/open-store";
import { retrySpill } from "../../../pipeline/store/retry-spill";
import { Spill } from "../../../pipeline/store/spill";
import { createStore } from "../../../pipeline/store/store";
import { freshDatabase } from "../../contracts/store.contract";
import { closedPort } from "../../support/clickhouse-http";
import { tempDirs } from "../../support/temp-dir";
import { storedMention } from "./support/stored-mention";

const dirs = tempDirs();
const dataDir = dirs.make("earshot-retry-spill-");
let lease: ChdbLease;
beforeAll(async () => {
  lease = await leaseChdbSession(dataDir);
});
afterAll(() => lease.release());

const T0 = Date.UTC(2024, 4, 17, 12, 0, 0, 0);
const mention = (n: number) => storedMention(n, { at: T0 + n, label: "neutral" });

/** A logger that keeps what it is told. */
function recordingLog() {
  const lines: { level: string; obj: Record<string, unknown>; msg: string }[] = [];
  const at = (level: string) => (obj: object, msg = "") => void lines.push({ level, obj: obj as Record<string, unknown>, msg });
  return { lines, log: { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") } };
}

describe("retrySpill()", () => {
  test("retrySpill() warns that the store is still down, with the number of files waiting, and keeps them", async () => {
    const spill = new Spill(dirs.make("spill-"));
    await spill.put([mention(1)], "down");
    await spill.putQuarantine([{ at: T0, stage: "normalize", reason: "empty-text", payload: "{}", error: "" }], "down");
    const down = createStore(await openServerRunner({ url: `http://127.0.0.1:${await closedPort()}` }), { database: "earshot" });
    const { lines, log } = recordingLog();

    expect(await retrySpill(spill, down, log)).toBeNull();
    await down.close();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: "warn", msg: expect.stringContaining("store still down"), obj: { files: 2, spillDir: spill.dir } });
    expect(await spill.pending()).toHaveLength(2);
  });

  test("retrySpill() writes the spilled items once the store is back and says how many, and sets a broken file aside with a warning", async () => {
    const dir = dirs.make("spill-");
    const spill = new Spill(dir);
    await spill.put([mention(1), mention(2)], "down");
    writeFileSync(join(dir, "000000000000001-000000-broken.jsonl"), '{"spilledAt":1,"rows":2,"error":"x"}\n{"id":\n');
    const store = await openStore({ kind: "embedded", dataDir, database: freshDatabase() });
    const { lines, log } = recordingLog();
    try {
      expect(await retrySpill(spill, store, log)).toEqual({ files: 1, rows: 2, bad: 1, refused: 0 });
      expect(await store.countMentions({})).toBe(2);
    } finally {
      await store.close();
    }
    expect(lines.map((l) => [l.level, l.msg, l.obj.files])).toEqual([
      ["info", "spilled items written to the store", 1],
      ["warn", "unreadable spill files set aside as .bad", 1],
    ]);
    expect(await spill.pending()).toEqual([]);
  });
});
