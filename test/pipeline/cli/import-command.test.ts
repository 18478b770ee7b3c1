import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { runImportCommand } from "../../../pipeline/cli/import-command";
import { loadConfig } from "../../../pipeline/config/load";
import { createRootLogger } from "../../../pipeline/log";
import type { RootLogger } from "../../../pipeline/log";
import { leaseChdbSession } from "../../../pipeline/store/chdb";
import { openStore } from "../../../pipeline/store/open-store";
import { retrySpill } from "../../../pipeline/store/retry-spill";
import { Spill } from "../../../pipeline/store/spill";
import { closedPort } from "../../support/clickhouse-http";
import { tempDirs } from "../../support/temp-dir";

const dirs = tempDirs();

describe("earshot import", () => {
  test("runImportCommand() stores the file's brand mentions once, however often it is imported, and reports bad lines", async () => {
    const dir = dirs.make("earshot-import-");
    const file = join(dir, "export.jsonl");
    writeFileSync(
      file,
      [
        { id: "1", text: "Lumio nie działa od rana", date: "2026-11-20T08:00:00Z", platform: "twitter" },
        { id: "2", text: "Люмио, верните деньги", date: "2026-11-20T08:01:00Z", platform: "vk" },
        { id: "3", text: "unrelated post", date: "2026-11-20T08:02:00Z" },
      ]
        .map((r) => JSON.stringify(r))
        .concat(["{ not json"])
        .join("\n"),
    );
    const configFile = join(dir, "earshot.config.json");
    writeFileSync(configFile, JSON.stringify({ store: { kind: "embedded", dataDir: join(dir, "data") }, log: { level: "silent" } }));
    const loaded = loadConfig(configFile, {});
    const err: string[] = [];
    const run = () => runImportCommand({ file, loaded, log: createRootLogger("silent"), err: (l) => err.push(l) });

    expect(await run()).toBe(0);
    expect(err.join("\n")).toMatch(/line 4: /);
    expect(err.at(-1)).toContain("3 record(s) read");
    expect(err.at(-1)).toContain("2 stored");
    expect(await run()).toBe(0);

    const store = await openStore({ kind: "embedded", dataDir: join(dir, "data"), database: "earshot" });
    try {
      expect(await store.countMentions({ brand: "Lumio" })).toBe(2);
      const texts = (await store.recentMentions({ limit: 10 })).map((m) => [m.lang, m.sentiment.label]);
      expect(texts).toEqual(expect.arrayContaining([["pl", "negative"]]));
    } finally {
      await store.close();
    }
  }, 30_000);

  test("runImportCommand() says clearly when the file cannot be read", async () => {
    const dir = dirs.make("earshot-import-missing-");
    const configFile = join(dir, "earshot.config.json");
    writeFileSync(configFile, JSON.stringify({ store: { kind: "embedded", dataDir: join(dir, "data") } }));
    const err: string[] = [];
    const code = await runImportCommand({
      file: join(dir, "nope.jsonl"),
      loaded: loadConfig(configFile, {}),
      log: createRootLogger("silent"),
      err: (l) => err.push(l),
    });
    expect(code).toBe(1);
    expect(err.join("\n")).toMatch(/earshot import: .*nope\.jsonl/);
  }, 30_000);
  test("runImportCommand() says a 0-byte file is empty without opening the store", async () => {
    const dir = dirs.make("earshot-import-empty-");
    const file = join(dir, "export.csv");
    writeFileSync(file, "");
    const configFile = join(dir, "earshot.config.json");
    // A store that cannot be reached: the answer shows it was never opened.
    writeFileSync(configFile, JSON.stringify({ store: { kind: "server", url: `http://127.0.0.1:${await closedPort()}` }, log: { level: "silent" } }));
    const err: string[] = [];
    expect(await runImportCommand({ file, loaded: loadConfig(configFile, {}), log: createRootLogger("silent"), err: (l) => err.push(l) })).toBe(0);
    expect(err).toEqual([`${file} is empty (0 bytes): nothing to import`]);
  });

  test("runImportCommand() says the store cannot be opened, and reads nothing, when the ClickHouse server is unreachable", async () => {
    const dir = dirs.make("earshot-import-down-");
    const file = join(dir, "export.jsonl");
    writeFileSync(file, JSON.stringify({ id: "1", text: "Lumio nie działa" }) + "\n");
    const configFile = join(dir, "earshot.config.json");
    writeFileSync(configFile, JSON.stringify({ store: { kind: "server", url: `http://127.0.0.1:${await closedPort()}` }, log: { level: "silent" } }));
    const err: string[] = [];
    const code = await runImportCommand({ file, loaded: loadConfig(configFile, {}), log: createRootLogger("silent"), err: (l) => err.push(l) });
    expect(code).toBe(1);
    expect(err).toEqual([expect.stringMatching(/^earshot import: the store cannot be opened, nothing was read from .*export\.jsonl: .*unreachable \(ECONNREFUSED\)/)]);
  });

  test("runImportCommand() says how many mentions wait on disk when the store stops taking them mid-import, and exits 75", async () => {
    const dir = dirs.make("earshot-import-refused-");
    const dataDir = join(dir, "data");
    const file = join(dir, "export.jsonl");
    writeFileSync(file, [{ id: "1", text: "Lumio nie działa" }, { id: "2", text: "Lumio działa" }].map((r) => JSON.stringify(r)).join("\n"));
    const configFile = join(dir, "earshot.config.json");
    writeFileSync(configFile, JSON.stringify({ store: { kind: "embedded", dataDir, database: "imp" }, log: { level: "silent" } }));
    // The same process's chDB session the import opens: the store is made to refuse
    // (its database dropped) right after the pipeline has started, before any mention is written.
    const lease = await leaseChdbSession(dataDir);
    const silent = createRootLogger("silent");
    const log: RootLogger = Object.assign(Object.create(silent) as RootLogger, {
      info(obj: object, msg?: string) {
        if (msg === "spike detectors warmed from saved states and stored history") lease.session.query("DROP DATABASE imp SYNC");
      },
      child: () => log,
    });
    const err: string[] = [];
    try {
      const code = await runImportCommand({ file, loaded: loadConfig(configFile, {}), log, err: (l) => err.push(l) });
      expect(err).toEqual([
        expect.stringContaining("2 record(s) read"),
        `2 mention(s) kept on disk in ${join(dataDir, "spill")}: the store did not take them; they are written at the next start or import`,
      ]);
      expect(code).toBe(75);
      expect(err[0]).toContain("0 stored");

      // Once the store takes them again, nothing is missing.
      const store = await openStore({ kind: "embedded", dataDir, database: "imp" });
      try {
        expect(await retrySpill(new Spill(join(dataDir, "spill")), store, silent)).toMatchObject({ rows: 2, refused: 0 });
        expect(await store.countMentions({ brand: "Lumio" })).toBe(2);
      } finally {
        await store.close();
      }
    } finally {
      await lease.release();
    }
  }, 30_000);
});
