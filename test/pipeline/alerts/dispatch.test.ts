import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createSafeHttp, type SafeHttp } from "../../../collectors/http";
import { verifyAckLink } from "../../../pipeline/alerts/ack-link";
import { dispatchChange, dispatchNotice } from "../../../pipeline/alerts/dispatch";
import { webhookNotifier } from "../../../pipeline/alerts/webhook";
import type { Incident } from "../../../pipeline/mention";
import { openStore } from "../../../pipeline/store/open-store";
import type { Store } from "../../../pipeline/store/store";
import { freshDatabase } from "../../contracts/store.contract";
import { tempDirs } from "../../support/temp-dir";
import { spike } from "./support/incident";

const dirs = tempDirs();
const T = Date.UTC(2026, 10, 23, 14, 10);
const HOUR = 3_600_000;
const FAST = { attempts: 1, backoffMs: 10, timeoutMs: 2_000 };
const SETTINGS = { lang: "pl" as const, timeZone: "Europe/Warsaw", dashboardUrl: "https://earshot.example.com/", delivery: FAST };

const incident = (key: string, brand = "Lumio"): Incident => ({ ...spike, key, brand, severity: "warning", peakNegative: 12 });

let server: Server;
let base = "";
let store: Store;
let http: SafeHttp;
const received: unknown[] = [];

beforeAll(async () => {
  store = await openStore({ kind: "embedded", dataDir: dirs.make("earshot-dispatch-"), database: freshDatabase() });
  http = createSafeHttp({ allowPrivateNetworks: true });
  server = createServer((req, res) => {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (raw += c));
    req.on("end", () => {
      received.push(JSON.parse(raw));
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

describe("dispatchChange()", () => {
  test("dispatchChange() sends a firing notice in the configured language with the dashboard link", async () => {
    received.length = 0;
    const hook = webhookNotifier({ url: `${base}/hook`, secret: "s" }, http);
    await dispatchChange({ kind: "firing", incident: incident("lumio-1") }, { contacts: [{ name: "hook", notifier: hook, lang: null }], store, now: () => T }, SETTINGS);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      event: "firing",
      lang: "pl",
      link: "https://earshot.example.com/#/incidents/lumio-1",
      incident: { key: "lumio-1" },
    });
    expect((received[0] as { text: string }).text).toContain("negatywnych wzmianek");
    expect(await store.notifications("lumio-1")).toMatchObject([{ status: "delivered", event: "firing" }]);
  });

  test("dispatchChange() gives each contact the notice in its own language", async () => {
    received.length = 0;
    const pl = webhookNotifier({ url: `${base}/pl`, secret: "s" }, http);
    const ru = webhookNotifier({ url: `${base}/ru`, secret: "s" }, http);
    await dispatchChange(
      { kind: "firing", incident: incident("lumio-langs") },
      { contacts: [{ name: "pl", notifier: pl, lang: null }, { name: "ru", notifier: ru, lang: "ru" }], store, now: () => T },
      SETTINGS,
    );
    const byLang = Object.fromEntries((received as { lang: string; text: string }[]).map((b) => [b.lang, b.text]));
    expect(Object.keys(byLang).sort()).toEqual(["pl", "ru"]);
    expect(byLang.ru).toContain("негатив");
  });

  test("dispatchChange() puts a signed acknowledge link in a firing notice when a secret is set", async () => {
    received.length = 0;
    const secret = "a".repeat(32);
    const hook = webhookNotifier({ url: `${base}/hook`, secret: "s" }, http);
    await dispatchChange(
      { kind: "firing", incident: incident("lumio-ack") },
      { contacts: [{ name: "hook", notifier: hook, lang: null }], store, now: () => T },
      { ...SETTINGS, ackSecret: secret, ackTtlMs: 3_600_000 },
    );
    const body = received[0] as { ackLink?: string | null };
    expect(body.ackLink).toMatch(/^https:\/\/earshot\.example\.com\/ack\/lumio-ack\?exp=\d+&sig=/);
    expect(verifyAckLink(body.ackLink!, secret, T)).toMatchObject({ ok: true, key: "lumio-ack" });
  });

  test("dispatchNotice() of a repeat sends the firing text again and records it as a repeat", async () => {
    received.length = 0;
    const hook = webhookNotifier({ url: `${base}/hook`, secret: "s" }, http);
    await dispatchNotice("repeat", incident("lumio-repeat"), [{ name: "hook", notifier: hook, lang: null }], { store, now: () => T }, SETTINGS);
    expect(received).toMatchObject([{ event: "firing", repeat: true, incident: { key: "lumio-repeat" } }]);
    expect(await store.notifications("lumio-repeat")).toMatchObject([{ event: "repeat", status: "delivered" }]);
  });

  test.each([
    ["a pending incident", { kind: "pending" as const, quiet: true }],
    ["a dismissed incident", { kind: "dismissed" as const, quiet: true }],
    ["an acknowledgement of an incident never announced", { kind: "acknowledged" as const, quiet: true }],
  ])("dispatchChange() tells nobody about %s", async (_case, change) => {
    received.length = 0;
    const hook = webhookNotifier({ url: `${base}/hook`, secret: "s" }, http);
    const key = `lumio-quiet-${change.kind}`;
    await dispatchChange({ ...change, incident: incident(key) }, { contacts: [{ name: "hook", notifier: hook, lang: null }], store, now: () => T }, SETTINGS);
    expect(received).toEqual([]);
    expect(await store.notifications(key)).toEqual([]);
  });

  test("dispatchChange() sends nothing for an update of an open incident", async () => {
    received.length = 0;
    const hook = webhookNotifier({ url: `${base}/hook`, secret: "s" }, http);
    await dispatchChange({ kind: "updated", incident: incident("lumio-2") }, { contacts: [{ name: "hook", notifier: hook, lang: null }], store, now: () => T }, SETTINGS);
    expect(received).toEqual([]);
    expect(await store.notifications("lumio-2")).toEqual([]);
  });

  test("dispatchChange() under a silence of the brand sends nothing and records who silenced it until when", async () => {
    received.length = 0;
    await store.saveSilence({
      id: "sil-1",
      brand: "Acme",
      problem: null,
      startsAt: T - HOUR,
      endsAt: T + HOUR,
      createdBy: "ola",
      reason: "planned maintenance",
      createdAt: T - HOUR,
    });
    const hook = webhookNotifier({ url: `${base}/hook`, secret: "s" }, http);
    await dispatchChange({ kind: "firing", incident: incident("acme-1", "Acme") }, { contacts: [{ name: "hook", notifier: hook, lang: null }], store, now: () => T }, SETTINGS);
    expect(received).toEqual([]);
    expect(await store.notifications("acme-1")).toEqual([
      {
        incidentKey: "acme-1",
        channel: "webhook",
        target: `${base}/hook`,
        event: "firing",
        attempt: 0,
        status: "silenced",
        httpStatus: null,
        error: `silenced by ola until ${new Date(T + HOUR).toISOString()} (sil-1: planned maintenance)`,
        at: T,
      },
    ]);
  });

  test("dispatchChange() after the silence has ended sends the notice", async () => {
    received.length = 0;
    const hook = webhookNotifier({ url: `${base}/hook`, secret: "s" }, http);
    await dispatchChange({ kind: "firing", incident: incident("acme-2", "Acme") }, { contacts: [{ name: "hook", notifier: hook, lang: null }], store, now: () => T + 2 * HOUR }, SETTINGS);
    expect(received).toHaveLength(1);
  });

  test("dispatchChange() under a brand + problem silence mutes the incidents whose problem signal it names, and only those", async () => {
    received.length = 0;
    await store.saveSilence({
      id: "sil-2",
      brand: "Zefir",
      problem: "outage",
      startsAt: T - HOUR,
      endsAt: T + HOUR,
      createdBy: "ivan",
      reason: "",
      createdAt: T - HOUR,
    });
    const hook = webhookNotifier({ url: `${base}/hook`, secret: "s" }, http);
    const deps = { contacts: [{ name: "hook", notifier: hook, lang: null }], store, now: () => T };
    const signal = (name: string) => ({ kind: "problem" as const, name, firstAt: T, lastSpikeAt: T, peakNegative: 9, peakScore: 0.8, score: 0.8, baseline: 0, inhibited: false });
    await dispatchChange({ kind: "firing", incident: { ...incident("zefir-1", "Zefir"), signals: [signal("outage")] } }, deps, SETTINGS);
    expect(received).toEqual([]);
    expect((await store.notifications("zefir-1")).map((n) => n.status)).toEqual(["silenced"]);
    await dispatchChange({ kind: "firing", incident: { ...incident("zefir-2", "Zefir"), signals: [signal("delivery")] } }, deps, SETTINGS);
    expect(received).toHaveLength(1);
  });

  test("dispatchChange() sends the notice when the store cannot list silences", async () => {
    received.length = 0;
    const hook = webhookNotifier({ url: `${base}/hook`, secret: "s" }, http);
    const failing = {
      silences: () => Promise.reject(new Error("store down")),
      recordNotification: () => Promise.reject(new Error("store down")),
    };
    await dispatchChange({ kind: "firing", incident: incident("acme-3", "Acme") }, { contacts: [{ name: "hook", notifier: hook, lang: null }], store: failing, now: () => T }, SETTINGS);
    expect(received).toHaveLength(1);
  });
});
