import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createSafeHttp } from "../../../collectors/http";
import { deliverNotice } from "../../../pipeline/alerts/deliver";
import { noticeText } from "../../../pipeline/alerts/notice-text";
import type { Notice } from "../../../pipeline/alerts/notifier";
import { signWebhook, webhookNotifier, type WebhookBody } from "../../../pipeline/alerts/webhook";
import type { Incident } from "../../../pipeline/mention";
import { openStore } from "../../../pipeline/store/open-store";
import type { Store } from "../../../pipeline/store/store";
import { freshDatabase } from "../../contracts/store.contract";
import { tempDirs } from "../../support/temp-dir";
import { spike } from "./support/incident";

const dirs = tempDirs();
const SECRET = "webhook-test-secret";
const FAST = { attempts: 3, backoffMs: 10, timeoutMs: 2_000 };

const incident: Incident = spike;
const notice: Notice = { event: "firing", incident, text: "Lumio spike", lang: "en", link: null };

interface Hit {
  headers: IncomingHttpHeaders;
  raw: string;
}
let server: Server;
let base = "";
let store: Store;
const hits: Hit[] = [];
/** Status codes the receiver answers with, in order; 204 once they run out. */
let script: number[] = [];

beforeAll(async () => {
  store = await openStore({ kind: "embedded", dataDir: dirs.make("earshot-hook-"), database: freshDatabase() });
  server = createServer((req, res) => {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (raw += c));
    req.on("end", () => {
      hits.push({ headers: req.headers, raw });
      res.writeHead(script.shift() ?? 204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await store.close();
});

describe("webhookNotifier()", () => {
  test("send() POSTs the incident as JSON with an HMAC-SHA256 signature over timestamp and body", async () => {
    hits.length = 0;
    const http = createSafeHttp({ allowPrivateNetworks: true });
    const hook = webhookNotifier({ url: `${base}/hook?token=abc`, secret: SECRET }, http, () => 1_795_000_000_000);
    expect(await hook.send(notice, AbortSignal.timeout(2_000))).toEqual({ httpStatus: 204 });
    const [hit] = hits;
    const body = JSON.parse(hit!.raw) as WebhookBody;
    expect(body).toMatchObject({ version: 1, event: "firing", text: "Lumio spike", incident: { key: incident.key } });
    expect(hit!.headers["x-earshot-timestamp"]).toBe("1795000000");
    expect(hit!.headers["x-earshot-signature"]).toBe(signWebhook(SECRET, "1795000000", hit!.raw));
    expect(hit!.headers["idempotency-key"]).toBe(`${incident.key}:firing`);
    expect(hook.target).toBe(`${base}/hook`); // the token in the query is not shown in delivery records
    await http.close();
  });

  test("send() refuses a loopback receiver unless private networks are allowed", async () => {
    hits.length = 0;
    const http = createSafeHttp();
    const hook = webhookNotifier({ url: `${base}/hook`, secret: SECRET }, http);
    await expect(hook.send(notice, AbortSignal.timeout(2_000))).rejects.toThrow(/refused|private|loopback/i);
    expect(hits).toEqual([]);
    await http.close();
  });
});

describe("deliverNotice()", () => {
  test("deliverNotice() retries a 503, succeeds, and records every attempt", async () => {
    hits.length = 0;
    script = [503];
    const http = createSafeHttp({ allowPrivateNetworks: true });
    const hook = webhookNotifier({ url: `${base}/retry`, secret: SECRET }, http);
    const n = { ...notice, incident: { ...incident, key: "retry-case" } };
    expect(await deliverNotice(hook, n, store, FAST)).toBe(true);
    const records = await store.notifications("retry-case");
    expect(records.map((r) => [r.attempt, r.status, r.httpStatus])).toEqual([
      [1, "failed", 503],
      [2, "delivered", 204],
    ]);
    await http.close();
  });

  test("deliverNotice() gives up at once on a 400 and says so in the record", async () => {
    hits.length = 0;
    script = [400];
    const http = createSafeHttp({ allowPrivateNetworks: true });
    const hook = webhookNotifier({ url: `${base}/bad`, secret: SECRET }, http);
    const n = { ...notice, incident: { ...incident, key: "bad-case" } };
    expect(await deliverNotice(hook, n, store, FAST)).toBe(false);
    expect(hits).toHaveLength(1);
    const [record] = await store.notifications("bad-case");
    expect(record).toMatchObject({ status: "failed", httpStatus: 400, channel: "webhook" });
    expect(record!.error).toContain("HTTP 400");
    await http.close();
  });
});

describe("noticeText()", () => {
  test("noticeText() speaks Polish, Russian and English with the time in the reader's zone", () => {
    expect(noticeText("firing", incident, "pl", "Europe/Warsaw")).toContain("negatywnych wzmianek — 34");
    expect(noticeText("firing", incident, "pl", "Europe/Warsaw")).toContain("15:06");
    expect(noticeText("firing", incident, "ru", "Europe/Moscow")).toContain("17:06");
    expect(noticeText("resolved", { ...incident, state: "resolved" }, "ru", "UTC")).toContain("завершён");
    expect(noticeText("acknowledged", { ...incident, acknowledgedBy: "ola" }, "en", "UTC")).toContain("acknowledged by ola");
  });
});
