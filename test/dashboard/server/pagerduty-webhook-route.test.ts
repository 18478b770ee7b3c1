import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { makeIncident, send, startTestDashboard, type TestDashboard } from "./dashboard-fixture";

/**
 * POST /pagerduty/webhook as PagerDuty's v3 webhooks send it: one JSON event,
 * signed in X-PagerDuty-Signature with the subscription's secret.
 */
const SECRET = "pd-webhook-secret-ABCDEF0123456789";
const HOUR = 3_600_000;
let d: TestDashboard;
let off: TestDashboard;

beforeAll(async () => {
  d = await startTestDashboard({ pagerDutyWebhookSecret: SECRET, withResolve: true });
  off = await startTestDashboard();
  for (const key of ["lumio-1406", "lumio-1510"]) await d.store.saveIncident(makeIncident({ key, startedAt: d.clock.now - HOUR }));
});
afterAll(async () => {
  await d.close();
  await off.close();
});

/** An incident event as PagerDuty sends it (trimmed to the fields Earshot reads, plus a few it ignores). */
const event = (eventType: string, incidentKey: string, agent = "Anna Nowak") =>
  JSON.stringify({
    event: {
      id: "01DEN0V2VHYFDAQSYP6AWHFZC2",
      event_type: eventType,
      resource_type: "incident",
      occurred_at: "2026-11-23T14:07:12.000Z",
      agent: { id: "PLH1HKV", summary: agent, type: "user_reference" },
      client: { name: "PagerDuty" },
      data: { id: "PGR0VU2", type: "incident", number: 2, status: eventType.split(".")[1], incident_key: incidentKey, title: "Lumio: negative spike" },
    },
  });
const sign = (body: string, secret = SECRET) => `v1=${createHmac("sha256", secret).update(body).digest("hex")}`;
const post = (dashboard: TestDashboard, body: string, signature: string) =>
  send(dashboard.url, "/pagerduty/webhook", { method: "POST", headers: { "content-type": "application/json", "x-pagerduty-signature": signature }, body });

describe("POST /pagerduty/webhook", () => {
  test("an incident acknowledged in PagerDuty is acknowledged in Earshot as that person, without a session", async () => {
    const body = event("incident.acknowledged", "lumio-1406");
    expect((await post(d, body, sign(body))).status).toBe(204);
    expect(d.acknowledgeCalls).toContainEqual({ key: "lumio-1406", by: "Anna Nowak (PagerDuty)" });
    expect((await d.store.incident("lumio-1406"))?.state).toBe("acknowledged");
  });

  test("an incident resolved in PagerDuty is resolved in Earshot; during a secret rotation one matching signature is enough", async () => {
    const body = event("incident.resolved", "lumio-1510", "Oleg K.");
    const rotated = `${sign(body, "the-old-secret-being-rotated-out!!")},${sign(body)}`;
    expect((await post(d, body, rotated)).status).toBe(204);
    expect(d.resolveCalls).toEqual([{ key: "lumio-1510", by: "Oleg K. (PagerDuty)" }]);
    expect((await d.store.incident("lumio-1510"))?.state).toBe("resolved");
  });

  test("other events are accepted and change nothing", async () => {
    const before = [d.acknowledgeCalls.length, d.resolveCalls.length];
    for (const type of ["incident.triggered", "incident.annotated", "incident.escalated"]) {
      const body = event(type, "lumio-1406");
      expect((await post(d, body, sign(body))).status).toBe(204);
    }
    expect([d.acknowledgeCalls.length, d.resolveCalls.length]).toEqual(before);
  });

  test.each([
    ["signed with another secret", (body: string) => sign(body, "not-the-subscription-secret-at-all")],
    ["not signed", () => ""],
    ["signed with an unknown version", (body: string) => sign(body).replace("v1=", "v0=")],
  ])("an event %s is refused with 401 and changes nothing", async (_case, signature) => {
    const before = d.acknowledgeCalls.length;
    const body = event("incident.acknowledged", "lumio-1406", "Mallory");
    expect((await post(d, body, signature(body))).status).toBe(401);
    expect(d.acknowledgeCalls.length).toBe(before);
  });

  test("a signed body that is not JSON is a 400; without a secret the route is 404", async () => {
    const junk = "{not json";
    expect((await post(d, junk, sign(junk))).status).toBe(400);
    const body = event("incident.acknowledged", "lumio-1406");
    expect((await post(off, body, sign(body))).status).toBe(404);
  });
});
