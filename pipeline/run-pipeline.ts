import { join, resolve } from "node:path";
import { Subject } from "rxjs";
import type { SourceHealthSnapshot } from "../collectors/health";
import { createSafeHttp, type SafeHttp } from "../collectors/http";
import type { RawMention } from "../collectors/source";
import { buildContacts, telegramAckSetups } from "./alerts/channels-config";
import { startTelegramAcks } from "./alerts/telegram-acks";
import type { DispatchSettings } from "./alerts/dispatch";
import { Paging } from "./alerts/paging";
import { webhookNotifier } from "./alerts/webhook";
import type { Config, Secrets } from "./config/schema";
import { buildFlow, type Flow } from "./flow";
import { SentimentCorrections } from "./sentiment-corrections";
import { ProblemCorrections } from "./problem-corrections";
import type { ProblemModel } from "./stages/problems/problem-model";
import { shippedProblemModel } from "./stages/problems/shipped-problem-model";
import { IncidentDesk } from "./incidents/incident-desk";
import { bookFromStored, type IncidentChange } from "./incidents/lifecycle";
import { DEFAULT_SOURCE_DOWN, judgeSource } from "./incidents/source-down";
import type { RootLogger } from "./log";
import { DETECTOR_SAVE_MS, readWarmStart, saveDetectorStates } from "./detector-memory";
import { detectorSettingsKey } from "./spikes/detector-snapshot";
import type { Incident } from "./mention";
import { createLanguageDetector } from "./stages/detect-language";
import { compileBrands } from "./stages/match-brands";
import { compilePriorityRules } from "./stages/rank-priority";
import { compileProblemTerms } from "./stages/problems/compile-problem-terms";
import { DEFAULT_PROBLEM_TERMS } from "./stages/problems/default-problem-terms";
import { startWeeklyReports } from "./reports/weekly-schedule";
import { retrySpill } from "./store/retry-spill";
import { Spill } from "./store/spill";
import type { Store } from "./store/store";
import { openConfiguredStore } from "./store/configured-store";

/** How often mentions kept on disk while the store was down are retried. */
const SPILL_RETRY_MS = 30_000;

export interface RunningPipeline {
  store: Store;
  http: SafeHttp;
  flow: Flow;
  /** Where batches the store did not take are kept until it does (store/spill.ts). */
  spillDir: string;
  /** Hands raw mentions to the pipeline (synchronously through the stages). */
  push(mentions: readonly RawMention[]): void;
  acknowledge(key: string, by: string): Promise<Incident | null>;
  /** Resolves an open incident for `by`; a closed one comes back as stored; null when there is no such incident. */
  resolve(key: string, by: string): Promise<Incident | null>;
  /** Opens or resolves source-down incidents from the collectors' health. */
  watchSources(snapshots: readonly SourceHealthSnapshot[]): void;
  /** Learns the stored sentiment and problem-type corrections again (after the team added one); resolves when new mentions are read with them. */
  learnCorrections(): Promise<void>;
  /** Repeats the notice of each incident nobody has acknowledged once alerts.repeatMinutes have passed. */
  pageOpenIncidents(): Promise<void>;
  /** Ends the input, writes what is in flight, closes the store and the HTTP client. */
  stop(): Promise<void>;
}

/**
 * Store, pipeline and notifiers: everything but the collectors and the
 * dashboard, so `earshot start` and `earshot import` run the very same path.
 */
export async function runPipeline(
  { config, secrets }: { config: Config; secrets: Secrets },
  log: RootLogger,
  now: () => number = Date.now,
): Promise<RunningPipeline> {
  const store = await openConfiguredStore({ config, secrets });
  const spillDir = config.store.kind === "embedded" ? join(resolve(config.store.dataDir), "spill") : resolve("./spill");
  const spill = new Spill(spillDir);
  const http = createSafeHttp({
    allowPrivateNetworks: config.http.allowPrivateNetworks,
    timeoutMs: config.http.timeoutMs,
    maxBytes: config.http.maxBytes,
  });

  const stored = await store.incidents({ limit: 200 });
  // Open incidents come back with their signals, so a signal spiking again after the restart joins the same incident.
  const storedSignals = await store
    .incidentSignals(stored.filter((i) => i.state !== "resolved").map((i) => i.key))
    .catch((err: unknown) => {
      log.warn({ err }, "stored incident signals not read; open incidents continue without them");
      return new Map();
    });
  const desk = new IncidentDesk(bookFromStored(stored, storedSignals), { keepFiringMinutes: config.spikes.keepFiringMinutes });
  const { contacts } = buildContacts(config.alerts.channels, secrets.sourceCredentials, http);
  if (config.alerts.webhook && secrets.webhookSecret)
    contacts.push({ name: "webhook", notifier: webhookNotifier({ url: config.alerts.webhook.url, secret: secrets.webhookSecret }, http), lang: null });
  const dispatchSettings: DispatchSettings = {
    lang: config.alerts.lang,
    timeZone: config.alerts.timeZone,
    dashboardUrl: config.alerts.dashboardUrl,
    ackSecret: secrets.ackLinkSecret,
    ackTtlMs: config.alerts.ackLinkTtlMinutes * 60_000,
  };
  const paging = new Paging(
    contacts,
    new Map(config.brands.map((b) => [b.name, b.escalation])),
    { store, now },
    { ...dispatchSettings, repeatMs: config.alerts.repeatMinutes * 60_000 },
  );
  const notify = (change: IncidentChange) => paging.notify(change);
  const acknowledge = async (key: string, by: string): Promise<Incident | null> => {
    const changes = desk.apply({ type: "acknowledge", key, by, wallNow: now() });
    return changes[0]?.incident ?? (await store.incident(key));
  };
  const pageOpenIncidents = () => paging.tick(desk.openIncidents());

  const corrections = new SentimentCorrections(store);
  await corrections.relearn().catch((err: unknown) => log.warn({ err }, "stored sentiment corrections not learnt; scoring with the shipped model"));
  // The pipeline's own copy of the problem-type model: the team's corrections
  // become its layer (problem-corrections.ts) without touching the shared one.
  const problemModel: ProblemModel = { ...shippedProblemModel(), adapter: null };
  const problemTerms = compileProblemTerms(DEFAULT_PROBLEM_TERMS, config.problems, { model: problemModel });
  const problemCorrections = new ProblemCorrections(store, problemTerms, problemModel);
  await problemCorrections.relearn().catch((err: unknown) => log.warn({ err }, "stored problem-type corrections not learnt; tagging with the shipped model"));

  const settingsKey = detectorSettingsKey(config.spikes, config.spikes.series);
  const warmStart = await readWarmStart(
    store,
    { brands: config.brands.map((b) => b.name), days: config.spikes.warmStartDays, settingsKey, now: now() },
    log,
  );

  const raw$ = new Subject<RawMention>();
  const flow = buildFlow(raw$, {
    store,
    spill,
    brands: compileBrands(config.brands),
    detectLanguage: createLanguageDetector(config.language),
    scoreSentiment: corrections.score,
    sensitivityOf: (brand) => config.brands.find((b) => b.name === brand)?.spikes?.sensitivity,
    problems: problemTerms,
    priority: compilePriorityRules(config.brands, config.priority),
    desk,
    warmStart,
    notify,
    settings: {
      maxTextChars: config.pipeline.maxTextChars,
      writer: config.pipeline.writer,
      spikes: config.spikes,
      series: config.spikes.series,
    },
    log: log.child({ component: "pipeline" }),
  });
  const subscription = flow.start();
  const weeklyReports = startWeeklyReports({
    store,
    weekly: config.reports.weekly,
    brands: config.brands.map((b) => b.name),
    defaultTimeZone: config.alerts.timeZone,
    channels: config.alerts.channels,
    env: secrets.sourceCredentials,
    log: log.child({ component: "reports" }),
    now,
  });
  // Acknowledge buttons pressed inside Telegram (alerts/telegram-acks.ts).
  const telegramAcks = telegramAckSetups(config.alerts.channels, secrets.sourceCredentials, config.alerts.lang).map((setup) =>
    startTelegramAcks(setup, http, acknowledge, log.child({ component: "telegram-acks" })),
  );
  const storeLog = log.child({ component: "store" });
  const spillTimer = setInterval(() => void retrySpill(spill, store, storeLog), SPILL_RETRY_MS);
  void retrySpill(spill, store, storeLog);
  // Saved detectors spare the next start its replay (detector-memory.ts); pointless when it replays nothing.
  const saveDetectors = () => (config.spikes.warmStartDays > 0 ? saveDetectorStates(store, flow.detectorStates(), now(), storeLog) : Promise.resolve());
  const detectorTimer = setInterval(() => void saveDetectors(), DETECTOR_SAVE_MS);

  return {
    store,
    http,
    flow,
    spillDir,
    push(mentions) {
      for (const m of mentions) raw$.next(m);
    },
    pageOpenIncidents,
    learnCorrections: async () => {
      await Promise.all([corrections.relearn(), problemCorrections.relearn()]);
    },
    watchSources(snapshots) {
      for (const snapshot of snapshots) {
        const { down, reason } = judgeSource(snapshot, now(), DEFAULT_SOURCE_DOWN);
        desk.apply({ type: "source", source: snapshot.id, down, reason, wallNow: now() });
      }
    },
    acknowledge,
    async resolve(key, by) {
      const changes = desk.apply({ type: "resolve", key, by, wallNow: now() });
      return changes[0]?.incident ?? (await store.incident(key));
    },
    async stop() {
      await Promise.all(telegramAcks.map((reader) => reader.stop()));
      await weeklyReports.stop();
      clearInterval(spillTimer);
      clearInterval(detectorTimer);
      raw$.complete(); // the writer flushes its last batch on completion
      await flow.settled();
      await saveDetectors();
      subscription.unsubscribe();
      await http.close();
      await store.close();
    },
  };
}
