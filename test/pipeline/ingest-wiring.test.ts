import type { SourceHealthView } from "../../dashboard/protocol";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { signWebhook } from "../../pipeline/alerts/webhook";
import { loadConfig } from "../../pipeline/config/load";
import { createRootLogger } from "../../pipeline/log";
import { startEarshot } from "../../pipeline/main";
import { openStore } from "../../pipeline/store/open-store";
import { tempDirs } from "../support/temp-dir";

const dirs = tempDirs();
const SECRET = "an-ingest-secret-of-at-least-32-chars";

describe("POST /ingest wired into Earshot", () => {
  test("a signed push is answered 202 once its mentions are stored, scored and matched", async () => {
    const dir = dirs.make("earshot-ingest-");
    const configFile = join(dir, "earshot.config.json");
    writeFileSync(
      configFile,
      JSON.stringify({
        store: { kind: "embedded", dataDir: join(dir, "data") },
        dashboard: { port: 0 },
        sources: [{ kind: "rss", url: "https://feeds.example/none.xml", schedule: "0 0 1 1 *" }],
        log: { level: "silent" },
      }),
    );
    const running = await startEarshot(loadConfig(configFile, { EARSHOT_INGEST_SECRET: SECRET, EARSHOT_ADMIN_PASSWORD: "wiring-pass-1" }), {
      log: createRootLogger("silent"),
      staticDir: dir,
    });
    try {
      const body = JSON.stringify([
        { id: "t-1", text: "Lumio support nie odpowiada od tygodnia, masakra", created_at: "2026-11-20T10:00:00Z" },
        { id: "t-2", text: "<script>alert(1)</script> Lumio", created_at: "2026-11-20T10:01:00Z" },
      ]);
      const ts = String(Math.floor(Date.now() / 1000));
      const res = await fetch(`${running.url}/ingest/helpdesk`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-earshot-timestamp": ts, "x-earshot-signature": signWebhook(SECRET, ts, body) },
        body,
      });
      expect(res.status).toBe(202);
      // The pushing tool shows in source health: when it last pushed and how much.
      const login = await fetch(`${running.url}/api/session`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-earshot-csrf": "1", origin: running.url },
        body: JSON.stringify({ username: "admin", password: "wiring-pass-1" }),
      });
      expect(login.status).toBe(204);
      const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0]!;
      const sources = (await (await fetch(`${running.url}/api/sources`, { headers: { cookie } })).json()) as SourceHealthView[];
      expect(sources.find((s) => s.id === "push-helpdesk")).toMatchObject({ kind: "webhook", mode: "pushed", state: "ok", itemsLastPoll: 2 });
      const store = await openStore({ kind: "embedded", dataDir: join(dir, "data"), database: "earshot" });
      try {
        const stored = await store.recentMentions({ brand: "Lumio", limit: 10 });
        expect(stored.map((m) => m.id).sort()).toEqual(["webhook:helpdesk:t-1", "webhook:helpdesk:t-2"]);
        expect(stored.find((m) => m.id.endsWith("t-2"))!.text).toContain("<script>alert(1)</script>");
        expect(stored.find((m) => m.id.endsWith("t-1"))!.sentiment.label).toBe("negative");
      } finally {
        await store.close();
      }
    } finally {
      await running.stop();
    }
  }, 30_000);
});
