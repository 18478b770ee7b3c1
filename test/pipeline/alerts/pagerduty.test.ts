import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createSafeHttp, type SafeHttp } from "../../../collectors/http";
import { isNotifierError, type NotifierError } from "../../../pipeline/errors";
import { pagerDutyEvent, pagerDutyNotifier } from "../../../pipeline/alerts/pagerduty";
import { notice, spike } from "./support/incident";
import { startReceiver, type Receiver } from "./support/receiver";

let pd: Receiver;
let http: SafeHttp;
const KEY = "R0UTINGKEY0123456789abcdef012345";
const ACCEPTED = { status: 202, body: JSON.stringify({ status: "success", message: "Event processed", dedup_key: spike.key }) };

beforeAll(async () => {
  pd = await startReceiver(ACCEPTED);
  http = createSafeHttp({ allowPrivateNetworks: true });
});
afterAll(async () => {
  await http.close();
  await pd.close();
});

async function failure(send: Promise<unknown>): Promise<NotifierError> {
  const err = await send.then(() => null, (e: unknown) => e);
  if (!isNotifierError(err)) throw new Error(`expected a NotifierError, got ${String(err)}`);
  return err;
}
const pager = () => pagerDutyNotifier({ routingKey: KEY, baseUrl: pd.base }, http);

describe("pagerDutyNotifier()", () => {
  test("send() enqueues a trigger with the incident key as dedup_key", async () => {
    pd.reset([]);
    const n = notice();
    expect(await pager().send(n, AbortSignal.timeout(2_000))).toEqual({ httpStatus: 202 });
    const [hit] = pd.received;
    expect([hit!.method, hit!.url, hit!.headers["content-type"]]).toEqual(["POST", "/v2/enqueue", "application/json; charset=utf-8"]);
    expect(hit!.headers.authorization).toBeUndefined(); // the routing key authenticates, in the body
    expect(JSON.parse(hit!.raw)).toEqual({
      routing_key: KEY,
      event_action: "trigger",
      dedup_key: "lumio-20261123T1406",
      payload: {
        summary: `Negative spike: Lumio: ${n.text}`,
        source: "earshot/brand/Lumio",
        severity: "critical",
        timestamp: "2026-11-23T14:06:00.000Z",
        component: "Lumio",
        group: "earshot",
        class: "negative-spike",
        custom_details: {
          text: n.text,
          incident: "lumio-20261123T1406",
          peak_negative_per_minute: 34,
          baseline_per_minute: 1,
          first_mention: "demo:1",
          summary: spike.summary,
          acknowledge_link: n.ackLink,
        },
      },
      client: "Earshot",
      client_url: n.link,
      links: [{ href: n.link, text: "Earshot" }],
    });
  });

  test("send() acknowledges and resolves by the same dedup_key, with no payload", async () => {
    pd.reset([]);
    await pager().send(notice({ event: "acknowledged" }), AbortSignal.timeout(2_000));
    await pager().send(notice({ event: "resolved" }), AbortSignal.timeout(2_000));
    expect(pd.received.map((h) => JSON.parse(h.raw))).toEqual([
      { routing_key: KEY, event_action: "acknowledge", dedup_key: spike.key },
      { routing_key: KEY, event_action: "resolve", dedup_key: spike.key },
    ]);
  });

  test("send() gives up on 400 invalid event and quotes PagerDuty's reason", async () => {
    pd.reset([{ status: 400, body: JSON.stringify({ status: "invalid event", message: "Event object is invalid", errors: ["'payload.summary' is missing"] }) }]);
    const err = await failure(pager().send(notice(), AbortSignal.timeout(2_000)));
    expect([err.retryable, err.httpStatus]).toEqual([false, 400]);
    expect(err.message).toContain("Event object is invalid");
    expect(err.message).not.toContain(KEY);
  });

  test.each([429, 500, 503])("send() retries HTTP %i", async (status) => {
    pd.reset([{ status, body: "" }]);
    const err = await failure(pager().send(notice(), AbortSignal.timeout(2_000)));
    expect([err.retryable, err.httpStatus]).toEqual([true, status]);
  });

  test("target is the public endpoint by default", () => {
    expect(pagerDutyNotifier({ routingKey: KEY }, http).target).toBe("https://events.pagerduty.com/v2/enqueue");
  });
});

describe("pagerDutyEvent()", () => {
  test("pagerDutyEvent() describes a source-down incident by its source, as a warning", () => {
    const e = pagerDutyEvent(KEY, notice({ incident: { ...spike, kind: "source-down", source: "rss-main", brand: "", severity: "warning" } }));
    expect(e.payload).toMatchObject({ source: "earshot/source/rss-main", component: "rss-main", class: "source-down", severity: "warning" });
    expect(e.payload!.summary.startsWith("Source down: rss-main")).toBe(true);
  });

  test("pagerDutyEvent() keeps the summary within 1024 characters", () => {
    expect(Array.from(pagerDutyEvent(KEY, notice({ text: "x".repeat(5_000) })).payload!.summary)).toHaveLength(1024);
  });
});
