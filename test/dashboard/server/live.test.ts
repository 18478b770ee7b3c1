import { once } from "node:events";
import { afterEach, describe, expect, test } from "vitest";
import type { ServerMessage } from "../../../dashboard/protocol";
import { SESSION_ENDED_CLOSE_CODE } from "../../../dashboard/server/live";
import { toIncidentView, toMentionView } from "../../../dashboard/server/views";
import type { LiveEvent, ScoredMention } from "../../../pipeline/mention";
import {
  connectLive,
  login,
  makeIncident,
  makeMention,
  manualScheduler,
  OTHER_USER,
  send,
  startTestDashboard,
  stateChanging,
  UpgradeRefused,
  type LiveClient,
  type TestDashboard,
} from "./dashboard-fixture";

const MINUTE = 60_000;
const XSS = "<img src=x onerror=alert(1)>";

const open: TestDashboard[] = [];
const clients: LiveClient[] = [];
async function dashboard(options: Parameters<typeof startTestDashboard>[0] = {}): Promise<TestDashboard> {
  const d = await startTestDashboard(options);
  open.push(d);
  return d;
}
async function connect(d: TestDashboard, headers: Record<string, string>): Promise<LiveClient> {
  const client = await connectLive(d.url, headers);
  clients.push(client);
  return client;
}
afterEach(async () => {
  for (const c of clients.splice(0)) c.ws.terminate();
  for (const d of open.splice(0)) await d.close();
});

const mentionsOf = (m: ServerMessage) => (m.type === "mentions" ? m.mentions : []);
const push = (d: TestDashboard, mentions: ScoredMention[]) => {
  for (const mention of mentions) d.events.next({ type: "mention", mention } satisfies LiveEvent);
};

describe("live hub", () => {
  test("upgrade without a session cookie is refused with 401", async () => {
    const d = await dashboard();
    const refused = await connectLive(d.url).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UpgradeRefused);
    expect((refused as UpgradeRefused).status).toBe(401);
  });

  test("upgrade with a forged cookie is refused with 401", async () => {
    const d = await dashboard();
    const refused = await connectLive(d.url, { cookie: "earshot-session=eyJ1Ijoib2xhIn0.c2ln" }).catch((e: unknown) => e);
    expect((refused as UpgradeRefused).status).toBe(401);
  });

  test("upgrade from another Origin is refused with 403 even with a session", async () => {
    const d = await dashboard();
    const cookie = await login(d.url);
    const refused = await connectLive(d.url, { cookie, origin: "https://evil.example" }).catch((e: unknown) => e);
    expect((refused as UpgradeRefused).status).toBe(403);
  });

  test("upgrade on a path other than /live is refused with 404", async () => {
    const d = await dashboard();
    const cookie = await login(d.url);
    const refused = await connectLive(d.url, { cookie }, "/elsewhere").catch((e: unknown) => e);
    expect((refused as UpgradeRefused).status).toBe(404);
  });

  test("upgrade past a user's socket allowance is refused with 429; other users still connect", async () => {
    const d = await dashboard({ live: { maxClientsPerUser: 2 } });
    const cookie = await login(d.url);
    const first = await connect(d, { cookie });
    await connect(d, { cookie });
    const refused = await connectLive(d.url, { cookie }).catch((e: unknown) => e);
    expect((refused as UpgradeRefused).status).toBe(429);
    // A fresh sign-in is the same user: it does not get a new allowance.
    const again = await connectLive(d.url, { cookie: await login(d.url) }).catch((e: unknown) => e);
    expect((again as UpgradeRefused).status).toBe(429);
    const other = await connect(d, { cookie: await login(d.url, OTHER_USER) });
    expect((await other.next()).type).toBe("snapshot");
    // A closed socket frees its place once the server has seen it close (just after the client does).
    first.ws.close();
    await first.closed;
    let reopened: LiveClient | null = null;
    for (let i = 0; i < 50 && reopened === null; i++) {
      reopened = await connectLive(d.url, { cookie }).catch(async (e: unknown) => {
        if (!(e instanceof UpgradeRefused) || e.status !== 429) throw e;
        await new Promise((r) => setTimeout(r, 20));
        return null;
      });
    }
    expect(reopened).not.toBeNull();
    clients.push(reopened!);
    expect((await reopened!.next()).type).toBe("snapshot");
  });

  test("a signed-in client gets the snapshot first: brands, newest mentions, incidents and 6 h of timeline", async () => {
    const d = await dashboard();
    const now = d.clock.now;
    await d.store.insertMentions([
      makeMention({ id: "demo:too-old", brand: "Lumio", publishedAt: now - 7 * 60 * MINUTE }),
      makeMention({ id: "demo:1", brand: "Lumio", publishedAt: now - 2 * MINUTE }),
      makeMention({ id: "demo:2", brand: "Acme", publishedAt: now - MINUTE, text: XSS }),
    ]);
    await d.store.saveIncident(makeIncident({ key: "Lumio:spike:1", startedAt: now - 3 * MINUTE }));
    const cookie = await login(d.url);
    const client = await connect(d, { cookie, origin: new URL(d.url).origin });
    const first = await client.next();
    expect(first.type).toBe("snapshot");
    if (first.type !== "snapshot") return;
    expect(first.serverTime).toBe(now);
    expect(first.brands).toEqual(["Acme", "Lumio"]);
    expect(first.mentions.map((m) => m.id)).toEqual(["demo:2", "demo:1", "demo:too-old"]);
    expect(first.mentions[0]).toEqual(toMentionView((await d.store.recentMentions({ brand: "Acme", limit: 1 }))[0]!));
    expect(first.mentions[0]!.text).toBe(XSS);
    expect(first.incidents).toEqual([toIncidentView((await d.store.incident("Lumio:spike:1"))!)]);
    expect(first.timeline).toEqual([
      { brand: "Lumio", minute: now - 2 * MINUTE, total: 1, negative: 1 },
      { brand: "Acme", minute: now - MINUTE, total: 1, negative: 1 },
    ]);
  });

  test("mentions pushed through events$ arrive batched in one frame after the snapshot", async () => {
    const d = await dashboard();
    const cookie = await login(d.url);
    const client = await connect(d, { cookie });
    expect((await client.next()).type).toBe("snapshot");

    const batch = [
      makeMention({ id: "live:1", text: XSS }),
      makeMention({ id: "live:2", brand: "Acme" }),
      makeMention({ id: "live:3", text: "Люмио не работает" }),
      makeMention({ id: "live:4" }),
      makeMention({ id: "live:5" }),
    ];
    push(d, batch);
    const frame = await client.next();
    expect(frame.type).toBe("mentions");
    expect(mentionsOf(frame)).toEqual(batch.map(toMentionView));
    expect(mentionsOf(frame)[0]!.text).toBe(XSS);
    expect(client.pending()).toEqual([]);
  });

  test("mentions, counts and an incident of one flush go out as one frame each, in that order", async () => {
    const scheduler = manualScheduler();
    const d = await dashboard({ scheduler });
    const client = await connect(d, { cookie: await login(d.url) });
    await client.next();

    const incident = makeIncident({ key: "Lumio:spike:9" });
    d.events.next({ type: "mention", mention: makeMention({ id: "m1" }) });
    d.events.next({ type: "count", count: { brand: "Lumio", minute: d.clock.now, total: 1, negative: 1 } });
    d.events.next({ type: "mention", mention: makeMention({ id: "m2" }) });
    d.events.next({ type: "count", count: { brand: "Lumio", minute: d.clock.now, total: 2, negative: 2 } });
    d.events.next({ type: "incident", incident });
    scheduler.advance(250);

    expect(mentionsOf(await client.next()).map((m) => m.id)).toEqual(["m1", "m2"]);
    expect(await client.next()).toEqual({ type: "counts", counts: [{ brand: "Lumio", minute: d.clock.now, total: 2, negative: 2 }] });
    expect(await client.next()).toEqual({ type: "incident", incident: toIncidentView(incident) });
  });

  test("a big flush is split into frames of at most maxMentionsPerFrame mentions", async () => {
    const scheduler = manualScheduler();
    const d = await dashboard({ scheduler, live: { maxMentionsPerFrame: 50 } });
    const client = await connect(d, { cookie: await login(d.url) });
    await client.next();

    const batch = Array.from({ length: 120 }, (_, i) => makeMention({ id: `bulk:${i}` }));
    push(d, batch);
    scheduler.advance(250);
    const sizes = [mentionsOf(await client.next()).length, mentionsOf(await client.next()).length, mentionsOf(await client.next()).length];
    expect(sizes).toEqual([50, 50, 20]);
  });

  test("nothing is sent before the flush window ends", async () => {
    const scheduler = manualScheduler();
    const d = await dashboard({ scheduler });
    const client = await connect(d, { cookie: await login(d.url) });
    await client.next();

    push(d, [makeMention({ id: "early" })]);
    scheduler.advance(249);
    push(d, [makeMention({ id: "late" })]);
    scheduler.advance(1);
    const frame = await client.next();
    expect(mentionsOf(frame).map((m) => m.id)).toEqual(["early", "late"]);
  });

  test("every client gets the same frames", async () => {
    const d = await dashboard();
    const a = await connect(d, { cookie: await login(d.url) });
    const b = await connect(d, { cookie: await login(d.url) });
    await a.next();
    await b.next();
    push(d, [makeMention({ id: "x1" }), makeMention({ id: "x2" })]);
    const [fa, fb] = await Promise.all([a.next(), b.next()]);
    expect(fa).toEqual(fb);
    expect(mentionsOf(fa).map((m) => m.id)).toEqual(["x1", "x2"]);
  });

  test("a client that connects later finds mentions sent live but not yet stored in its snapshot", async () => {
    const scheduler = manualScheduler();
    const d = await dashboard({ scheduler });
    push(d, [makeMention({ id: "unstored:1", brand: "Newco", publishedAt: d.clock.now })]);
    scheduler.advance(250);
    const client = await connect(d, { cookie: await login(d.url) });
    const snapshot = await client.next();
    expect(snapshot.type === "snapshot" && snapshot.mentions.map((m) => m.id)).toEqual(["unstored:1"]);
    expect(snapshot.type === "snapshot" && snapshot.brands).toEqual(["Newco"]);
  });

  test("the heartbeat drops a client that stops answering pings and keeps one that answers", async () => {
    const scheduler = manualScheduler();
    const d = await dashboard({ scheduler });
    const cookie = await login(d.url);
    const dead = await connect(d, { cookie });
    const alive = await connect(d, { cookie });
    await dead.next();
    await alive.next();
    dead.ws.pause(); // reads nothing, so answers no ping

    const pinged = once(alive.ws, "ping");
    scheduler.advance(30_000);
    await pinged;
    // The client's pong went out before its own ping; once the server answers
    // ours, it has read that pong.
    alive.ws.ping();
    await once(alive.ws, "pong");

    scheduler.advance(30_000);
    dead.ws.resume();
    expect((await dead.closed).code).toBe(1006);
    expect(alive.ws.readyState).toBe(alive.ws.OPEN);
    push(d, [makeMention({ id: "still-live" })]);
    scheduler.advance(250);
    expect(mentionsOf(await alive.next()).map((m) => m.id)).toEqual(["still-live"]);
  });

  test("the heartbeat closes the socket of a session that signed out", async () => {
    const scheduler = manualScheduler();
    const d = await dashboard({ scheduler });
    const cookie = await login(d.url);
    const client = await connect(d, { cookie });
    await client.next();
    expect((await send(d.url, "/api/session", { method: "DELETE", headers: stateChanging(d.url, { cookie }) })).status).toBe(204);
    scheduler.advance(30_000);
    expect(await client.closed).toEqual({ code: SESSION_ENDED_CLOSE_CODE, reason: "session ended" });
  });

  test("a client whose unsent bytes pass the cap is dropped", async () => {
    const scheduler = manualScheduler();
    const d = await dashboard({ scheduler, live: { maxBufferedBytes: 64 * 1024, maxMentionsPerFrame: 10 } });
    const client = await connect(d, { cookie: await login(d.url) });
    await client.next();
    client.ws.pause();

    // 40 MB in one flush: more than the kernel's socket buffers can take.
    const text = "x".repeat(10_000);
    push(d, Array.from({ length: 4_000 }, (_, i) => makeMention({ id: `flood:${i}`, text })));
    scheduler.advance(250);
    expect(d.log.entries.filter((e) => e.msg === "live client too slow; dropped")).toHaveLength(1);

    client.ws.resume();
    expect((await client.closed).code).toBe(1006);
  });

  test("a malformed event is logged and later events still arrive", async () => {
    const scheduler = manualScheduler();
    const d = await dashboard({ scheduler });
    const client = await connect(d, { cookie: await login(d.url) });
    await client.next();

    const broken = { ...makeMention({ id: "broken" }), sentiment: undefined } as unknown as ScoredMention;
    push(d, [broken]);
    scheduler.advance(250);
    expect(d.log.entries.some((e) => e.level === "error" && e.msg === "live stream failed; resubscribing")).toBe(true);

    scheduler.advance(1_000);
    push(d, [makeMention({ id: "after" })]);
    scheduler.advance(250);
    expect(mentionsOf(await client.next()).map((m) => m.id)).toEqual(["after"]);
  });

  test("close() ends every live socket with 1001", async () => {
    const d = await startTestDashboard();
    const client = await connectLive(d.url, { cookie: await login(d.url) });
    await client.next();
    await d.close();
    expect(await client.closed).toEqual({ code: 1001, reason: "server shutting down" });
  });
});
