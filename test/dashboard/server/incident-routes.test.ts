import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { API, type IncidentDetailView, type PlaybookTickView, type Role, type SilenceView } from "../../../dashboard/protocol";
import { createApi } from "../../../dashboard/server/api";
import type { Session } from "../../../dashboard/server/auth";
import { HttpError, isHttpError, sendError } from "../../../dashboard/server/http";
import { createIncidentRoutes } from "../../../dashboard/server/incident-routes";
import { IncidentDesk } from "../../../pipeline/incidents/incident-desk";
import { bookFromStored } from "../../../pipeline/incidents/lifecycle";
import type { Incident } from "../../../pipeline/mention";
import { openStore } from "../../../pipeline/store/open-store";
import type { Store } from "../../../pipeline/store/store";
import { freshDatabase } from "../../contracts/store.contract";
import { tempDirs } from "../../support/temp-dir";

/**
 * The incident actions behind a real HTTP server on 127.0.0.1 over a real chDB
 * store, chained after the read API as start-dashboard.ts chains them. The
 * signed-in user comes from test headers (sign-in itself is auth.test.ts's).
 */
const dirs = tempDirs();
const NOW = Date.UTC(2026, 10, 23, 14, 30);
let store: Store;
let server: Server;
let base: string;
let desk: IncidentDesk;

const incident = (over: Partial<Incident> = {}): Incident => ({
  key: "lumio-20261123T1405",
  kind: "spike",
  source: null,
  brand: "Lumio",
  state: "firing",
  severity: "critical",
  startedAt: NOW - 25 * 60_000,
  updatedAt: NOW - 60_000,
  acknowledgedAt: null,
  acknowledgedBy: null,
  resolvedAt: null,
  peakNegative: 40,
  baseline: 2,
  firstMentionId: "",
  summary: "Lumio: 40 negative mentions in one minute (usual 2)",
  ...over,
});

beforeAll(async () => {
  store = await openStore({ kind: "embedded", dataDir: dirs.make("earshot-incident-routes-"), database: freshDatabase() });
  const open = incident();
  await store.saveIncident(open);
  await store.saveIncident(incident({ key: "source-rss-1", kind: "source-down", source: "rss", brand: "" }));
  await store.saveIncidentSignals(open.key, [
    { kind: "brand", name: "Lumio", firstAt: open.startedAt, lastSpikeAt: NOW - 5 * 60_000, peakNegative: 40, peakScore: 1, score: 0.4, baseline: 2, inhibited: false },
    { kind: "problem", name: "outage", firstAt: open.startedAt + 60_000, lastSpikeAt: NOW - 5 * 60_000, peakNegative: 30, peakScore: 1, score: 0.6, baseline: 0, inhibited: false },
    { kind: "source", name: "reddit", firstAt: open.startedAt + 120_000, lastSpikeAt: NOW - 6 * 60_000, peakNegative: 12, peakScore: 0.9, score: 0.2, baseline: 0.3, inhibited: true },
  ]);
  desk = new IncidentDesk(bookFromStored([open]), { keepFiringMinutes: 15 });
  // What run-pipeline does: the desk decides, the store keeps the change and its timeline entry.
  const resolve = async (key: string, by: string): Promise<Incident | null> => {
    const [change] = desk.apply({ type: "resolve", key, by, wallNow: NOW });
    if (change === undefined) return store.incident(key);
    await store.saveIncident(change.incident);
    await store.recordIncidentEvent({ incidentKey: key, at: NOW, type: "resolved", actor: change.by ?? "", detail: "" });
    return change.incident;
  };
  const deps = { store, now: () => NOW, newId: () => "silence-1" };
  const api = createApi({ ...deps, acknowledge: async () => null, sourceHealth: () => [] });
  const routes = createIncidentRoutes({ ...deps, resolve });
  server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://dashboard.invalid");
    const session = {
      username: String(req.headers["x-test-user"] ?? "ola"),
      role: String(req.headers["x-test-role"] ?? "responder") as Role,
      id: "test-session",
      expiresAt: NOW + 3_600_000,
      stamp: "test",
    } satisfies Session;
    (async () => {
      if (!((await api(req, res, url, session)) || (await routes(req, res, url, session)))) throw new HttpError(404, "no such API route");
    })().catch((err: unknown) => (isHttpError(err) ? sendError(res, err.status, err.message) : sendError(res, 500, String(err))));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await store.close();
});

async function post(path: string, body: unknown, role: Role = "responder", user = "ola") {
  const res = await fetch(base + path, {
    method: "POST",
    headers: { "content-type": "application/json", "x-test-role": role, "x-test-user": user },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as unknown };
}
const detail = async (lang = "en") => (await (await fetch(`${base}${API.incident("lumio-20261123T1405")}?lang=${lang}`)).json()) as IncidentDetailView;

describe("incident routes", () => {
  test("GET /api/incidents/<key> carries the stored signals and chooses the playbook of the outage signal", async () => {
    const view = await detail();
    expect(view.signals?.map((s) => [s.kind, s.name, s.inhibited])).toEqual([
      ["brand", "Lumio", false],
      ["problem", "outage", false],
      ["source", "reddit", true],
    ]);
    expect(view.playbook?.id).toBe("outage");
    expect(view.checklist).toEqual([]);
  });

  test("POST playbook ticks and unticks an item for everyone, with who and when, on the timeline", async () => {
    const key = "lumio-20261123T1405";
    const ticked = await post(API.playbookTick(key), { playbookId: "outage", item: 1, checked: true }, "responder", "ola");
    expect(ticked).toEqual({ status: 200, body: { playbookId: "outage", item: 1, checked: true, by: "ola", at: NOW } satisfies PlaybookTickView });
    await post(API.playbookTick(key), { playbookId: "outage", item: 0, checked: true }, "admin", "ivan");
    await post(API.playbookTick(key), { playbookId: "outage", item: 0, checked: false }, "admin", "ivan");
    const view = await detail("pl");
    expect(view.checklist?.map((t) => [t.item, t.checked, t.by])).toEqual([
      [0, false, "ivan"],
      [1, true, "ola"],
    ]);
    expect(view.events.filter((e) => e.type === "checked" || e.type === "unchecked").map((e) => [e.type, e.actor, e.detail])).toEqual(
      expect.arrayContaining([
        ["checked", "ola", "outage#1"],
        ["checked", "ivan", "outage#0"],
        ["unchecked", "ivan", "outage#0"],
      ]),
    );
  });

  test("POST playbook refuses an unknown playbook, an item outside its checklist and a viewer", async () => {
    const path = API.playbookTick("lumio-20261123T1405");
    expect((await post(path, { playbookId: "nope", item: 0, checked: true })).status).toBe(400);
    expect((await post(path, { playbookId: "outage", item: 99, checked: true })).status).toBe(400);
    expect((await post(path, { playbookId: "outage", item: 0, checked: "yes" })).status).toBe(400);
    const viewer = await post(path, { playbookId: "outage", item: 0, checked: true }, "viewer");
    expect(viewer.status).toBe(403);
    expect(JSON.stringify(viewer.body)).toContain("responder");
    expect((await post(API.playbookTick("no-such-incident"), { playbookId: "outage", item: 0, checked: true })).status).toBe(404);
  });

  test("POST silence mutes the incident's brand and problem until the chosen time and records who did it", async () => {
    const endsAt = NOW + 2 * 3_600_000;
    const made = await post(API.silenceIncident("lumio-20261123T1405"), { endsAt, problem: "outage", reason: "status page is up" });
    expect(made.status).toBe(201);
    expect(made.body).toEqual({
      id: "silence-1",
      brand: "Lumio",
      problem: "outage",
      startsAt: NOW,
      endsAt,
      createdBy: "ola",
      reason: "status page is up",
      createdAt: NOW,
    } satisfies SilenceView);
    expect((await store.silences({ now: NOW })).map((s) => [s.brand, s.problem])).toEqual([["Lumio", "outage"]]);
    const event = (await store.incidentEvents("lumio-20261123T1405")).find((e) => e.type === "silenced");
    expect(event).toMatchObject({ actor: "ola" });
    expect(event?.detail).toBe(`${endsAt}|outage|status page is up`);
  });

  test("POST silence refuses a time in the past, an unknown problem type, a source-down incident and a viewer", async () => {
    const path = API.silenceIncident("lumio-20261123T1405");
    expect((await post(path, { endsAt: NOW - 1 })).status).toBe(400);
    expect((await post(path, { endsAt: NOW + 60_000, problem: "weather" })).status).toBe(400);
    expect((await post(API.silenceIncident("source-rss-1"), { endsAt: NOW + 60_000 })).status).toBe(400);
    expect((await post(path, { endsAt: NOW + 60_000 }, "viewer")).status).toBe(403);
  });

  test("POST resolve closes the open incident through the desk for a responder, and only for one", async () => {
    const path = API.resolveIncident("lumio-20261123T1405");
    expect((await post(path, {}, "viewer")).status).toBe(403);
    const done = await post(path, {}, "responder", "ivan");
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ key: "lumio-20261123T1405", state: "resolved", resolvedAt: NOW });
    expect(desk.openIncidents()).toEqual([]);
    const view = await detail();
    expect(view.incident.state).toBe("resolved");
    expect(view.events.find((e) => e.type === "resolved")).toMatchObject({ actor: "ivan" });
    // resolving again answers with the stored incident
    expect((await post(path, {})).body).toMatchObject({ state: "resolved" });
    expect((await post(API.resolveIncident("nope"), {})).status).toBe(404);
  });

  test("GET on an action path is refused with 405", async () => {
    const res = await fetch(base + API.resolveIncident("lumio-20261123T1405"));
    expect(res.status).toBe(405);
  });
});
