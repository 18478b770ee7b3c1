import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { createSafeHttp, type SafeHttp } from "../../../collectors/http";
import type { Contact } from "../../../pipeline/alerts/channels-config";
import { Paging } from "../../../pipeline/alerts/paging";
import { webhookNotifier, type WebhookBody } from "../../../pipeline/alerts/webhook";
import type { Incident } from "../../../pipeline/mention";
import { openStore } from "../../../pipeline/store/open-store";
import type { Store } from "../../../pipeline/store/store";
import { freshDatabase } from "../../contracts/store.contract";
import { tempDirs } from "../../support/temp-dir";
import { spike } from "./support/incident";

const dirs = tempDirs();
const MIN = 60_000;
const T = Date.UTC(2026, 10, 23, 14, 0);

let server: Server;
let base = "";
let http: SafeHttp;
let store: Store;
/** Who received what: [path, event, repeat]. */
const received: [string, string, boolean][] = [];
const clock = { now: T };

const incident = (key: string, brand: string, state: Incident["state"] = "firing"): Incident => ({ ...spike, key, brand, state });

const contact = (name: string): Contact => ({
  name,
  notifier: webhookNotifier({ url: `${base}/${name}`, secret: "s" }, http),
  lang: null,
});

const paging = () =>
  new Paging(
    [contact("pr-room"), contact("on-call"), contact("ceo")],
    new Map([["Lumio", [{ contact: "on-call", afterMinutes: 0 }, { contact: "ceo", afterMinutes: 30 }]]]),
    { store, now: () => clock.now },
    { lang: "en", timeZone: "UTC", delivery: { attempts: 1, backoffMs: 10, timeoutMs: 2_000 }, repeatMs: 30 * MIN },
  );

beforeAll(async () => {
  store = await openStore({ kind: "embedded", dataDir: dirs.make("earshot-paging-"), database: freshDatabase() });
  http = createSafeHttp({ allowPrivateNetworks: true });
  server = createServer((req, res) => {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (raw += c));
    req.on("end", () => {
      const body = JSON.parse(raw) as WebhookBody;
      received.push([req.url ?? "", body.event, body.repeat]);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await http.close();
  await store.close();
});
beforeEach(() => {
  received.length = 0;
  clock.now = T;
});

describe("Paging", () => {
  test("Paging walks the brand's escalation path while nobody acknowledges, repeats, and tells everyone paged of the acknowledgement", async () => {
    const pager = paging();
    const firing = incident("lumio-walk", "Lumio");
    await pager.notify({ kind: "firing", incident: firing });
    expect(received).toEqual([
      ["/pr-room", "firing", false],
      ["/on-call", "firing", false],
    ]);

    received.length = 0;
    clock.now = T + 10 * MIN;
    await pager.tick([firing]);
    expect(received).toEqual([]);

    clock.now = T + 30 * MIN;
    await pager.tick([firing]);
    expect(received).toEqual([
      ["/pr-room", "firing", true],
      ["/on-call", "firing", true],
      ["/ceo", "firing", false],
    ]);
    const escalated = (await store.incidentEvents("lumio-walk")).filter((e) => e.type === "escalated").map((e) => e.detail);
    expect(escalated).toEqual(["on-call", "ceo"]);

    received.length = 0;
    const acknowledged: Incident = { ...firing, state: "acknowledged", acknowledgedBy: "ola", acknowledgedAt: clock.now };
    await pager.notify({ kind: "acknowledged", incident: acknowledged });
    expect(received.map(([path, event]) => [path, event])).toEqual([
      ["/pr-room", "acknowledged"],
      ["/on-call", "acknowledged"],
      ["/ceo", "acknowledged"],
    ]);
    clock.now = T + 90 * MIN;
    received.length = 0;
    await pager.tick([acknowledged]);
    expect(received).toEqual([]);
  });

  test("Paging after a restart neither repeats early nor pages a step again", async () => {
    const firing = incident("lumio-restart", "Lumio");
    await paging().notify({ kind: "firing", incident: firing });
    clock.now = T + 30 * MIN;
    await paging().tick([firing]);
    received.length = 0;

    clock.now = T + 40 * MIN;
    await paging().tick([firing]);
    expect(received).toEqual([]);
    clock.now = T + 60 * MIN;
    await paging().tick([firing]);
    expect(received).toEqual([
      ["/pr-room", "firing", true],
      ["/on-call", "firing", true],
      ["/ceo", "firing", true],
    ]);
  });

  test("Paging sends another brand's incident only to the contacts kept out of escalation paths", async () => {
    await paging().notify({ kind: "firing", incident: incident("acme-1", "Acme") });
    expect(received).toEqual([["/pr-room", "firing", false]]);
  });

  test("Paging pages nobody about a pending incident", async () => {
    const pager = paging();
    const pending = incident("lumio-pending", "Lumio", "pending");
    await pager.notify({ kind: "pending", incident: pending, quiet: true });
    clock.now = T + 60 * MIN;
    await pager.tick([pending]);
    expect(received).toEqual([]);
  });
});
