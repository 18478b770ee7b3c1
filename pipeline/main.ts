import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { createSourceHealth, newestPublishedAt, type SourceHealthSnapshot } from "../collectors/health";
import type { RawMention } from "../collectors/source";
import { scheduleSources, startStreaming } from "../collectors/schedule";
import { startDashboard } from "../dashboard/server/start-dashboard";
import { resolve } from "node:path";
import type { Config, Secrets } from "./config/schema";
import { runPipeline } from "./run-pipeline";
import type { RootLogger } from "./log";
import type { Incident } from "./mention";
import { bootstrapAdmin, type BootstrapResult } from "./users/bootstrap-admin";
import { loadEld } from "./stages/language/eld-guess";

/** The built dashboard (vite build writes it here). */
const DASHBOARD_DIST = fileURLToPath(new URL("../dashboard/dist", import.meta.url));

/** How often source health is judged for source-down incidents. */
const SOURCE_WATCH_MS = 30_000;

export interface Running {
  /** Where the dashboard listens, e.g. http://127.0.0.1:8787 */
  url: string;
  /** What to print at start-up: where to go and how to sign in. */
  banner: string;
  /** Acknowledges an open incident (the dashboard's button calls this). */
  acknowledge(key: string, by: string): Promise<Incident | null>;
  /** Every source's health now (what the dashboard's source panel shows). */
  sourceHealth(): readonly SourceHealthSnapshot[];
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
  // The language database loads on first use (so quick commands skip it); here,
  // before any collector runs, so the first mention does not wait for it.
  loadEld();
  const pipeline = await runPipeline({ config, secrets }, log, now);
  const { store, http, flow } = pipeline;

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
      pipeline.push(mentions);
      await flow.settled();
    },
  });
  const streaming = startStreaming(config.sources, (mentions) => pipeline.push(mentions), {
    log: collectorLog,
    now: () => new Date(),
    health,
  });
  const acknowledge = pipeline.acknowledge;
  // Silence is a signal: every half minute the collectors' health is judged for source-down incidents.
  const sourceWatch = setInterval(() => {
    pipeline.watchSources(health.snapshot());
    void pipeline.pageOpenIncidents().catch((err: unknown) => log.error({ err }, "repeat notices failed"));
  }, SOURCE_WATCH_MS);

  // First start: an admin from EARSHOT_ADMIN_USER / EARSHOT_ADMIN_PASSWORD (or a one-off password) when the store has none.
  const admin = await bootstrapAdmin(store, { username: secrets.adminUser, password: secrets.adminPassword }, now());
  const dashboard = await startDashboard(
    {
      store,
      events$: flow.live$,
      acknowledge,
      resolve: pipeline.resolve,
      sessionSecret: secrets.sessionSecret ?? randomBytes(32).toString("hex"),
      staticDir,
      secureCookies: config.dashboard.secureCookies,
      trustedProxies: config.dashboard.trustedProxies,
      ackLinkSecret: secrets.ackLinkSecret,
      pagerDutyWebhookSecret: secrets.pagerDutyWebhookSecret,
      opsgenieWebhookToken: secrets.opsgenieWebhookToken,
      slack: {
        signingSecret: secrets.slackSigningSecret,
        lang: config.alerts.lang,
        // Slack's response_url, through the guarded client like every outbound call.
        respond: async (url, body) => {
          const res = await pipeline.http.post(url, { body: JSON.stringify(body), headers: { "content-type": "application/json; charset=utf-8" } });
          if (res.status >= 300) throw new Error(`response_url answered HTTP ${res.status}`);
        },
      },
      playbooks: config.playbooks,
      reports: { timeZone: config.reports.weekly.timeZone ?? config.alerts.timeZone, brands: config.brands.map((b) => b.name) },
      corrected: () => {
        void pipeline.learnCorrections().catch((err: unknown) => log.error({ err }, "corrections not learnt"));
      },
      sourceHealth: health.snapshot,
      ...(secrets.ingestSecret
        ? {
            ingest: {
              secret: secrets.ingestSecret,
              // 202 goes out only once the pushed mentions are stored (or kept on disk).
              push: async (mentions: RawMention[], source: string) => {
                pipeline.push(mentions);
                await flow.settled();
                // Pushed sources show in source health too: when each last pushed, and how much.
                const id = `push-${source}`;
                health.register(id, "webhook", "pushed");
                health.succeeded(id, { items: mentions.length, durationMs: null, newestAt: newestPublishedAt(mentions, now()) });
              },
            },
          }
        : {}),
      log: log.child({ component: "dashboard" }),
      now,
    },
    { host: config.dashboard.host, port: config.dashboard.port },
  );

  const banner = [
    "",
    `Earshot is listening. Dashboard: ${dashboard.url}`,
    ...adminBanner(admin, secrets.adminPassword !== null),
    `Sources: ${config.sources.map((s) => s.kind).join(", ")}; store: ${
      config.store.kind === "embedded" ? `embedded chDB in ${resolve(config.store.dataDir)}` : config.store.url
    }`,
    "",
  ].join("\n");

  return {
    url: dashboard.url,
    banner,
    acknowledge,
    sourceHealth: () => health.snapshot(),
    async stop() {
      clearInterval(sourceWatch);
      streaming.stop();
      await polling.stop();
      await dashboard.close();
      await pipeline.stop();
    },
  };
}

/** How to sign in, as start-up says it: the first start names the new admin; later starts point to the stored users. */
function adminBanner(admin: BootstrapResult, fromEnv: boolean): string[] {
  if (!admin.created)
    return [
      `Sign in as "${admin.username}" or another dashboard user (list them with "earshot users list").`,
      "Users are kept in the store: EARSHOT_ADMIN_PASSWORD only makes the first admin and never replaces a changed password.",
    ];
  return [
    `Sign in as "${admin.username}" with ${fromEnv ? "the password in EARSHOT_ADMIN_PASSWORD" : `the one-off password ${admin.generatedPassword}`}`,
    fromEnv ? "" : "(set EARSHOT_ADMIN_PASSWORD to choose it, or change it in the dashboard or with \"earshot users set-password\")",
  ];
}
