import { rmSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Subject, VirtualTimeScheduler } from "rxjs";
import { WebSocket, type RawData } from "ws";
import type { SourceHealthSnapshot } from "../../../collectors/health";
import type { Logger } from "../../../collectors/source";
import { CSRF_HEADER, LIVE_PATH, type ServerMessage } from "../../../dashboard/protocol";
import { startDashboard, type DashboardDeps, type DashboardOptions, type RunningDashboard } from "../../../dashboard/server/start-dashboard";
import type { Incident, LiveEvent, ScoredMention } from "../../../pipeline/mention";
import type { Store } from "../../../pipeline/store/store";
import { openStore } from "../../../pipeline/store/open-store";

export const USER = { username: "ola", password: "zażółć gęślą jaźń 42" };
export const OTHER_USER = { username: "ivan", password: "пароль-длинный-7" };
/** Cheap scrypt for the many sign-ins of these tests: the cost is not what they check (test/pipeline/users does, at the default). */
export const TEST_PASSWORD_PARAMS = { N: 1024, r: 8, p: 1 };
export const SESSION_SECRET = "a-session-secret-of-at-least-thirty-two-chars";
/** Written next to the web app folder: a path traversal would reach it. */
export const OUTSIDE_MARKER = "OUTSIDE-THE-WEB-APP-FOLDER";
export const INDEX_HTML = "<!doctype html><title>Earshot</title><div id=app></div>";
export const APP_JS = "console.log('earshot');";

let seq = 0;
/** Factory timestamps: fixed for the run, recent enough for any retention rule. */
const BASE_TIME = Math.floor(Date.now() / 60_000) * 60_000;

export function makeMention(overrides: Partial<ScoredMention> = {}): ScoredMention {
  seq++;
  return {
    id: `demo:${seq}`,
    source: "demo",
    sourceId: String(seq),
    url: `https://example.com/post/${seq}`,
    authorHandle: "@kasia",
    authorName: "Kasia",
    authorFollowers: 120,
    title: "",
    text: "Lumio znowu nie działa, masakra",
    publishedAt: BASE_TIME,
    collectedAt: BASE_TIME,
    claimedLang: "",
    rating: null,
    brand: "Lumio",
    matchedTerms: ["Lumio"],
    lang: "pl",
    sentiment: { score: -0.8, label: "negative", confidence: 0.9, terms: ["nie działa", "masakra"] },
    problems: [{ type: "outage", terms: ["nie działa"] }],
    ...overrides,
  };
}

export function makeIncident(overrides: Partial<Incident> = {}): Incident {
  return {
    key: "Lumio:spike:1",
    kind: "spike",
    source: null,
    brand: "Lumio",
    state: "firing",
    severity: "critical",
    startedAt: BASE_TIME - 120_000,
    updatedAt: BASE_TIME - 60_000,
    acknowledgedAt: null,
    acknowledgedBy: null,
    resolvedAt: null,
    peakNegative: 42,
    baseline: 3,
    firstMentionId: "demo:1",
    summary: "Negative mentions of Lumio jumped to 42 a minute (baseline 3)",
    ...overrides,
  };
}

export interface LogEntry {
  level: "debug" | "info" | "warn" | "error";
  obj: object;
  msg: string | undefined;
}

/** A Logger that keeps what it is told, so tests can read it. */
export function recordingLogger(): Logger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const at = (level: LogEntry["level"]) => (obj: object, msg?: string) => void entries.push({ level, obj, msg });
  return { entries, debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

/** Virtual time for the hub's flushes and heartbeat: nothing happens until `advance`. */
export function manualScheduler(): VirtualTimeScheduler & { advance(ms: number): void } {
  const scheduler = new VirtualTimeScheduler();
  return Object.assign(scheduler, {
    advance(ms: number) {
      const target = scheduler.frame + ms;
      scheduler.maxFrames = target;
      scheduler.flush();
      scheduler.frame = target;
    },
  });
}

export interface TestDashboard {
  url: string;
  store: Store;
  events: Subject<LiveEvent>;
  log: ReturnType<typeof recordingLogger>;
  /** The dashboard's clock (epoch ms); tests move it. */
  clock: { now: number };
  acknowledgeCalls: { key: string; by: string }[];
  /** Every resolve the dashboard asked for (only with `withResolve`). */
  resolveCalls: { key: string; by: string }[];
  distDir: string;
  close(): Promise<void>;
}

/**
 * chDB binds one data directory per process, so every dashboard in a test file
 * shares one directory and gets a database of its own: tests stay isolated
 * and run against the real embedded ClickHouse.
 */
let chdbDir: string | null = null;
let databases = 0;

async function openTestStore(): Promise<{ store: Store; dispose(): Promise<void> }> {
  if (chdbDir === null) {
    const dir = await mkdtemp(join(tmpdir(), "earshot-dashboard-chdb-"));
    chdbDir = dir;
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  }
  databases++;
  const store = await openStore({ kind: "embedded", dataDir: chdbDir, database: `dashboard_test_${databases}` });
  return { store, dispose: () => store.close() };
}

/** A real dashboard on 127.0.0.1:0 over a temporary built-app folder. */
export async function startTestDashboard(
  {
    secureCookies = false,
    trustedProxies = [],
    sourceHealth,
    ackLinkSecret = null,
    slack,
    pagerDutyWebhookSecret = null,
    opsgenieWebhookToken = null,
    withResolve = false,
    ...options
  }: Partial<DashboardOptions> & {
    pagerDutyWebhookSecret?: string | null;
    opsgenieWebhookToken?: string | null;
    /** Give the dashboard a resolve port (stores the incident resolved). */
    withResolve?: boolean;
    secureCookies?: boolean;
    trustedProxies?: readonly string[];
    sourceHealth?: () => readonly SourceHealthSnapshot[];
    ackLinkSecret?: string | null;
    slack?: DashboardDeps["slack"];
  } = {},
): Promise<TestDashboard> {
  const root = await mkdtemp(join(tmpdir(), "earshot-dashboard-"));
  const distDir = join(root, "dist");
  await mkdir(join(distDir, "assets"), { recursive: true });
  await writeFile(join(root, "package.json"), JSON.stringify({ name: OUTSIDE_MARKER }));
  await writeFile(join(root, "secret.txt"), OUTSIDE_MARKER);
  await writeFile(join(distDir, "index.html"), INDEX_HTML);
  await writeFile(join(distDir, "assets", "app-3f9a1c.js"), APP_JS);
  await writeFile(join(distDir, "assets", "app-3f9a1c.css"), "body{margin:0}");
  await writeFile(join(distDir, ".env"), `TOKEN=${OUTSIDE_MARKER}`);

  const { store, dispose } = await openTestStore();
  const events = new Subject<LiveEvent>();
  const log = recordingLogger();
  const clock = { now: BASE_TIME };
  const acknowledgeCalls: { key: string; by: string }[] = [];
  const acknowledge = async (key: string, by: string): Promise<Incident | null> => {
    acknowledgeCalls.push({ key, by });
    const incident = await store.incident(key);
    if (incident === null) return null;
    const acknowledged: Incident = { ...incident, state: "acknowledged", acknowledgedAt: clock.now, acknowledgedBy: by, updatedAt: clock.now };
    await store.saveIncident(acknowledged);
    return acknowledged;
  };
  const resolveCalls: { key: string; by: string }[] = [];
  const resolve = async (key: string, by: string): Promise<Incident | null> => {
    resolveCalls.push({ key, by });
    const incident = await store.incident(key);
    if (incident === null) return null;
    const resolved: Incident = { ...incident, state: "resolved", resolvedAt: clock.now, updatedAt: clock.now };
    await store.saveIncident(resolved);
    return resolved;
  };
  let running: RunningDashboard;
  try {
    running = await startDashboard(
      {
        store,
        events$: events,
        acknowledge,
        sourceHealth,
        users: [USER, OTHER_USER],
        passwordParams: TEST_PASSWORD_PARAMS,
        sessionSecret: SESSION_SECRET,
        staticDir: distDir,
        secureCookies,
        trustedProxies,
        ackLinkSecret,
        ...(slack ? { slack } : {}),
        pagerDutyWebhookSecret,
        opsgenieWebhookToken,
        ...(withResolve ? { resolve } : {}),
        log,
        now: () => clock.now,
      },
      { host: "127.0.0.1", port: 0, ...options },
    );
  } catch (err) {
    await dispose();
    await rm(root, { recursive: true, force: true });
    throw err;
  }
  return {
    url: running.url,
    store,
    events,
    log,
    clock,
    acknowledgeCalls,
    resolveCalls,
    distDir,
    async close() {
      events.complete();
      await running.close();
      await dispose();
      await rm(root, { recursive: true, force: true });
    },
  };
}

export interface HttpReply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json(): unknown;
}

/** A raw HTTP request: the path goes on the wire exactly as given (no URL normalisation). */
export function send(
  base: string,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<HttpReply> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: hostname, port, path, method: init.method ?? "GET", headers: init.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) as unknown });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(init.body);
  });
}

/**
 * A request (POST unless `method` says otherwise) whose body waits for `release()`. Sent with Expect: 100-continue, it
 * resolves once the server has read the headers and answered 100, so several
 * held requests are all past their header checks before any body arrives.
 * `reply` resolves with the final status.
 */
export function heldRequest(
  base: string,
  path: string,
  headers: Record<string, string>,
  body: string,
  method = "POST",
): Promise<{ release(): void; reply: Promise<number> }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolveHeld, rejectHeld) => {
    let answered: (status: number) => void = () => {};
    const reply = new Promise<number>((resolve) => (answered = resolve));
    const req = httpRequest({
      host: hostname,
      port,
      path,
      method,
      headers: { ...headers, "content-length": String(Buffer.byteLength(body)), expect: "100-continue" },
    });
    req.on("continue", () => resolveHeld({ release: () => req.end(body), reply }));
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => answered(res.statusCode ?? 0));
    });
    req.on("error", rejectHeld);
    req.flushHeaders();
  });
}

/** Headers of a same-origin browser request that changes state. */
export function stateChanging(base: string, extra: Record<string, string> = {}): Record<string, string> {
  return { [CSRF_HEADER]: "1", origin: new URL(base).origin, ...extra };
}

export async function login(base: string, user: { username: string; password: string } = USER): Promise<string> {
  const reply = await send(base, "/api/session", {
    method: "POST",
    headers: stateChanging(base, { "content-type": "application/json" }),
    body: JSON.stringify(user),
  });
  if (reply.status !== 204) throw new Error(`login failed: ${reply.status} ${reply.text}`);
  const setCookie = reply.headers["set-cookie"]?.[0];
  if (!setCookie) throw new Error("login gave no cookie");
  return setCookie.split(";")[0]!;
}

/** A real `ws` client; `next()` resolves with the next frame, in order. */
export interface LiveClient {
  ws: WebSocket;
  next(): Promise<ServerMessage>;
  /** Frames received and not yet taken by `next()`. */
  pending(): ServerMessage[];
  closed: Promise<{ code: number; reason: string }>;
}

export function connectLive(base: string, headers: Record<string, string> = {}, path: string = LIVE_PATH): Promise<LiveClient> {
  const ws = new WebSocket(`${base.replace(/^http/, "ws")}${path}`, { headers });
  const queue: ServerMessage[] = [];
  const waiting: ((m: ServerMessage) => void)[] = [];
  ws.on("message", (data: RawData) => {
    const message = JSON.parse(data.toString()) as ServerMessage;
    const waiter = waiting.shift();
    if (waiter) waiter(message);
    else queue.push(message);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  return new Promise((resolve, reject) => {
    ws.once("open", () =>
      resolve({
        ws,
        closed,
        pending: () => queue.slice(),
        next: () => {
          const queued = queue.shift();
          return queued ? Promise.resolve(queued) : new Promise((r) => waiting.push(r));
        },
      }),
    );
    ws.once("unexpected-response", (req, res) => {
      req.destroy();
      reject(new UpgradeRefused(res.statusCode ?? 0));
    });
    ws.on("error", reject); // after settling, later errors are moot: `closed` reports the end

  });
}

export class UpgradeRefused extends Error {
  override readonly name = "UpgradeRefused";
  constructor(readonly status: number) {
    super(`upgrade refused with HTTP ${status}`);
  }
}
