import { mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loadConfig } from "../../pipeline/config/load";
import type { RootLogger } from "../../pipeline/log";
import { startEarshot } from "../../pipeline/main";
import { openChdbRunner } from "../../pipeline/store/chdb";
import { serveRecorded, type RecordedServer } from "../support/recorded-http";
import { tempDirs } from "../support/temp-dir";

/**
 * Stop Earshot between two polls of a feed and start it again on the same
 * data: the second run must store exactly the new items — no gap (the cursor
 * was saved with the stored mentions) and no duplicate rows (the cursor
 * kept the old items from being handed in again).
 */
const dirs = tempDirs();
const dataDir = dirs.make("earshot-restart-");
// A few hours ago, whenever the test runs: inside the week a start replays into the spike detectors.
const FEED_TIME = Math.floor((Date.now() - 3 * 3_600_000) / 60_000) * 60_000;

function feed(ids: number[]): string {
  const items = ids
    .map(
      (i) => `<item><guid>item-${i}</guid><title>Lumio news ${i}</title><link>https://news.example/${i}</link>
        <description>Lumio item number ${i}</description><pubDate>${new Date(FEED_TIME + i * 60_000).toUTCString()}</pubDate></item>`,
    )
    .join("");
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>News</title>${items}</channel></rss>`;
}

let server: RecordedServer;
beforeAll(async () => {
  server = await serveRecorded({
    "/feed.xml": [
      { body: feed([1, 2, 3]), contentType: "application/rss+xml" },
      { body: feed([1, 2, 3, 4, 5]), contentType: "application/rss+xml" },
    ],
  });
});
afterAll(() => server.close());

/** Every info line of a run, to see what the start did. */
function recordingLogger(lines: { obj: object; msg?: string }[]): RootLogger {
  const log: RootLogger = {
    debug() {},
    info: (obj: object, msg?: string) => void lines.push({ obj, ...(msg === undefined ? {} : { msg }) }),
    warn() {},
    error() {},
    child: () => log,
  };
  return log;
}

async function runOnce(lines: { obj: object; msg?: string }[] = []): Promise<void> {
  const configFile = join(mkdtempSync(join(dataDir, "cfg-")), "earshot.config.json");
  writeFileSync(
    configFile,
    JSON.stringify({
      store: { kind: "embedded", dataDir },
      dashboard: { port: 0 },
      brands: [{ name: "Lumio", terms: ["Lumio"] }],
      sources: [{ kind: "rss", id: "news", url: server.url("/feed.xml"), schedule: "0 0 1 1 *", jitterMs: 0 }],
      http: { allowPrivateNetworks: true },
      log: { level: "silent" },
    }),
  );
  const polled = server.requests.length;
  const running = await startEarshot(loadConfig(configFile, {}), { log: recordingLogger(lines), staticDir: dataDir });
  // The first poll runs at start. Once it has stored its mentions and saved
  // its cursor (health records the success after both), stop(). (A stop during
  // a poll aborts it without saving the cursor, so the next start polls again.)
  const news = () => running.sourceHealth().find((h) => h.id === "news");
  for (let i = 0; i < 1_200 && news()?.lastSuccessAt == null; i++) await new Promise((r) => setTimeout(r, 25));
  expect(news()?.lastSuccessAt).not.toBeNull();
  expect(server.requests.length).toBe(polled + 1);
  await running.stop();
}

describe("restart", () => {
  test("a restart between polls stores every item exactly once", async () => {
    await runOnce();
    const second: { obj: object; msg?: string }[] = [];
    await runOnce(second);
    // The second start gave the spike detectors their memory back: the state the first run saved at
    // its stop (detector-memory.ts), then the stored minutes since, which are none or a few.
    const warmed = second.find((l) => l.msg === "spike detectors warmed from saved states and stored history")?.obj;
    expect(warmed).toMatchObject({ brands: 1, restored: 1 });
    expect((warmed as { minutes: number }).minutes).toBeLessThan(5);
    const sql = await openChdbRunner({ dataDir });
    try {
      // No FINAL: every row ever inserted, so a re-handed item would show twice.
      const rows = await sql.query<{ id: string }>("SELECT id FROM earshot.mentions ORDER BY id");
      expect(rows.map((r) => r.id)).toEqual([1, 2, 3, 4, 5].map((i) => `rss:item-${i}`));
    } finally {
      await sql.close();
    }
  }, 60_000);
});
