import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { makeAckLink } from "../../../pipeline/alerts/ack-link";
import { makeIncident, send, startTestDashboard, type TestDashboard } from "./dashboard-fixture";

const SECRET = "ack-link-secret-of-32-characters!";
const HOUR = 3_600_000;
let d: TestDashboard;
let off: TestDashboard;

const linkFor = (key: string, secret = SECRET, ttlMs = HOUR) => {
  const link = new URL(makeAckLink(key, { baseUrl: "https://earshot.example.com", secret, now: d.clock.now, ttlMs }));
  return `${link.pathname}${link.search}`;
};

beforeAll(async () => {
  d = await startTestDashboard({ ackLinkSecret: SECRET });
  off = await startTestDashboard();
  await d.store.saveIncident(makeIncident({ key: "lumio-1406", startedAt: d.clock.now - HOUR }));
  await d.store.saveIncident(makeIncident({ key: "lumio-<b>", startedAt: d.clock.now - HOUR }));
});
afterAll(async () => {
  await d.close();
  await off.close();
});

describe("GET/POST /ack/<key>", () => {
  test("GET of a valid link shows a confirmation form and acknowledges nothing", async () => {
    const reply = await send(d.url, linkFor("lumio-1406"), { headers: { "accept-language": "pl-PL,pl;q=0.9" } });
    expect(reply.status).toBe(200);
    expect(reply.headers["content-type"]).toContain("text/html");
    expect(reply.text).toContain('<form method="post">');
    expect(reply.text).toContain("Przyjmij");
    expect(d.acknowledgeCalls).toEqual([]);
  });

  test("POST of a valid link acknowledges the incident as the ack link, without a session", async () => {
    const reply = await send(d.url, linkFor("lumio-1406"), { method: "POST", headers: { "accept-language": "ru" } });
    expect(reply.status).toBe(200);
    expect(reply.text).toContain("Принято");
    expect(d.acknowledgeCalls).toContainEqual({ key: "lumio-1406", by: "ack-link" });
    expect((await d.store.incident("lumio-1406"))?.state).toBe("acknowledged");
  });

  test("a key with markup is shown as text on the page", async () => {
    const reply = await send(d.url, linkFor("lumio-<b>"));
    expect(reply.text).not.toContain("<b>");
    expect(reply.text).toContain("lumio-&#60;b&#62;");
  });

  test.each([
    ["signed with another secret", () => linkFor("lumio-1406", "another-secret-of-32-characters!!"), 403],
    ["for another key", () => linkFor("lumio-other").replace("lumio-other", "lumio-1406"), 403],
    ["without a signature", () => "/ack/lumio-1406?exp=9999999999", 403],
    ["past its expiry", () => linkFor("lumio-1406", SECRET, -1), 410],
  ])("POST of a link %s is refused and acknowledges nothing", async (_case, link, status) => {
    const before = d.acknowledgeCalls.length;
    const reply = await send(d.url, link(), { method: "POST" });
    expect(reply.status).toBe(status);
    expect(d.acknowledgeCalls.length).toBe(before);
  });

  test("POST of a valid link to an unknown incident answers 404", async () => {
    const reply = await send(d.url, linkFor("no-such-incident"), { method: "POST" });
    expect(reply.status).toBe(404);
  });

  test("without EARSHOT_ACK_LINK_SECRET the route answers 404", async () => {
    const reply = await send(off.url, linkFor("lumio-1406"), { method: "POST" });
    expect(reply.status).toBe(404);
    expect(off.acknowledgeCalls).toEqual([]);
  });
});
