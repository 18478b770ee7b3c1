import { afterEach, describe, expect, test } from "vitest";
import { createSafeHttp } from "../../../collectors/http";
import { scheduleSources, type PollingScheduler } from "../../../collectors/schedule";
import { sourceEntrySchema } from "../../../collectors/registry";
import { memoryLog } from "../poll-context";

const open: PollingScheduler[] = [];
afterEach(async () => { await Promise.all(open.splice(0).map((s) => s.stop())); });

describe("reddit credentials", () => {
  test("scheduleSources() keeps reddit off without its secrets and names both variables", async () => {
    const http = createSafeHttp();
    const log = memoryLog();
    const s = scheduleSources([{ kind: "reddit", query: "lumio", schedule: "0 0 1 1 *" }], {
      http, log, pollOnStart: false, cursors: { load: async () => null, save: async () => {} }, deliver: async () => {}, secret: () => undefined,
    });
    open.push(s);
    expect(s.ids).toEqual([]);
    expect(s.health.snapshot()[0]?.lastError).toBe("off: set EARSHOT_REDDIT_CLIENT_ID, EARSHOT_REDDIT_CLIENT_SECRET");
    expect(log.lines.find((l) => l.level === "error")?.msg).toBe("source off: set EARSHOT_REDDIT_CLIENT_ID, EARSHOT_REDDIT_CLIENT_SECRET");
    await http.close();
  });
  test("sourceEntrySchema composes reddit and hackernews options", () => {
    expect(sourceEntrySchema.parse({ kind: "reddit", subreddits: ["Polska"] })).toMatchObject({ kind: "reddit", schedule: "*/5 * * * *", baseUrl: "https://oauth.reddit.com" });
    expect(sourceEntrySchema.parse({ kind: "hackernews", query: "lumio" })).toMatchObject({ kind: "hackernews", tags: "both", maxPages: 5 });
    expect(sourceEntrySchema.safeParse({ kind: "reddit", include: ["comments"], query: "x" }).success).toBe(false);
  });
});
