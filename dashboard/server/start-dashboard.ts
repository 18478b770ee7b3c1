import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Observable, SchedulerLike } from "rxjs";
import type { SourceHealthSnapshot } from "../../collectors/health";
import type { Logger } from "../../collectors/source";
import { API, CSRF_HEADER } from "../protocol";
import type { Incident, LiveEvent } from "../../pipeline/mention";
import type { CorrectionRecord, Store } from "../../pipeline/store/store";
import type { Playbook } from "../../pipeline/playbooks/playbook-schema";
import { createAckRoute } from "./ack-route";
import { createApi } from "./api";
import { createIncidentRoutes } from "./incident-routes";
import { createAuth, type Credentials } from "./auth";
import { createUserRoutes } from "./user-routes";
import { createOverviewRoutes } from "./overview-routes";
import { createMentionRoutes } from "./mention-routes";
import { createReportRoutes } from "./report-routes";
import { ensureUsers } from "../../pipeline/users/bootstrap-admin";
import { UserAdmin } from "../../pipeline/users/user-admin";
import { UserDirectory } from "../../pipeline/users/user-directory";
import type { ScryptParams } from "../../pipeline/users/password-hash";
import { applySecurityHeaders, HttpError, isHttpError, sendError } from "./http";
import { createIngest, DEFAULT_INGEST_LIMIT, type IngestDeps, type IngestHandler } from "./ingest";
import { DEFAULT_LIVE_OPTIONS, LiveHub, type LiveHubOptions } from "./live";
import { isSameOrigin } from "./same-origin";
import { createOpsgenieWebhookRoute } from "./opsgenie-webhook-route";
import { createPagerDutyWebhookRoute } from "./pagerduty-webhook-route";
import { createSlackActionsRoute } from "./slack-actions-route";
import { createStaticHandler } from "./static-files";
import { parseTrustedProxies } from "./client-address";

/** What the dashboard needs from the rest of Earshot; `pipeline/main.ts` wires it. */
export interface DashboardDeps {
  store: Store;
  /** Mentions, minute counts and incident changes as they happen. */
  events$: Observable<LiveEvent>;
  /** Acknowledges an incident for `by`; null when there is no such incident. */
  acknowledge(key: string, by: string): Promise<Incident | null>;
  /**
   * Every source's health (SourceHealth.snapshot from collectors/health.ts),
   * read on each GET /api/sources. Without it the dashboard lists no sources.
   */
  sourceHealth?: () => readonly SourceHealthSnapshot[];
  /**
   * Users to make at start when the store has none by that name (a stored
   * user is never overwritten). Users live in the store (`earshot users`,
   * the Users view); pipeline/users/bootstrap-admin.ts makes the first admin.
   */
  users?: readonly Credentials[];
  /** scrypt cost of password hashes; default OWASP's (pipeline/users/password-hash.ts). Lower only on slow hardware. */
  passwordParams?: ScryptParams;
  /** Signs session cookies; at least 32 characters. */
  sessionSecret: string;
  /** The built web app (dashboard/dist). */
  staticDir: string;
  /** Mark the session cookie Secure: set when browsers reach the dashboard over HTTPS (e.g. behind a proxy). */
  secureCookies?: boolean;
  /** Addresses or ranges of the reverse proxies in front ("10.0.0.5", "10.0.0.0/8"): their X-Forwarded-For names the client. */
  trustedProxies?: readonly string[];
  /**
   * Mentions pushed by other tools to POST /ingest/<source>, signed with
   * `secret` (EARSHOT_INGEST_SECRET, 32+ characters). Without it that route is 404.
   */
  ingest?: IngestDeps;
  /** Called after the team corrected a mention's sentiment or problem types (stored already), so the models learn it. */
  corrected?(correction: CorrectionRecord): void;
  /** The configuration's playbooks (replacing shipped ones by id). */
  playbooks?: readonly Playbook[];
  /** Resolves an open incident for `by` (POST /api/incidents/<key>/resolve); without it that route is 404. */
  resolve?(key: string, by: string): Promise<Incident | null>;
  /** EARSHOT_ACK_LINK_SECRET: the key of one-click acknowledge links (/ack/<key>); without it that route is 404. */
  ackLinkSecret?: string | null;
  /**
   * Acknowledge presses Slack posts to /slack/actions (slack-actions-route.ts):
   * the signing secret (EARSHOT_SLACK_SIGNING_SECRET), how to answer on
   * Slack's response_url, and the answers' language. Without it that route is 404.
   */
  slack?: { signingSecret: string | null; respond(url: string, body: unknown): Promise<void>; lang: "en" | "pl" | "ru" };
  /** EARSHOT_PAGERDUTY_WEBHOOK_SECRET: verifies PagerDuty's v3 webhooks at /pagerduty/webhook (pagerduty-webhook-route.ts); without it that route is 404. */
  pagerDutyWebhookSecret?: string | null;
  /** EARSHOT_OPSGENIE_WEBHOOK_TOKEN: the token Opsgenie's webhook integration sends to /opsgenie/webhook (opsgenie-webhook-route.ts); without it that route is 404. */
  opsgenieWebhookToken?: string | null;
  /** Weekly reports: the zone weeks start in (reports.weekly.timeZone, else alerts.timeZone; the machine's by default) and the configured brands. */
  reports?: { timeZone: string; brands: readonly string[] };
  /** The dashboard's logger (already a child for this component). */
  log: Logger;
  /** Epoch ms. */
  now(): number;
}

export interface DashboardOptions {
  host: string;
  port: number;
  /** Default 12 hours. */
  sessionTtlMs?: number;
  /** Failed logins per client address and window before 429. Default 10 per 5 minutes. */
  loginLimit?: { maxFailures: number; windowMs: number };
  /** Signed ingest requests per source path and window before 429. Default 60 per minute. */
  ingestLimit?: { maxRequests: number; windowMs: number };
  live?: Partial<LiveHubOptions>;
  /** Time for live batching and the heartbeat; virtual time in tests. */
  scheduler?: SchedulerLike;
  /** How often users are re-read from the store (changes made by `earshot users` in another process). Default 5 s. */
  usersRefreshMs?: number;
}

export interface RunningDashboard {
  /** e.g. http://127.0.0.1:8787 */
  url: string;
  close(): Promise<void>;
}

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export async function startDashboard(deps: DashboardDeps, options: DashboardOptions): Promise<RunningDashboard> {
  const log = deps.log;
  await ensureUsers(deps.store, deps.users ?? [], deps.now(), deps.passwordParams);
  const directory = new UserDirectory(deps.store, log);
  const userAdmin = new UserAdmin({ store: deps.store, now: deps.now, ...(deps.passwordParams ? { params: deps.passwordParams } : {}) });
  const auth = await createAuth({
    users: directory,
    ...(deps.passwordParams ? { passwordParams: deps.passwordParams } : {}),
    rehash: (username, password) => userAdmin.rehash(username, password).then(() => directory.refresh()),
    sessionSecret: deps.sessionSecret,
    now: deps.now,
    log,
    secureCookies: deps.secureCookies ?? false,
    trustedProxies: parseTrustedProxies(deps.trustedProxies ?? []),
    sessionTtlMs: options.sessionTtlMs ?? 12 * 60 * 60 * 1000,
    loginLimit: options.loginLimit ?? { maxFailures: 10, windowMs: 5 * 60 * 1000 },
  });
  const incidentRoutes = createIncidentRoutes({
    store: deps.store,
    now: deps.now,
    newId: () => randomUUID(),
    ...(deps.resolve ? { resolve: deps.resolve } : {}),
    ...(deps.playbooks ? { playbooks: deps.playbooks } : {}),
  });
  const api = createApi({
    store: deps.store,
    acknowledge: deps.acknowledge,
    sourceHealth: deps.sourceHealth ?? (() => []),
    now: deps.now,
    newId: () => randomUUID(),
    ...(deps.playbooks ? { playbooks: deps.playbooks } : {}),
    ...(deps.corrected ? { corrected: deps.corrected } : {}),
  });
  const userRoutes = createUserRoutes({ admin: userAdmin, auth });
  const overviewRoutes = createOverviewRoutes({ store: deps.store, now: deps.now });
  const reportRoutes = createReportRoutes({ store: deps.store, now: deps.now, timeZone: deps.reports?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone, ...(deps.reports ? { brands: deps.reports.brands } : {}) });
  const mentionRoutes = createMentionRoutes({
    store: deps.store,
    now: deps.now,
    publish: (m) => hub.publish(m),
    isUser: (name) => directory.get(name) !== undefined,
    ...(deps.corrected ? { corrected: deps.corrected } : {}),
  });
  directory.start(options.usersRefreshMs);
  const ingest: IngestHandler | null = deps.ingest
    ? createIngest(deps.ingest, { limit: options.ingestLimit ?? DEFAULT_INGEST_LIMIT, log, now: deps.now })
    : null;
  const serveStatic = createStaticHandler(deps.staticDir);
  const ackRoute = createAckRoute({ secret: deps.ackLinkSecret ?? null, acknowledge: deps.acknowledge, now: deps.now });
  const slackActions = createSlackActionsRoute({
    signingSecret: deps.slack?.signingSecret ?? null,
    respond: deps.slack?.respond ?? (async () => {}),
    lang: deps.slack?.lang ?? "en",
    acknowledge: deps.acknowledge,
    now: deps.now,
    log,
  });
  const pagerDutyWebhook = createPagerDutyWebhookRoute({
    secret: deps.pagerDutyWebhookSecret ?? null,
    acknowledge: deps.acknowledge,
    ...(deps.resolve ? { resolve: deps.resolve } : {}),
    log,
  });
  const opsgenieWebhook = createOpsgenieWebhookRoute({
    token: deps.opsgenieWebhookToken ?? null,
    acknowledge: deps.acknowledge,
    ...(deps.resolve ? { resolve: deps.resolve } : {}),
    log,
  });
  const hub = new LiveHub(
    { store: deps.store, events$: deps.events$, auth, log, now: deps.now, ...(options.scheduler ? { scheduler: options.scheduler } : {}) },
    { ...DEFAULT_LIVE_OPTIONS, ...options.live },
  );

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? "GET";
    const url = new URL(req.url ?? "/", "http://dashboard.invalid");
    const path = url.pathname;
    // Machine to machine: signed with the ingest secret instead of a session
    // cookie, and a browser's CSRF header means nothing there.
    if (path === "/ingest" || path.startsWith("/ingest/")) {
      if (ingest === null) throw new HttpError(404, "ingest is off: set EARSHOT_INGEST_SECRET to take pushed mentions");
      return ingest(req, res, url);
    }
    // The signed link in a notice is its own credential (see ack-route.ts).
    if (path.startsWith("/ack/")) return ackRoute(req, res, url);
    // Slack's interactions are signed with the app's signing secret (see slack-actions-route.ts).
    if (path === "/slack/actions") return slackActions(req, res);
    // So are PagerDuty's webhooks, and Opsgenie's carry a shared token (see their routes).
    if (path === "/pagerduty/webhook") return pagerDutyWebhook(req, res);
    if (path === "/opsgenie/webhook") return opsgenieWebhook(req, res);
    // A cross-site form can neither set a custom header nor fake Origin, so
    // with the SameSite=Strict cookie this stops cross-site requests.
    if (STATE_CHANGING.has(method)) {
      const token = req.headers[CSRF_HEADER];
      if (typeof token !== "string" || token.length === 0) {
        throw new HttpError(403, `state-changing requests need the ${CSRF_HEADER} header`);
      }
      if (!isSameOrigin(req.headers)) throw new HttpError(403, "cross-origin request refused");
    }
    if (path !== "/api" && !path.startsWith("/api/")) return serveStatic(req, res);

    if (path === API.session) {
      if (method === "POST") return auth.login(req, res);
      if (method === "DELETE") return auth.logout(req, res);
      throw new HttpError(405, "use POST to sign in or DELETE to sign out", { Allow: "POST, DELETE" });
    }
    const session = auth.sessionOf(req);
    if (session === null) throw new HttpError(401, "sign in first");
    if (path === API.me && (method === "GET" || method === "HEAD")) return auth.me(res, session);
    if (!((await api(req, res, url, session)) || (await userRoutes(req, res, url, session)) || (await incidentRoutes(req, res, url, session)) || (await overviewRoutes(req, res, url, session)) || (await mentionRoutes(req, res, url, session)) || (await reportRoutes(req, res, url, session)))) throw new HttpError(404, "no such API route");
  }

  const server = createServer((req, res) => {
    applySecurityHeaders(res);
    route(req, res).catch((err: unknown) => {
      if (res.headersSent) {
        log.warn({ err }, "response failed after it started");
        res.destroy();
        return;
      }
      if (isHttpError(err)) return sendError(res, err.status, err.message, { ...err.headers });
      log.error({ err, method: req.method, path: (req.url ?? "").split("?")[0] }, "request failed");
      sendError(res, 500, "internal error");
    });
  });
  server.on("upgrade", (req, socket, head) => hub.handleUpgrade(req, socket, head));
  server.on("clientError", (err, socket) => {
    log.debug({ err }, "bad HTTP request");
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
    else socket.destroy();
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port, options.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (err) {
    await hub.close(); // its timers would otherwise keep the process alive
    directory.stop();
    throw err;
  }
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  log.info({ url }, "dashboard listening");

  let closing: Promise<void> | null = null;
  return {
    url,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
        server.closeIdleConnections();
        await hub.close();
        directory.stop();
        server.closeAllConnections();
        await stopped;
      })();
      return closing;
    },
  };
}
