import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { runImportCommand } from "../../../pipeline/cli/import-command";
import { loadConfig } from "../../../pipeline/config/load";
import { createRootLogger } from "../../../pipeline/log";
import { openStore } from "../../../pipeline/store/open-store";
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
});
