import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createSafeHttp, type SafeHttp } from "../../../collectors/http";
import { isNotifierError, type NotifierError } from "../../../pipeline/errors";
import { opsgenieNotifier, opsgenieRequest } from "../../../pipeline/alerts/opsgenie";
import { notice, spike } from "./support/incident";
import { startReceiver, type Receiver } from "./support/receiver";

let og: Receiver;
let http: SafeHttp;
const KEY = "eb243592-faa2-4ba2-a551q-1afdf565c889";
const ACCEPTED = { status: 202, body: JSON.stringify({ result: "Request will be processed", took: 0.302, requestId: "43a29c5c" }) };

beforeAll(async () => {
  og = await startReceiver(ACCEPTED);
  http = createSafeHttp({ allowPrivateNetworks: true });
});
afterAll(async () => {
  await http.close();
  await og.close();
});

async function failure(send: Promise<unknown>): Promise<NotifierError> {
  const err = await send.then(() => null, (e: unknown) => e);
  if (!isNotifierError(err)) throw new Error(`expected a NotifierError, got ${String(err)}`);
  return err;
}
const genie = () => opsgenieNotifier({ apiKey: KEY, baseUrl: og.base, responders: [{ type: "team", name: "PR on-call" }], tags: ["pr"] }, http);

describe("opsgenieNotifier()", () => {
  test("send() creates an alert with the incident key as alias and a GenieKey header", async () => {
    og.reset([]);
    const n = notice({ lang: "pl", text: "🔴 Lumio: gwałtowny wzrost negatywnych wzmianek" });
    expect(await genie().send(n, AbortSignal.timeout(2_000))).toEqual({ httpStatus: 202 });
    const [hit] = og.received;
    expect([hit!.method, hit!.url]).toEqual(["POST", "/v2/alerts"]);
    expect(hit!.headers.authorization).toBe(`GenieKey ${KEY}`);
    expect(hit!.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(JSON.parse(hit!.raw)).toEqual({
      message: "Fala negatywnych wzmianek: Lumio",
      alias: "lumio-20261123T1406",
      description: n.text,
      details: {
        incident: "lumio-20261123T1406",
        kind: "spike",
        peakNegativePerMinute: "34",
        baselinePerMinute: "1",
        firstMention: "demo:1",
        dashboard: n.link,
        acknowledgeLink: n.ackLink,
      },
      entity: "Lumio",
      source: "Earshot",
      priority: "P1",
      tags: ["earshot", "spike", "pr"],
      responders: [{ type: "team", name: "PR on-call" }],
    });
  });

  test("send() acknowledges and closes the alert by alias", async () => {
    og.reset([]);
    const acked = notice({ event: "acknowledged", text: "acked", incident: { ...spike, acknowledgedBy: "ola" } });
    await genie().send(acked, AbortSignal.timeout(2_000));
    await genie().send(notice({ event: "resolved", text: "over" }), AbortSignal.timeout(2_000));
    expect(og.received.map((h) => [h.url, h.headers.authorization, JSON.parse(h.raw)])).toEqual([
      ["/v2/alerts/lumio-20261123T1406/acknowledge?identifierType=alias", `GenieKey ${KEY}`, { source: "Earshot", user: "ola", note: "acked" }],
      ["/v2/alerts/lumio-20261123T1406/close?identifierType=alias", `GenieKey ${KEY}`, { source: "Earshot", user: "Earshot", note: "over" }],
    ]);
  });

  test.each([
    [400, `{"message":"Request body is not processable. Please check the errors.","errors":{"message":"Message can not be empty."}}`],
    [401, `{"message":"Could not authenticate","took":0.0}`],
    [422, `{"message":"Can not process request","took":0.0}`],
  ])("send() gives up on HTTP %i", async (status, body) => {
    og.reset([{ status, body }]);
    const err = await failure(genie().send(notice(), AbortSignal.timeout(2_000)));
    expect([err.retryable, err.httpStatus]).toEqual([false, status]);
    expect(err.message).not.toContain(KEY);
  });

  test.each([429, 500])("send() retries HTTP %i", async (status) => {
    og.reset([{ status, body: `{"message":"later"}` }]);
    const err = await failure(genie().send(notice(), AbortSignal.timeout(2_000)));
    expect(err.retryable).toBe(true);
  });

  test("target follows the region: the EU instance has its own host", () => {
    expect(opsgenieNotifier({ apiKey: KEY, region: "eu" }, http).target).toBe("https://api.eu.opsgenie.com/v2/alerts");
    expect(opsgenieNotifier({ apiKey: KEY }, http).target).toBe("https://api.opsgenie.com/v2/alerts");
  });
});

describe("opsgenieRequest()", () => {
  test("opsgenieRequest() keeps the message within 130 characters and escapes the alias in the path", () => {
    const r = opsgenieRequest(notice({ event: "acknowledged", incident: { ...spike, key: "a/b c" } }));
    expect(r.path).toBe("/v2/alerts/a%2Fb%20c/acknowledge?identifierType=alias");
    const long = opsgenieRequest(notice({ incident: { ...spike, brand: "B".repeat(300) } }));
    expect(Array.from(long.body.message as string)).toHaveLength(130);
  });

  test("opsgenieRequest() sends a warning as P3", () => {
    expect(opsgenieRequest(notice({ incident: { ...spike, severity: "warning" } })).body.priority).toBe("P3");
  });
});
