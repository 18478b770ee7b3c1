import { rmSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Subject } from "rxjs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { RawMention } from "../../../collectors/source";
import { MAX_ITEMS } from "../../../collectors/webhook/parse";
import type { ApiError } from "../../../dashboard/protocol";
import { MAX_INGEST_BODY_BYTES, type IngestDeps, type IngestReply } from "../../../dashboard/server/ingest";
import { startDashboard, type DashboardOptions } from "../../../dashboard/server/start-dashboard";
import { signWebhook } from "../../../pipeline/alerts/webhook";
import type { LiveEvent } from "../../../pipeline/mention";
import { openStore } from "../../../pipeline/store/open-store";
import { heldRequest, login, recordingLogger, send, SESSION_SECRET, stateChanging, USER, type HttpReply } from "./dashboard-fixture";

const SECRET = "an-ingest-secret-of-at-least-32-characters";
const BASE_TIME = Math.floor(Date.now() / 1000) * 1000;

interface IngestDashboard {
  url: string;
  clock: { now: number };
  /** Every batch push() was given, in order. */
  pushed: RawMention[][];
  /** Set to make push() reject, as a store that is down would. */
  failPush: { error: Error | null };
  log: ReturnType<typeof recordingLogger>;
  close(): Promise<void>;
}

/** chDB binds one data directory per process: every dashboard in this file gets a database of its own in it. */
let chdbDir: string | null = null;
let databases = 0;

async function startIngestDashboard(
  { ingest = true, secret = SECRET, ...options }: Partial<DashboardOptions> & { ingest?: boolean; secret?: string } = {},
): Promise<IngestDashboard> {
  if (chdbDir === null) {
    const dir = await mkdtemp(join(tmpdir(), "earshot-ingest-chdb-"));
    chdbDir = dir;
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  }
  const store = await openStore({ kind: "embedded", dataDir: chdbDir, database: `ingest_test_${++databases}` });
  const root = await mkdtemp(join(tmpdir(), "earshot-ingest-"));
  await mkdir(join(root, "dist"));
  await writeFile(join(root, "dist", "index.html"), "<!doctype html><title>Earshot</title>");
  const events = new Subject<LiveEvent>();
  const log = recordingLogger();
  const clock = { now: BASE_TIME };
  const pushed: RawMention[][] = [];
  const failPush: { error: Error | null } = { error: null };
  const deps: IngestDeps = {
    secret,
    async push(mentions) {
      if (failPush.error) throw failPush.error;
      pushed.push(mentions);
    },
  };
  const cleanup = async () => {
    events.complete();
    await store.close();
    await rm(root, { recursive: true, force: true });
  };
  try {
    const running = await startDashboard(
      {
        store,
        events$: events,
        acknowledge: async () => null,
        users: [USER],
        sessionSecret: SESSION_SECRET,
        staticDir: join(root, "dist"),
        log,
        now: () => clock.now,
        ...(ingest ? { ingest: deps } : {}),
      },
      { host: "127.0.0.1", port: 0, ...options },
    );
    return {
      url: running.url,
      clock,
      pushed,
      failPush,
      log,
      async close() {
        await running.close();
        await cleanup();
      },
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/** The headers a pushing tool sends: timestamp, signature over "<timestamp>.<body>", JSON type. */
function signedHeaders(body: string, { at = BASE_TIME, secret = SECRET }: { at?: number; secret?: string } = {}): Record<string, string> {
  const timestamp = String(Math.floor(at / 1000));
  return {
    "content-type": "application/json",
    "x-earshot-timestamp": timestamp,
    "x-earshot-signature": signWebhook(secret, timestamp, body),
  };
}

function push(base: string, source: string, body: string, headers: Record<string, string> = signedHeaders(body)): Promise<HttpReply> {
  return send(base, `/ingest/${source}`, { method: "POST", headers, body });
}

const errorOf = (reply: HttpReply) => (reply.json() as ApiError).error;

const TICKET = { id: 4812, subject: "Router keeps dropping", description: "Lumio drops Wi-Fi every hour. Nie polecam.", created_at: "2024-05-14T09:12:00+02:00" };

describe("POST /ingest/<source>", () => {
  let d: IngestDashboard;
  beforeAll(async () => {
    d = await startIngestDashboard();
  });
  afterAll(() => d.close());
  const pushedSince = (before: number) => d.pushed.slice(before).flat();

  test("a signed push answers 202 after push() took the mapped mentions", async () => {
    const before = d.pushed.length;
    const reply = await push(d.url, "zendesk", JSON.stringify(TICKET));
    expect(reply.status).toBe(202);
    expect(reply.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(reply.json()).toEqual({ accepted: 1, rejected: 0, problems: [] } satisfies IngestReply);
    const [mention] = pushedSince(before);
    expect(mention).toMatchObject({
      source: "webhook",
      sourceId: "zendesk:4812",
      title: "Router keeps dropping",
      text: "Lumio drops Wi-Fi every hour. Nie polecam.",
      publishedAt: "2024-05-14T07:12:00.000Z",
    });
    expect(d.pushed.length).toBe(before + 1);
    expect(d.log.entries.some((e) => e.msg === "ingest" && JSON.stringify(e.obj).includes("Nie polecam"))).toBe(false);
  });

  test("an array and a { mentions } wrapper are one push each", async () => {
    const before = d.pushed.length;
    const items = [{ id: "a", text: "Lumio one" }, { id: "b", text: "Lumio two" }];
    expect((await push(d.url, "crm", JSON.stringify(items))).json()).toEqual({ accepted: 2, rejected: 0, problems: [] });
    expect((await push(d.url, "crm", JSON.stringify({ mentions: items }))).status).toBe(202);
    expect(d.pushed.slice(before).map((batch) => batch.map((m) => m.sourceId))).toEqual([
      ["crm:a", "crm:b"],
      ["crm:a", "crm:b"],
    ]);
  });

  test("the same ids from two source paths stay apart", async () => {
    const before = d.pushed.length;
    const body = JSON.stringify({ id: 1, text: "Lumio" });
    await push(d.url, "helpdesk", body);
    await push(d.url, "crm_2", body);
    expect(pushedSince(before).map((m) => m.sourceId)).toEqual(["helpdesk:1", "crm_2:1"]);
  });

  test("mixed good and bad records answer 202 with the problems, and only the good ones are pushed", async () => {
    const before = d.pushed.length;
    const body = JSON.stringify([{ id: 1, text: "Lumio good" }, 7, { id: 3, likes: 2 }, { id: 4, text: "Lumio", date: "soon" }, { id: 5, body: "Lumio also good" }]);
    const reply = await push(d.url, "crm", body);
    expect(reply.status).toBe(202);
    expect(reply.json()).toEqual({
      accepted: 2,
      rejected: 3,
      problems: [
        { index: 1, reason: 'a JSON number, expected a mention object, an array of them, or { "mentions": [...] }' },
        { index: 2, reason: "no text: expected a text, content, message, body, html or title field" },
        { index: 3, reason: 'unreadable date "soon"' },
      ],
    });
    expect(pushedSince(before).map((m) => m.sourceId)).toEqual(["crm:1", "crm:5"]);
  });

  test("a record with nothing readable once its markup is removed is refused with the reason, not quarantined behind the sender's back", async () => {
    const before = d.pushed.length;
    const body = JSON.stringify([
      { id: 1, html: "<script>alert('Lumio')</script><style>p{}</style>" },
      { id: 2, html: "<p>Lumio <b>nie działa</b></p><script>x()</script>" },
      { id: 3, text: "Lumio", date: "2026-02-30T25:00:00Z" },
    ]);
    const reply = await push(d.url, "crm", body);
    expect(reply.status).toBe(202);
    expect(reply.json()).toEqual({
      accepted: 1,
      rejected: 2,
      problems: [
        { index: 0, reason: "no readable text: the text, title or html holds only markup, scripts or white space" },
        { index: 2, reason: expect.stringMatching(/date/) },
      ],
    });
    expect(pushedSince(before).map((m) => m.sourceId)).toEqual(["crm:2"]);
    const onlyScript = await push(d.url, "crm", JSON.stringify({ id: 4, html: "<script>alert(1)</script>" }));
    expect(onlyScript.status).toBe(422);
    expect(d.pushed.length).toBe(before + 1);
  });

  test("a body without any usable record answers 422 and pushes nothing", async () => {
    const before = d.pushed.length;
    const reply = await push(d.url, "crm", JSON.stringify([{ id: 1 }, "text"]));
    expect(reply.status).toBe(422);
    expect(reply.json()).toMatchObject({ error: "no mention in the body could be used", accepted: 0, rejected: 2 });
    expect(d.pushed.length).toBe(before);
  });

  test("an empty batch answers 202 with nothing accepted and pushes nothing", async () => {
    const before = d.pushed.length;
    const reply = await push(d.url, "crm", "[]");
    expect(reply.status).toBe(202);
    expect(reply.json()).toEqual({ accepted: 0, rejected: 0, problems: [] });
    expect(d.pushed.length).toBe(before);
  });

  test("HTML and script in a text field are passed on as text", async () => {
    const before = d.pushed.length;
    const text = `<script>alert("x")</script><img src=x onerror=alert(1)> Lumio`;
    const reply = await push(d.url, "crm", JSON.stringify({ id: "h1", text }));
    expect(reply.status).toBe(202);
    const [mention] = pushedSince(before);
    expect(mention!.text).toBe(text);
    expect(mention!.html).toBeUndefined();
    expect(reply.text).not.toContain("<script>");
  });

  test("a signature made with another secret answers 401 and pushes nothing", async () => {
    const before = d.pushed.length;
    const body = JSON.stringify(TICKET);
    const reply = await push(d.url, "zendesk", body, signedHeaders(body, { secret: "another-secret-of-at-least-32-characters" }));
    expect(reply.status).toBe(401);
    expect(errorOf(reply)).toBe("the signature does not match the body");
    expect(reply.headers["www-authenticate"]).toBe('Signature realm="earshot-ingest"');
    expect(d.pushed.length).toBe(before);
  });

  test("a body changed after signing answers 401", async () => {
    const signed = JSON.stringify({ id: 1, text: "Lumio is fine" });
    const changed = JSON.stringify({ id: 1, text: "Lumio is awful" });
    const reply = await push(d.url, "crm", changed, signedHeaders(signed));
    expect(reply.status).toBe(401);
  });

  test("a signature of the right length but wrong digits answers 401", async () => {
    const body = JSON.stringify(TICKET);
    const headers = signedHeaders(body);
    const sig = headers["x-earshot-signature"]!;
    const flipped = sig.slice(0, -1) + (sig.endsWith("0") ? "1" : "0");
    expect((await push(d.url, "crm", body, { ...headers, "x-earshot-signature": flipped })).status).toBe(401);
    expect((await push(d.url, "crm", body, { ...headers, "x-earshot-signature": sig.slice("sha256=".length) })).status).toBe(401);
  });

  test("an upper-case hex signature is the same signature", async () => {
    const body = JSON.stringify({ id: "uc", text: "Lumio" });
    const headers = signedHeaders(body);
    const upper = `sha256=${headers["x-earshot-signature"]!.slice(7).toUpperCase()}`;
    expect((await push(d.url, "crm", body, { ...headers, "x-earshot-signature": upper })).status).toBe(202);
  });

  test("a timestamp more than 5 minutes away either way answers 401; within 5 minutes is taken", async () => {
    const body = JSON.stringify({ id: "t", text: "Lumio" });
    const old = await push(d.url, "crm", body, signedHeaders(body, { at: BASE_TIME - 5 * 60_000 - 1000 }));
    expect(old.status).toBe(401);
    expect(errorOf(old)).toBe("the x-earshot-timestamp header is more than 5 minutes from the server's clock");
    expect((await push(d.url, "crm", body, signedHeaders(body, { at: BASE_TIME + 5 * 60_000 + 1000 }))).status).toBe(401);
    expect((await push(d.url, "crm", body, signedHeaders(body, { at: BASE_TIME - 4 * 60_000 }))).status).toBe(202);
  });

  test("a request without the timestamp or the signature header answers 401", async () => {
    const body = JSON.stringify(TICKET);
    const { "x-earshot-timestamp": _t, ...noTimestamp } = signedHeaders(body);
    const { "x-earshot-signature": _s, ...noSignature } = signedHeaders(body);
    const a = await push(d.url, "crm", body, noTimestamp);
    expect(a.status).toBe(401);
    expect(errorOf(a)).toBe("the x-earshot-timestamp header is missing");
    const b = await push(d.url, "crm", body, noSignature);
    expect(b.status).toBe(401);
    expect(errorOf(b)).toBe("the x-earshot-signature header is missing");
    const c = await push(d.url, "crm", body, { ...signedHeaders(body), "x-earshot-timestamp": "2024-05-14T09:12:00Z" });
    expect(c.status).toBe(401);
    expect(errorOf(c)).toBe("the x-earshot-timestamp header must be epoch seconds");
  });

  test("a session cookie does not stand in for the signature", async () => {
    const before = d.pushed.length;
    const cookie = await login(d.url);
    const body = JSON.stringify(TICKET);
    const reply = await push(d.url, "crm", body, stateChanging(d.url, { cookie, "content-type": "application/json" }));
    expect(reply.status).toBe(401);
    expect(d.pushed.length).toBe(before);
  });

  test("a signed push needs no CSRF header and is taken whatever its Origin", async () => {
    const body = JSON.stringify({ id: "o", text: "Lumio" });
    const reply = await push(d.url, "crm", body, { ...signedHeaders(body), origin: "https://tools.example.net" });
    expect(reply.status).toBe(202);
  });

  test("a body that is not application/json answers 415", async () => {
    const body = JSON.stringify(TICKET);
    const asText = await push(d.url, "crm", body, { ...signedHeaders(body), "content-type": "text/plain" });
    expect(asText.status).toBe(415);
    expect(errorOf(asText)).toBe("the body must be application/json");
    const latin1 = await push(d.url, "crm", body, { ...signedHeaders(body), "content-type": "application/json; charset=iso-8859-1" });
    expect(latin1.status).toBe(415);
    const gzip = await push(d.url, "crm", body, { ...signedHeaders(body), "content-encoding": "gzip" });
    expect(gzip.status).toBe(415);
    const utf8 = await push(d.url, "crm", JSON.stringify({ id: "u8", text: "Lumio" }), {
      ...signedHeaders(JSON.stringify({ id: "u8", text: "Lumio" })),
      "content-type": "application/json; charset=UTF-8",
    });
    expect(utf8.status).toBe(202);
  });

  test("a declared body over 1 MiB answers 413 without being read", async () => {
    const body = "[]";
    const reply = await push(d.url, "crm", body, { ...signedHeaders(body), "content-length": String(MAX_INGEST_BODY_BYTES + 1) });
    expect(reply.status).toBe(413);
    expect(errorOf(reply)).toBe(`the body is larger than ${MAX_INGEST_BODY_BYTES} bytes`);
  });

  test("a chunked body over 1 MiB answers 413", async () => {
    const body = JSON.stringify({ id: "big", text: "L".repeat(MAX_INGEST_BODY_BYTES) });
    const reply = await push(d.url, "crm", body, { ...signedHeaders(body), "transfer-encoding": "chunked" });
    expect(reply.status).toBe(413);
  });

  test(`more than ${MAX_ITEMS} records in one request answer 413 and push nothing`, async () => {
    const before = d.pushed.length;
    const body = JSON.stringify(Array.from({ length: MAX_ITEMS + 1 }, (_, i) => ({ id: i, text: "Lumio" })));
    const reply = await push(d.url, "bulk", body);
    expect(reply.status).toBe(413);
    expect(errorOf(reply)).toBe(`${MAX_ITEMS + 1} mentions in one request; send at most ${MAX_ITEMS} per request`);
    expect(d.pushed.length).toBe(before);
  });

  test("a signed body that is not JSON answers 400 saying where it breaks", async () => {
    const body = '{"id": 1, "text": "Lumio",}';
    const reply = await push(d.url, "crm", body);
    expect(reply.status).toBe(400);
    expect(errorOf(reply)).toMatch(/^the body is not valid JSON \(near character \d+\)$/);
  });

  test("a body that is not UTF-8 answers 400", async () => {
    const bytes = Buffer.from([0x7b, 0x22, 0x74, 0x65, 0x78, 0x74, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]); // {"text":"\xff"}
    const reply = await send(d.url, "/ingest/crm", { method: "POST", headers: signedHeaders(bytes.toString("utf8")), body: bytes });
    expect(reply.status).toBe(400);
    expect(errorOf(reply)).toBe("the body is not valid UTF-8");
  });

  test("a UTF-8 BOM before the JSON is allowed", async () => {
    const body = `\uFEFF${JSON.stringify({ id: "bom", text: "Люмио" })}`;
    const reply = await push(d.url, "crm", body);
    expect(reply.status).toBe(202);
  });

  test("a source name outside the pattern, a bare /ingest and a nested path answer 404", async () => {
    const body = JSON.stringify(TICKET);
    for (const source of ["Zendesk", "-crm", "x".repeat(65), "crm/extra", "crm%2Fx", ""]) {
      expect((await push(d.url, source, body)).status, source).toBe(404);
    }
    expect((await send(d.url, "/ingest", { method: "POST", headers: signedHeaders(body), body })).status).toBe(404);
  });

  test("another method answers 405", async () => {
    const reply = await send(d.url, "/ingest/crm");
    expect(reply.status).toBe(405);
    expect(reply.headers["allow"]).toBe("POST");
  });
});

describe("POST /ingest/<source> limits and failures", () => {
  test("the route answers 404 when ingest is not configured, even to a signed push", async () => {
    const d = await startIngestDashboard({ ingest: false });
    try {
      const body = JSON.stringify(TICKET);
      const reply = await push(d.url, "crm", body);
      expect(reply.status).toBe(404);
      expect(errorOf(reply)).toBe("ingest is off: set EARSHOT_INGEST_SECRET to take pushed mentions");
      expect(d.pushed).toEqual([]);
    } finally {
      await d.close();
    }
  });

  test("startDashboard() refuses an ingest secret under 32 characters", async () => {
    await expect(startIngestDashboard({ secret: "short" })).rejects.toThrow("the ingest secret must have at least 32 characters");
  });

  test("signed requests past the limit of a source path answer 429 with Retry-After; unsigned ones do not count", async () => {
    const d = await startIngestDashboard({ ingestLimit: { maxRequests: 2, windowMs: 60_000 } });
    try {
      const body = JSON.stringify({ id: "r", text: "Lumio" });
      for (let i = 0; i < 5; i++) {
        expect((await push(d.url, "crm", body, { "content-type": "application/json" })).status).toBe(401);
      }
      expect((await push(d.url, "crm", body)).status).toBe(202);
      d.clock.now += 20_000;
      expect((await push(d.url, "crm", body, signedHeaders(body, { at: d.clock.now }))).status).toBe(202);
      const limited = await push(d.url, "crm", body, signedHeaders(body, { at: d.clock.now }));
      expect(limited.status).toBe(429);
      expect(limited.headers["retry-after"]).toBe("40");
      // Another tool has its own allowance.
      expect((await push(d.url, "helpdesk", body, signedHeaders(body, { at: d.clock.now }))).status).toBe(202);
      d.clock.now += 40_000;
      expect((await push(d.url, "crm", body, signedHeaders(body, { at: d.clock.now }))).status).toBe(202);
      expect(d.pushed.length).toBe(4);
    } finally {
      await d.close();
    }
  });

  test("signed requests sent at once count against the limit: those past it answer 429 and push nothing", async () => {
    const d = await startIngestDashboard({ ingestLimit: { maxRequests: 2, windowMs: 60_000 } });
    try {
      const body = JSON.stringify({ id: "r", text: "Lumio" });
      // Every request's headers are checked before any body arrives, so none has been counted yet.
      const held = await Promise.all(Array.from({ length: 5 }, () => heldRequest(d.url, "/ingest/crm", signedHeaders(body), body)));
      for (const h of held) h.release();
      const statuses = (await Promise.all(held.map((h) => h.reply))).sort();
      expect(statuses).toEqual([202, 202, 429, 429, 429]);
      expect(d.pushed.length).toBe(2);
    } finally {
      await d.close();
    }
  });

  test("a push() that fails answers 503 with Retry-After and logs the error without the text", async () => {
    const d = await startIngestDashboard();
    try {
      d.failPush.error = new Error("store is down");
      const body = JSON.stringify({ id: "f", text: "Lumio secret complaint" });
      const reply = await push(d.url, "crm", body);
      expect(reply.status).toBe(503);
      expect(reply.headers["retry-after"]).toBe("30");
      expect(errorOf(reply)).toBe("the mentions could not be stored; send them again later");
      const logged = d.log.entries.find((e) => e.level === "error");
      expect(logged?.msg).toBe("ingest failed: the mentions were not stored");
      expect(JSON.stringify(logged?.obj)).not.toContain("secret complaint");

      d.failPush.error = null;
      expect((await push(d.url, "crm", body)).status).toBe(202);
    } finally {
      await d.close();
    }
  });
});
