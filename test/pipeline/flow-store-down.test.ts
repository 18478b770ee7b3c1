import { writeFileSync } from "node:fs";
import { testFlowDeps } from "../support/flow-deps";
import { join } from "node:path";
import { Subject, firstValueFrom, filter, take, toArray } from "rxjs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { RawMention } from "../../collectors/source";
import { buildFlow } from "../../pipeline/flow";
import { leaseChdbSession, type ChdbLease } from "../../pipeline/store/chdb";
import { openServerRunner } from "../../pipeline/store/clickhouse";
import { openStore } from "../../pipeline/store/open-store";
import { retrySpill } from "../../pipeline/store/retry-spill";
import { Spill } from "../../pipeline/store/spill";
import { createStore } from "../../pipeline/store/store";
import type { WriteResult } from "../../pipeline/store/writer";
import { freshDatabase } from "../contracts/store.contract";
import { closedPort } from "../support/clickhouse-http";
import { tempDirs } from "../support/temp-dir";

/**
 * The whole graph while its ClickHouse server is unreachable (@clickhouse/client
 * to a closed port on 127.0.0.1): what happens to the mentions, the quarantined
 * items and the log, and that all of it reaches a real store once there is one.
 */
const dirs = tempDirs();
const dataDir = dirs.make("earshot-flow-down-");
let lease: ChdbLease;
beforeAll(async () => {
  lease = await leaseChdbSession(dataDir);
});
afterAll(() => lease.release());

function recordingLog() {
  const lines: { level: string; obj: Record<string, unknown>; msg: string }[] = [];
  const at = (level: string) => (obj: object, msg = "") => void lines.push({ level, obj: obj as Record<string, unknown>, msg });
  return { lines, log: { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") } };
}

const post = (id: string, text: string): RawMention => ({ source: "test", sourceId: id, text, publishedAt: Date.now() - 60_000 });

describe("buildFlow() with the store down", () => {
  test("buildFlow() keeps running while the server is unreachable: mentions and quarantined items go to disk, the log says so, and a later retry stores them all", async () => {
    const down = createStore(await openServerRunner({ url: `http://127.0.0.1:${await closedPort()}` }), { database: "earshot" });
    const spill = new Spill(dirs.make("spill-"));
    const { lines, log } = recordingLog();
    const raw$ = new Subject<RawMention>();
    const flow = buildFlow(raw$, testFlowDeps({ store: down, spill, settings: { writer: { flushMs: 20, maxRows: 500, retries: 1, backoffMs: 10 } }, log }));
    const writes: WriteResult[] = [];
    flow.writes$.subscribe((w) => writes.push(w));
    const live = firstValueFrom(flow.live$.pipe(filter((e) => e.type === "mention"), toArray()));
    flow.start();

    // A first batch fails; the pipeline takes a second one after it.
    const firstWrite = firstValueFrom(flow.writes$.pipe(take(1)));
    raw$.next(post("1", "Lumio nie działa od rana"));
    raw$.next(post("2", "Lumio опять не работает"));
    raw$.next(post("3", "")); // quarantined: empty text
    await firstWrite;
    raw$.next(post("4", "Lumio works again"));
    raw$.complete();
    const mentions = await live; // the graph has finished, quarantine write included
    await down.close();

    // The dashboard saw every mention while the store was down.
    expect(mentions.map((e) => (e.type === "mention" ? e.mention.id : ""))).toEqual(["test:1", "test:2", "test:4"]);
    expect(writes).toEqual([
      expect.objectContaining({ spilled: 2, attempts: 2 }),
      expect.objectContaining({ spilled: 1, attempts: 2 }),
    ]);
    expect(writes.some((w) => "lost" in w)).toBe(false);
    // The writer and the quarantine writer are separate streams: their lines may interleave.
    const warnings = lines.filter((l) => l.level === "warn").map((l) => [l.msg, l.obj.count]);
    expect(warnings).toHaveLength(3);
    expect(warnings).toEqual(expect.arrayContaining([
      ["store did not take the batch: mentions kept on disk and written when it is back", 2],
      ["store did not take the batch: mentions kept on disk and written when it is back", 1],
      ["store did not take quarantined items: kept on disk and written when it is back", 1],
    ]));
    expect(lines.filter((l) => l.level === "error")).toEqual([]);
    expect(await spill.pending()).toHaveLength(3);

    // The store is back (here: an embedded one): the retry stores every mention and the quarantined item.
    const store = await openStore({ kind: "embedded", dataDir, database: freshDatabase() });
    try {
      expect(await retrySpill(spill, store, log)).toEqual({ files: 3, rows: 4, bad: 0, refused: 0 });
      expect((await store.recentMentions({ limit: 10 })).map((m) => m.id).sort()).toEqual(["test:1", "test:2", "test:4"]);
      const quarantined = await store.quarantined(10);
      expect(quarantined).toEqual([expect.objectContaining({ stage: "normalize", reason: "empty-text" })]);
      expect(JSON.parse(quarantined[0]!.payload)).toMatchObject({ source: "test", sourceId: "3" });
    } finally {
      await store.close();
    }
    expect(await spill.pending()).toEqual([]);
  });
  test("buildFlow() says loudly what it lost when neither the store nor the spill directory takes a batch, and keeps running", async () => {
    const down = createStore(await openServerRunner({ url: `http://127.0.0.1:${await closedPort()}` }), { database: "earshot" });
    const blocker = join(dirs.make("spill-"), "a-file");
    writeFileSync(blocker, "");
    const { lines, log } = recordingLog();
    const raw$ = new Subject<RawMention>();
    const flow = buildFlow(
      raw$,
      testFlowDeps({ store: down, spill: new Spill(join(blocker, "spill")), settings: { writer: { flushMs: 20, maxRows: 500, retries: 0 } }, log }),
    );
    const live = firstValueFrom(flow.live$.pipe(filter((e) => e.type === "mention"), toArray()));
    flow.start();
    raw$.next(post("1", "Lumio nie działa"));
    raw$.next(post("2", "\u0000"));
    raw$.next(post("3", "Lumio działa"));
    raw$.complete();
    expect(await live).toHaveLength(2);
    await down.close();

    const errors = lines.filter((l) => l.level === "error").map((l) => [l.msg, l.obj.count]);
    expect(errors).toHaveLength(2);
    expect(errors).toEqual(
      expect.arrayContaining([
        ["mentions lost: store and disk both refused", 2],
        ["quarantined items lost: store and disk both refused", 1],
      ]),
    );
  });
});
