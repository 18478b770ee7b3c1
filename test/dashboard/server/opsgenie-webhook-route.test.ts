import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { makeIncident, send, startTestDashboard, type TestDashboard } from "./dashboard-fixture";

/**
 * POST /opsgenie/webhook as Opsgenie's Webhook integration sends alert
 * actions: JSON with `action` and `alert.alias`, and the custom header the
 * integration was given.
 */
const TOKEN = "opsgenie-webhook-token-0123456789abcdef";
const HOUR = 3_600_000;
let d: TestDashboard;
let off: TestDashboard;

beforeAll(async () => {
  d = await startTestDashboard({ opsgenieWebhookToken: TOKEN, withResolve: true });
  off = await startTestDashboard();
  for (const key of ["lumio-1406", "lumio-1510"]) await d.store.saveIncident(makeIncident({ key, startedAt: d.clock.now - HOUR }));
});
afterAll(async () => {
  await d.close();
  await off.close();
});

/** An alert action as Opsgenie's documentation shows it (alert action data). */
const action = (name: string, alias: string, username = "anna@example.com") =>
  JSON.stringify({
    source: { name: "", type: "web" },
    alert: { updatedAt: 1420452224764002246, tags: ["earshot"], message: "Lumio: negative spike", username, alertId: "052652ac-5d1c-464a-812a-7dd18bbfba8c", alias, tinyId: "23", createdAt: 1420452191104, userId: "daed1180", entity: "" },
    action: name,
    integrationId: "37c8f316-17c6-49d7-899b-9c7e540c048d",
    integrationName: "Earshot back",
  });
const post = (dashboard: TestDashboard, body: string, token: string | null = TOKEN) =>
  send(dashboard.url, "/opsgenie/webhook", { method: "POST", headers: { "content-type": "application/json", ...(token === null ? {} : { "x-earshot-token": token }) }, body });

describe("POST /opsgenie/webhook", () => {
  test("an alert acknowledged in Opsgenie acknowledges the incident of its alias, as that user", async () => {
    expect((await post(d, action("Acknowledge", "lumio-1406"))).status).toBe(204);
    expect(d.acknowledgeCalls).toContainEqual({ key: "lumio-1406", by: "anna@example.com (Opsgenie)" });
    expect((await d.store.incident("lumio-1406"))?.state).toBe("acknowledged");
  });

  test("an alert closed in Opsgenie resolves the incident; other actions change nothing", async () => {
    expect((await post(d, action("Close", "lumio-1510", "oleg@example.com"))).status).toBe(204);
    expect(d.resolveCalls).toEqual([{ key: "lumio-1510", by: "oleg@example.com (Opsgenie)" }]);
    const before = [d.acknowledgeCalls.length, d.resolveCalls.length];
    for (const name of ["Create", "AddNote", "UnAcknowledge"]) expect((await post(d, action(name, "lumio-1406"))).status).toBe(204);
    expect([d.acknowledgeCalls.length, d.resolveCalls.length]).toEqual(before);
  });

  test.each([
    ["a wrong token", "opsgenie-webhook-token-0123456789abcdeX"],
    ["no token", null],
  ])("an action with %s is refused with 401 and changes nothing", async (_case, token) => {
    const before = d.acknowledgeCalls.length;
    expect((await post(d, action("Acknowledge", "lumio-1406", "mallory"), token)).status).toBe(401);
    expect(d.acknowledgeCalls.length).toBe(before);
  });

  test("a body that is not JSON is a 400; without a token configured the route is 404", async () => {
    expect((await post(d, "{nope")).status).toBe(400);
    expect((await post(off, action("Acknowledge", "lumio-1406"))).status).toBe(404);
  });
});
