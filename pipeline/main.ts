import { randomBytes } from "node:crypto";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Subject } from "rxjs";
import type { RawMention } from "../collectors/source";
import { createSafeHttp } from "../collectors/http";
import { createSourceHealth } from "../collectors/health";
import { scheduleSources, startStreaming } from "../collectors/schedule";
import { startDashboard } from "../dashboard/server/start-dashboard";
import { deliverNotice } from "./alerts/deliver";
import type { Notifier } from "./alerts/notifier";
import { noticeText } from "./alerts/notice-text";
import { webhookNotifier } from "./alerts/webhook";
import type { Config, Secrets } from "./config/schema";
import { buildFlow } from "./flow";
import { IncidentDesk } from "./incidents/incident-desk";
import { bookFromStored, type IncidentChange } from "./incidents/lifecycle";
import type { RootLogger } from "./log";
import type { Incident } from "./mention";
import { compileBrands } from "./stages/match-brands";
import { openStore } from "./store/open-store";
import { Spill } from "./store/spill";

/** The built dashboard (vite build writes it here). */
const DASHBOARD_DIST = fileURLToPath(new URL("../dashboard/dist", import.meta.url));
/** How often mentions kept on disk while the store was down are retried. */
const SPILL_RETRY_MS = 30_000;

export interface Running {
  /** Where the dashboard listens, e.g. http://127.0.0.1:8787 */
  url: string;
  /** What to print at start-up: where to go and how to sign in. */
  banner: string;
  /** Acknowledges an open incident (the dashboard's button calls this). */
  acknowledge(key: string, by: string): Promise<Incident | null>;
  /** Stops collecting, writes what is in flight, closes the store. */
  stop(): Promise<void>;
}

/**
 * The composition root: the only module that knows every part. Config in;
 * store, collectors, pipeline, notifiers and dashboard wired together.
 */
export async function startEarshot(
  { config, secrets }: { config: Config; secrets: Secrets },
  { log, staticDir = DASHBOARD_DIST }: { log: RootLogger; staticDir?: string },
): Promise<Running> {
  const now = () => Date.now();
  const store = await openStore(
    config.store.kind === "embedded"
      ? { kind: "embedded", dataDir: resolve(config.store.dataDir), database: config.store.database }
      : { ...config.store, password: secrets.storePassword ?? undefined },
  );
  const spillDir = config.store.kind === "embedded" ? join(resolve(config.store.dataDir), "spill") : resolve("./spill");
  const spill = new Spill(spillDir);
  const http = createSafeHttp({
    allowPrivateNetworks: config.http.allowPrivateNetworks,
    timeoutMs: config.http.timeoutMs,
    maxBytes: config.http.maxBytes,
  });

  const stored = await store.incidents({ limit: 200 });
  const desk = new IncidentDesk(bookFromStored(stored), { keepFiringMinutes: config.spikes.keepFiringMinutes });
  const notifiers: Notifier[] = [];
  if (config.alerts.webhook && secrets.webhookSecret)
    notifiers.push(webhookNotifier({ url: config.alerts.webhook.url, secret: secrets.webhookSecret }, http));
  const notify = async (change: IncidentChange) => {
    if (change.kind === "updated") return;
    const text = noticeText(change.kind, change.incident, config.alerts.lang, config.alerts.timeZone);
    const link = config.alerts.dashboardUrl
      ? `${config.alerts.dashboardUrl.replace(/\/$/, "")}/#/incidents/${encodeURIComponent(change.incident.key)}`
      : null;
    const notice = { event: change.kind, incident: change.incident, text, lang: config.alerts.lang, link };
    await Promise.all(notifiers.map((n) => deliverNotice(n, notice, store)));
  };

  const raw$ = new Subject<RawMention>();
  const flow = buildFlow(raw$, {
    store,
    spill,
    brands: compileBrands(config.brands),
    desk,
    notify,
    settings: { maxTextChars: config.pipeline.maxTextChars, writer: config.pipeline.writer, spikes: config.spikes },
    log: log.child({ component: "pipeline" }),
  });
  const pipeline = flow.start();
  const pushAll = (mentions: readonly RawMention[]) => {
    for (const m of mentions) raw$.next(m);
  };

  const collectorLog = log.child({ component: "collector" });
  const health = createSourceHealth();
  const polling = scheduleSources(config.sources, {
    http,
    health,
    log: collectorLog,
    now: () => new Date(),
    secret: (name) => secrets.sourceCredentials[name],
    cursors: { load: (id) => store.cursor(id), save: (id, cursor) => store.saveCursor(id, cursor) },
    deliver: async (_id, mentions) => {
      pushAll(mentions);
      await flow.settled();
    },
  });
  const streaming = startStreaming(config.sources, pushAll, { log: collectorLog, now: () => new Date(), health });
  const spillTimer = setInterval(() => void spill.drain(store).catch(() => {}), SPILL_RETRY_MS);
  void spill.drain(store).catch((err: unknown) => log.warn({ err }, "spilled mentions not stored yet"));

  const acknowledge = async (key: string, by: string): Promise<Incident | null> => {
    const changes = desk.apply({ type: "acknowledge", key, by, wallNow: now() });
    return changes[0]?.incident ?? (await store.incident(key));
  };

  const users = [{ username: secrets.adminUser, password: secrets.adminPassword ?? randomBytes(12).toString("base64url") }];
  const dashboard = await startDashboard(
    {
      store,
      events$: flow.live$,
      acknowledge,
      users,
      sessionSecret: secrets.sessionSecret ?? randomBytes(32).toString("hex"),
      staticDir,
      secureCookies: config.dashboard.secureCookies,
      log: log.child({ component: "dashboard" }),
      now,
    },
    { host: config.dashboard.host, port: config.dashboard.port },
  );

  const banner = [
    "",
    `Earshot is listening. Dashboard: ${dashboard.url}`,
    `Sign in as "${users[0]!.username}" with ${
      secrets.adminPassword ? "the password in EARSHOT_ADMIN_PASSWORD" : `the one-off password ${users[0]!.password}`
    }`,
    secrets.adminPassword ? "" : "(set EARSHOT_ADMIN_PASSWORD to choose it)",
    `Sources: ${config.sources.map((s) => s.kind).join(", ")}; store: ${
      config.store.kind === "embedded" ? `embedded chDB in ${resolve(config.store.dataDir)}` : config.store.url
    }`,
    "",
  ].join("\n");

  return {
    url: dashboard.url,
    banner,
    acknowledge,
    async stop() {
      streaming.stop();
      await polling.stop();
      clearInterval(spillTimer);
      raw$.complete(); // the writer flushes its last batch on completion
      await flow.settled();
      pipeline.unsubscribe();
      await dashboard.close();
      await http.close();
      await store.close();
    },
  };
}
