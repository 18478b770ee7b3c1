import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createSourceHealth } from "../../../collectors/health";
import {
  API,
  type ApiError,
  type ChannelHealthView,
  type IncidentDetailView,
  type IncidentView,
  type MentionView,
  type MinutePoint,
  type SilenceView,
  type SourceHealthView,
} from "../../../dashboard/protocol";
import { CONTENT_SECURITY_POLICY } from "../../../dashboard/server/http";
import { toIncidentView, toMentionView } from "../../../dashboard/server/views";
import {
  login,
  makeIncident,
  makeMention,
  send,
  startTestDashboard,
  stateChanging,
  type TestDashboard,
} from "./dashboard-fixture";

const MINUTE = 60_000;
const XSS = "<img src=x onerror=alert(1)>";

let d: TestDashboard;
let cookie: string;
let now: number;
const get = (path: string) => send(d.url, path, { headers: { cookie } });
/** The collectors' real health record, read by the dashboard on each request. */
let healthClock = 0;
const health = createSourceHealth(() => new Date(healthClock));

beforeAll(async () => {
  d = await startTestDashboard({ sourceHealth: health.snapshot });
  now = d.clock.now;
  await d.store.insertMentions([
    makeMention({ id: "demo:old", brand: "Lumio", publishedAt: now - 7 * 60 * MINUTE }),
    makeMention({ id: "demo:a", brand: "Lumio", publishedAt: now - 3 * MINUTE }),
    makeMention({ id: "demo:b", brand: "Lumio", publishedAt: now - 2 * MINUTE, sentiment: { score: 0.5, label: "positive", confidence: 0.7, terms: ["polecam"] } }),
    makeMention({ id: "demo:c", brand: "Acme", publishedAt: now - MINUTE, text: XSS, lang: "en" }),
    makeMention({ id: "demo:d", brand: "Nowa", publishedAt: now + 30_000 }),
  ]);
  await d.store.saveIncident(makeIncident({ key: "Lumio:spike:1", startedAt: now - 10 * MINUTE }));
  await d.store.saveIncident(makeIncident({ key: "Acme:spike/ü 2", brand: "Acme", startedAt: now - 5 * MINUTE }));
  cookie = await login(d.url);
});
afterAll(async () => {
  await d.close();
});

describe("API", () => {
  test.each([API.me, API.mentions, `${API.timeline}?brand=Lumio`, API.incidents, API.sources, "/api/nothing-here"])(
    "GET %s answers 401 without a session",
    async (path) => {
      const reply = await send(d.url, path);
      expect(reply.status).toBe(401);
      expect(reply.json()).toEqual({ error: "sign in first" });
    },
  );

  test("POST acknowledge answers 401 without a session and does not acknowledge", async () => {
    const reply = await send(d.url, API.acknowledge("Lumio:spike:1"), { method: "POST", headers: stateChanging(d.url) });
    expect(reply.status).toBe(401);
    expect(d.acknowledgeCalls).toEqual([]);
  });

  test("GET /api/mentions returns every brand's mentions newest first as MentionViews", async () => {
    const reply = await get(API.mentions);
    expect(reply.status).toBe(200);
    expect(reply.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(reply.headers["cache-control"]).toBe("no-store");
    const body = reply.json() as MentionView[];
    expect(body.map((m) => m.id)).toEqual(["demo:d", "demo:c", "demo:b", "demo:a", "demo:old"]);
    const stored = await d.store.recentMentions({ limit: 1 });
    expect(body[0]).toEqual(toMentionView(stored[0]!));
  });

  test("GET /api/mentions filters by brand and applies the limit", async () => {
    const reply = await get(`${API.mentions}?brand=Lumio&limit=2`);
    expect((reply.json() as MentionView[]).map((m) => m.id)).toEqual(["demo:b", "demo:a"]);
  });

  test("GET /api/mentions delivers markup in text as the same string in JSON", async () => {
    const reply = await get(`${API.mentions}?brand=Acme`);
    expect(reply.text).toContain(JSON.stringify(XSS));
    expect((reply.json() as MentionView[])[0]!.text).toBe(XSS);
    expect(reply.headers["x-content-type-options"]).toBe("nosniff");
  });

  test.each([
    ["limit=0", "limit must be a whole number from 1 to 500"],
    ["limit=501", "limit must be a whole number from 1 to 500"],
    ["limit=ten", "limit must be a whole number from 1 to 500"],
    ["limit=1.5", "limit must be a whole number from 1 to 500"],
    ["limit=-1", "limit must be a whole number from 1 to 500"],
    ["limit=5&limit=6", "limit is given more than once"],
    ["brand=", "brand must be 1–200 characters"],
    [`brand=${"x".repeat(201)}`, "brand must be 1–200 characters"],
  ])("GET /api/mentions?%s answers 400", async (query, error) => {
    const reply = await get(`${API.mentions}?${query}`);
    expect(reply.status).toBe(400);
    expect(reply.json()).toEqual({ error } satisfies ApiError);
  });

  test("GET /api/mentions accepts the largest limit", async () => {
    expect((await get(`${API.mentions}?limit=500`)).status).toBe(200);
  });

  test("GET /api/timeline returns the last 6 hours of a brand by default", async () => {
    const reply = await get(`${API.timeline}?brand=Lumio`);
    expect(reply.status).toBe(200);
    const minute = (t: number) => Math.floor(t / MINUTE) * MINUTE;
    expect(reply.json()).toEqual([
      { brand: "Lumio", minute: minute(now - 3 * MINUTE), total: 1, negative: 1 },
      { brand: "Lumio", minute: minute(now - 2 * MINUTE), total: 1, negative: 0 },
    ] satisfies MinutePoint[]);
  });

  test("GET /api/timeline includes the minute in progress by default", async () => {
    const reply = await get(`${API.timeline}?brand=Nowa`);
    expect(reply.json()).toEqual([{ brand: "Nowa", minute: now, total: 1, negative: 1 }]);
  });

  test("GET /api/timeline honours from and to", async () => {
    const from = now - 8 * 60 * MINUTE;
    const reply = await get(`${API.timeline}?brand=Lumio&from=${from}&to=${now - 150_000}`);
    expect((reply.json() as MinutePoint[]).map((p) => p.minute)).toEqual([
      Math.floor((now - 7 * 60 * MINUTE) / MINUTE) * MINUTE,
      Math.floor((now - 3 * MINUTE) / MINUTE) * MINUTE,
    ]);
  });

  test.each([
    ["", "brand is required"],
    ["brand=Lumio&from=abc", "from must be epoch milliseconds (a whole number ≥ 0)"],
    ["brand=Lumio&to=-5", "to must be epoch milliseconds (a whole number ≥ 0)"],
    ["brand=Lumio&from=2000&to=1000", "from must be before to"],
    ["brand=Lumio&from=0&to=4000000000000", "the range from–to may span at most 31 days"],
  ])("GET /api/timeline?%s answers 400", async (query, error) => {
    const reply = await get(`${API.timeline}?${query}`);
    expect(reply.status).toBe(400);
    expect(reply.json()).toEqual({ error });
  });

  test("GET /api/incidents returns incidents newest first as IncidentViews", async () => {
    const reply = await get(API.incidents);
    expect(reply.status).toBe(200);
    const body = reply.json() as IncidentView[];
    expect(body.map((i) => i.key)).toEqual(["Acme:spike/ü 2", "Lumio:spike:1"]);
    expect(body[1]).toEqual(toIncidentView((await d.store.incident("Lumio:spike:1"))!));
  });

  test("POST acknowledge acknowledges as the signed-in user and returns the IncidentView", async () => {
    const key = "Acme:spike/ü 2";
    const reply = await send(d.url, API.acknowledge(key), { method: "POST", headers: stateChanging(d.url, { cookie }) });
    expect(reply.status).toBe(200);
    expect(d.acknowledgeCalls).toContainEqual({ key, by: "ola" });
    const body = reply.json() as IncidentView;
    expect(body).toMatchObject({ key, state: "acknowledged", acknowledgedBy: "ola", acknowledgedAt: d.clock.now });
    expect(body).toEqual(toIncidentView((await d.store.incident(key))!));
  });

  test("POST sentiment stores the team's label with the mention's text and who set it", async () => {
    const reply = await send(d.url, API.correctSentiment("demo:a"), {
      method: "POST",
      headers: stateChanging(d.url, { cookie, "content-type": "application/json" }),
      body: JSON.stringify({ label: "positive" }),
    });
    expect(reply.status).toBe(201);
    expect(reply.json()).toEqual({ mentionId: "demo:a", field: "sentiment", value: "positive", correctedBy: "ola", at: d.clock.now });
    const stored = await d.store.corrections({ field: "sentiment", limit: 10 });
    const mention = (await d.store.mention("demo:a"))!;
    expect(stored).toContainEqual({
      mentionId: "demo:a",
      field: "sentiment",
      value: "positive",
      text: mention.text,
      lang: mention.lang,
      correctedBy: "ola",
      at: d.clock.now,
    });
  });

  test.each([
    ["a label that is not one of the three", JSON.stringify({ label: "angry" }), 400],
    ["no label", JSON.stringify({}), 400],
    ["a body that is not JSON", "label=positive", 400],
  ])("POST sentiment with %s answers %i and stores nothing", async (_case, body, status) => {
    const before = (await d.store.corrections({ field: "sentiment", limit: 500 })).length;
    const reply = await send(d.url, API.correctSentiment("demo:b"), {
      method: "POST",
      headers: stateChanging(d.url, { cookie, "content-type": "application/json" }),
      body,
    });
    expect(reply.status).toBe(status);
    expect((await d.store.corrections({ field: "sentiment", limit: 500 })).length).toBe(before);
  });

  test("POST sentiment for a mention the stream showed before it was stored waits for the writer", async () => {
    const late = makeMention({ id: "demo:late", brand: "Lumio", publishedAt: now - MINUTE });
    const storing = new Promise((resolve) => setTimeout(resolve, 500)).then(() => d.store.insertMentions([late]));
    const reply = await send(d.url, API.correctSentiment("demo:late"), {
      method: "POST",
      headers: stateChanging(d.url, { cookie, "content-type": "application/json" }),
      body: JSON.stringify({ label: "neutral" }),
    });
    await storing;
    expect(reply.status).toBe(201);
  });

  test("POST sentiment for an unknown mention answers 404", async () => {
    const reply = await send(d.url, API.correctSentiment("demo:none"), {
      method: "POST",
      headers: stateChanging(d.url, { cookie, "content-type": "application/json" }),
      body: JSON.stringify({ label: "negative" }),
    });
    expect(reply.status).toBe(404);
    expect(reply.json()).toEqual({ error: "no such mention" });
  });

  test("POST sentiment without the CSRF header answers 403", async () => {
    const reply = await send(d.url, API.correctSentiment("demo:a"), {
      method: "POST",
      headers: { cookie, "content-type": "application/json" },
      body: JSON.stringify({ label: "neutral" }),
    });
    expect(reply.status).toBe(403);
  });

  test("POST silences stores a silence as the signed-in user and GET silences lists it", async () => {
    const reply = await send(d.url, API.silences, {
      method: "POST",
      headers: stateChanging(d.url, { cookie, "content-type": "application/json" }),
      body: JSON.stringify({ brand: "Lumio", problem: "delivery", endsAt: d.clock.now + 3_600_000, reason: "courier strike, statement out" }),
    });
    expect(reply.status).toBe(201);
    const created = reply.json() as SilenceView;
    expect(created).toMatchObject({
      brand: "Lumio",
      problem: "delivery",
      startsAt: d.clock.now,
      endsAt: d.clock.now + 3_600_000,
      createdBy: "ola",
      reason: "courier strike, statement out",
    });
    const listed = (await get(API.silences)).json() as SilenceView[];
    expect(listed).toContainEqual(created);

    const expired = await send(d.url, API.expireSilence(created.id), { method: "POST", headers: stateChanging(d.url, { cookie }) });
    expect(expired.status).toBe(200);
    expect((expired.json() as SilenceView).endsAt).toBe(d.clock.now);
    expect(((await get(API.silences)).json() as SilenceView[]).map((s) => s.id)).not.toContain(created.id);
  });

  test("POST silences with a bad body answers 400 naming every problem and stores nothing", async () => {
    const reply = await send(d.url, API.silences, {
      method: "POST",
      headers: stateChanging(d.url, { cookie, "content-type": "application/json" }),
      body: JSON.stringify({ brand: "Lumio", problem: "Outage!", endsAt: d.clock.now - 1 }),
    });
    expect(reply.status).toBe(400);
    expect(reply.json()).toEqual({
      error: "endsAt must be after startsAt; endsAt is in the past; problem must be a problem type such as outage or delivery",
    });
  });

  test("POST expire of an unknown silence answers 404", async () => {
    const reply = await send(d.url, API.expireSilence("nope"), { method: "POST", headers: stateChanging(d.url, { cookie }) });
    expect(reply.status).toBe(404);
  });

  test("GET incident answers the incident with its timeline and delivery attempts", async () => {
    const key = "Lumio:spike:1";
    await d.store.recordIncidentEvent({ incidentKey: key, at: now - 10 * MINUTE, type: "firing", actor: "earshot", detail: "Lumio: 42" });
    await d.store.recordNotification({
      incidentKey: key,
      channel: "webhook",
      target: "https://hooks.example.com/x",
      event: "firing",
      attempt: 1,
      status: "delivered",
      httpStatus: 204,
      error: "",
      at: now - 10 * MINUTE,
    });
    const reply = await get(API.incident(key));
    expect(reply.status).toBe(200);
    const body = reply.json() as IncidentDetailView;
    expect(body.incident).toEqual(toIncidentView((await d.store.incident(key))!));
    expect(body.events).toEqual([{ at: now - 10 * MINUTE, type: "firing", actor: "earshot", detail: "Lumio: 42" }]);
    expect(body.notifications).toEqual([
      { channel: "webhook", target: "https://hooks.example.com/x", event: "firing", attempt: 1, status: "delivered", httpStatus: 204, error: "", at: now - 10 * MINUTE },
    ]);
  });

  test("GET incident attaches the surge's evidence and the playbook of its dominant problem in the reader's language", async () => {
    const reply = await get(`${API.incident("Lumio:spike:1")}?lang=pl`);
    expect(reply.status).toBe(200);
    const body = reply.json() as IncidentDetailView;
    // demo:a is the first negative Lumio mention after the incident started (demo:b is positive, demo:c is Acme's).
    expect(body.evidence?.firstMention?.id).toBe("demo:a");
    expect(body.evidence?.dominantProblem).toBe("outage");
    expect(body.evidence?.quotes.map((q) => q.lang)).toEqual(["pl"]);
    expect(body.playbook).toMatchObject({ id: "outage", lang: "pl" });
    expect(body.playbook!.checklist.length).toBeGreaterThan(3);
    expect(JSON.stringify(body.playbook)).toContain("Lumio");
  });

  test("GET incident with an unknown lang answers 400", async () => {
    expect((await get(`${API.incident("Lumio:spike:1")}?lang=de`)).status).toBe(400);
  });

  test("GET channels says which alert channel is failing and why", async () => {
    const attempt = (channel: string, at: number, status: "delivered" | "failed", error = "") =>
      d.store.recordNotification({
        incidentKey: "Lumio:spike:1",
        channel,
        target: `https://${channel}.example/hook`,
        event: "firing",
        attempt: 1,
        status,
        httpStatus: status === "failed" ? 410 : 200,
        error,
        at,
      });
    await attempt("slack", now - 5 * MINUTE, "delivered");
    await attempt("slack", now - 2 * MINUTE, "failed", "HTTP 410 no_service: the webhook was removed");
    await attempt("teams", now - MINUTE, "delivered");
    const body = (await get(API.channels)).json() as ChannelHealthView[];
    expect(body.find((c) => c.channel === "slack")).toEqual({
      channel: "slack",
      target: "https://slack.example/hook",
      state: "failing",
      lastAttemptAt: now - 2 * MINUTE,
      lastError: "HTTP 410 no_service: the webhook was removed",
      lastDeliveredAt: now - 5 * MINUTE,
      failuresSinceDelivered: 1,
    });
    expect(body.find((c) => c.channel === "teams")?.state).toBe("ok");
  });

  test("GET incident answers 404 for an unknown key", async () => {
    const reply = await get(API.incident("no-such-key"));
    expect(reply.status).toBe(404);
  });

  test("POST acknowledge answers 404 for an unknown incident", async () => {
    const reply = await send(d.url, API.acknowledge("no-such-key"), { method: "POST", headers: stateChanging(d.url, { cookie }) });
    expect(reply.status).toBe(404);
    expect(reply.json()).toEqual({ error: "no such incident" });
    expect(d.acknowledgeCalls).toContainEqual({ key: "no-such-key", by: "ola" });
  });

  test("POST acknowledge without the CSRF header answers 403 and does not acknowledge", async () => {
    const before = d.acknowledgeCalls.length;
    const reply = await send(d.url, API.acknowledge("Lumio:spike:1"), { method: "POST", headers: { cookie } });
    expect(reply.status).toBe(403);
    expect(d.acknowledgeCalls.length).toBe(before);
    expect((await d.store.incident("Lumio:spike:1"))!.state).toBe("firing");
  });

  test("POST acknowledge with a broken key encoding answers 400", async () => {
    const reply = await send(d.url, "/api/incidents/%E0%A4%A/acknowledge", { method: "POST", headers: stateChanging(d.url, { cookie }) });
    expect(reply.status).toBe(400);
  });

  test("GET acknowledge answers 405", async () => {
    const reply = await get(API.acknowledge("Lumio:spike:1"));
    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toBe("POST");
  });

  test("GET /api/sources returns each source's health with its state, as health holds it now", async () => {
    healthClock = now - 90_000;
    health.register("rss-pl", "rss", "polling");
    health.succeeded("rss-pl", { items: 7, durationMs: 1234.4, newestAt: now - 150_000, quotaLeft: 58 });
    // What collectors/schedule.ts records for a source whose credentials are missing.
    health.register("reddit", "reddit", "polling");
    health.failed("reddit", new Error("off: set EARSHOT_REDDIT_CLIENT_ID, EARSHOT_REDDIT_CLIENT_SECRET"), { durationMs: null });
    health.register("hn", "hackernews", "polling");
    health.succeeded("hn", { items: 3, durationMs: 200 });
    healthClock = now - 30_000;
    health.failed("hn", new Error(XSS), { durationMs: 15_000 });
    health.failed("hn", new Error(XSS), { durationMs: 15_000 });
    health.register("demo", "demo", "streaming");

    const reply = await get(API.sources);
    expect(reply.status).toBe(200);
    expect(reply.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(reply.headers["cache-control"]).toBe("no-store");
    expect(reply.json()).toEqual([
      {
        id: "rss-pl",
        kind: "rss",
        mode: "polling",
        state: "ok",
        lastSuccessAt: now - 90_000,
        lastFailureAt: null,
        consecutiveFailures: 0,
        lastError: null,
        lastWarning: null,
        itemsLastPoll: 7,
        lastPollMs: 1234,
        polls: 1,
        failures: 0,
        skipped: 0,
        lagMs: 60_000,
        quotaLeft: 58,
      },
      {
        id: "reddit",
        kind: "reddit",
        mode: "polling",
        state: "off",
        lastSuccessAt: null,
        lastFailureAt: now - 90_000,
        consecutiveFailures: 1,
        lastError: "off: set EARSHOT_REDDIT_CLIENT_ID, EARSHOT_REDDIT_CLIENT_SECRET",
        lastWarning: null,
        itemsLastPoll: null,
        lastPollMs: null,
        polls: 1,
        failures: 1,
        skipped: 0,
        lagMs: null,
        quotaLeft: null,
      },
      {
        id: "hn",
        kind: "hackernews",
        mode: "polling",
        state: "failing",
        lastSuccessAt: now - 90_000,
        lastFailureAt: now - 30_000,
        consecutiveFailures: 2,
        lastError: XSS,
        lastWarning: null,
        itemsLastPoll: 3,
        lastPollMs: 15_000,
        polls: 3,
        failures: 2,
        skipped: 0,
        lagMs: null,
        quotaLeft: null,
      },
      {
        id: "demo",
        kind: "demo",
        mode: "streaming",
        state: "waiting",
        lastSuccessAt: null,
        lastFailureAt: null,
        consecutiveFailures: 0,
        lastError: null,
        lastWarning: null,
        itemsLastPoll: null,
        lastPollMs: null,
        polls: 0,
        failures: 0,
        skipped: 0,
        lagMs: null,
        quotaLeft: null,
      },
    ] satisfies SourceHealthView[]);

    // Read per request, not cached: a recovery shows on the next poll of the panel.
    healthClock = now;
    health.succeeded("hn", { items: 0, durationMs: 50 });
    const after = (await get(API.sources)).json() as SourceHealthView[];
    expect(after.find((s) => s.id === "hn")).toMatchObject({ state: "ok", consecutiveFailures: 0, lastSuccessAt: now, lastError: XSS });
  });

  test("POST /api/sources answers 405", async () => {
    const reply = await send(d.url, API.sources, { method: "POST", headers: stateChanging(d.url, { cookie }) });
    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toBe("GET, HEAD");
  });

  test("an unknown API path answers 404 when signed in", async () => {
    const reply = await get("/api/nothing-here");
    expect(reply.status).toBe(404);
    expect(reply.json()).toEqual({ error: "no such API route" });
  });

  test("a chunked body over the cap answers 413", async () => {
    const reply = await send(d.url, "/api/session", {
      method: "POST",
      headers: stateChanging(d.url, { "content-type": "application/json", "transfer-encoding": "chunked" }),
      body: JSON.stringify({ username: "ola", password: "p".repeat(40 * 1024) }),
    });
    expect(reply.status).toBe(413);
  });

  test.each([API.mentions, "/api/nothing-here", "/", "/assets/missing.js"])("%s carries the security headers", async (path) => {
    const reply = await get(path);
    expect(reply.headers["content-security-policy"]).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("connect-src 'self' ws: wss:");
    expect(CONTENT_SECURITY_POLICY).toContain("img-src 'self' data:");
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(reply.headers["x-content-type-options"]).toBe("nosniff");
    expect(reply.headers["referrer-policy"]).toBe("no-referrer");
  });

  test("the 401 answer carries the security headers", async () => {
    const reply = await send(d.url, API.mentions);
    expect(reply.headers["content-security-policy"]).toBe(CONTENT_SECURITY_POLICY);
    expect(reply.headers["referrer-policy"]).toBe("no-referrer");
  });
});

describe("API without source health", () => {
  let bare: TestDashboard;
  let bareCookie: string;
  beforeAll(async () => {
    bare = await startTestDashboard();
    bareCookie = await login(bare.url);
  });
  afterAll(async () => {
    await bare.close();
  });

  test("GET /api/sources returns an empty list when the dashboard was given no source health", async () => {
    const reply = await send(bare.url, API.sources, { headers: { cookie: bareCookie } });
    expect(reply.status).toBe(200);
    expect(reply.json()).toEqual([]);
  });
});
