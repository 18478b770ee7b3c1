import { mkdtempSync, rmSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Subject } from "rxjs";
import { API, CSRF_HEADER } from "../../dashboard/protocol";
import { startDashboard, type RunningDashboard } from "../../dashboard/server/start-dashboard";
import type { LiveEvent } from "../../pipeline/mention";
import { DEFAULT_SPIKE_SETTINGS } from "../../pipeline/spikes/detect-spike";
import { MinuteJudge } from "../../pipeline/spikes/judge-minutes";
import { DEFAULT_SERIES_LIMITS, SeriesJudge } from "../../pipeline/spikes/judge-series";
import { planWarmStart } from "../../pipeline/spikes/warm-start";
import { detectorSettingsKey, encodeDetectors } from "../../pipeline/spikes/detector-snapshot";
import { readWarmStart, saveDetectorStates } from "../../pipeline/detector-memory";
import { createRootLogger } from "../../pipeline/log";
import { openChdbRunner } from "../../pipeline/store/chdb";
import { bindDatabase } from "../../pipeline/store/migrate";
import { queries } from "../../pipeline/store/queries";
import { createStore, type Store } from "../../pipeline/store/store";
import { fixed, int, median, ms, quantile, type Section } from "./figures";

/**
 * Dashboard API latency with millions of mentions in embedded chDB, over a
 * real HTTP server and a signed-in session: GET /api/overview for each range
 * and GET /api/mentions for the stream's newest page, filtered and searched.
 *
 * The rows are made inside ClickHouse (INSERT … SELECT FROM numbers(N)) into
 * the Store's own mentions table, so its materialized views (the minute and
 * quarter-hour rollups) fill as they would from the writer, at a pace no JS
 * loop could feed: a week of mentions ending now, four brands, four
 * languages, six sources, a quarter negative (each with one problem type),
 * 50,000 authors.
 */
export interface DashboardApiBenchOptions {
  progress(line: string): void;
  /** chDB data directory: chDB binds one per process, so share the run's; default a fresh one. */
  dataDir?: string;
  /** Mentions to load (default 10,000,000). */
  count?: number;
  /** Timed requests per endpoint (default 30; 3 more warm up first). */
  requests?: number;
}

const DATABASE = "bench_dashboard_api";
const WEEK_MS = 7 * 24 * 60 * 60_000;
const LOAD_STEP = 1_000_000;
const USER = { username: "bench", password: "bench-password-1" };

export async function benchDashboardApi(options: DashboardApiBenchOptions): Promise<Section[]> {
  const { progress } = options;
  const count = options.count ?? 10_000_000;
  const requests = options.requests ?? 30;
  const ownDir = options.dataDir === undefined ? mkdtempSync(join(tmpdir(), "earshot-bench-api-")) : null;
  const dataDir = options.dataDir ?? ownDir!;
  const staticDir = mkdtempSync(join(tmpdir(), "earshot-bench-static-"));
  const runner = await openChdbRunner({ dataDir });
  const store = createStore(runner, { database: DATABASE });
  let dashboard: RunningDashboard | null = null;
  try {
    await runner.command(`DROP DATABASE IF EXISTS ${DATABASE}`);
    await store.migrate();
    const now = Date.now();
    const loadStarted = performance.now();
    for (let from = 0; from < count; from += LOAD_STEP) {
      await runner.command(generateMentions(bindDatabase(queries.insertMentionsTable, DATABASE), from, Math.min(count, from + LOAD_STEP), count, now));
      progress(`dashboard API: loaded ${int(Math.min(count, from + LOAD_STEP))} of ${int(count)} mentions`);
    }
    const loadMs = performance.now() - loadStarted;
    const stored = await store.countMentions({});

    dashboard = await startBenchDashboard(store, staticDir);
    const cookie = await signIn(dashboard.url);
    const endpoints: { label: string; path: string }[] = [
      { label: "GET /api/overview range=hour", path: `${API.overview}?brand=Lumio&range=hour` },
      { label: "GET /api/overview range=day", path: `${API.overview}?brand=Lumio&range=day` },
      { label: "GET /api/overview range=week", path: `${API.overview}?brand=Lumio&range=week` },
      { label: "GET /api/mentions newest 50", path: `${API.mentions}?limit=50` },
      { label: "GET /api/mentions brand+lang+sentiment", path: `${API.mentions}?brand=Lumio&lang=pl&sentiment=negative&limit=50` },
      { label: "GET /api/mentions text search", path: `${API.mentions}?brand=Lumio&q=awaria&limit=50` },
    ];
    const figures: Section["figures"] = [
      { label: "mentions loaded", value: int(stored), note: `INSERT … SELECT in ${fixed(loadMs / 1000, 0)} s (${int(count / (loadMs / 1000))} rows/s, rollups included)` },
    ];
    for (const endpoint of endpoints) {
      progress(`dashboard API: ${endpoint.label}`);
      const times: number[] = [];
      let status = 0;
      let bytes = 0;
      for (let i = 0; i < requests + 3; i++) {
        const started = performance.now();
        const reply = await fetch(`${dashboard.url}${endpoint.path}`, { headers: { cookie } });
        const body = await reply.arrayBuffer();
        const elapsed = performance.now() - started;
        status = reply.status;
        bytes = body.byteLength;
        if (i >= 3) times.push(elapsed);
      }
      progress(`dashboard API: ${endpoint.label}: median ${ms(median(times))}, p95 ${ms(quantile(times, 0.95))}`);
      figures.push({
        label: endpoint.label,
        value: `${ms(median(times))} / ${ms(quantile(times, 0.95))}`,
        note: `median / p95 of ${requests}; HTTP ${status}, ${int(bytes)} bytes`,
      });
    }
    figures.push(...(await warmStartCost(store, now, progress)));
    return [{ title: `Dashboard API latency (${int(stored)} mentions in embedded chDB, over HTTP)`, figures }];
  } finally {
    await dashboard?.close();
    await runner.command(`DROP DATABASE IF EXISTS ${DATABASE}`).catch(() => {});
    await store.close();
    rmSync(staticDir, { recursive: true, force: true });
    if (ownDir !== null) rmSync(ownDir, { recursive: true, force: true });
  }
}

/**
 * What a restart spends giving the spike detectors their memory back, as
 * run-pipeline.ts does before the first live mention, both ways:
 *   - without saved states (a first start, or none usable): reading the
 *     stored week's minutes with their per-problem and per-source counts and
 *     replaying them through every brand's detectors (spikes/warm-start.ts);
 *   - from the states saved five minutes before the restart
 *     (detector-memory.ts): reading and checking them, then replaying the
 *     minutes since.
 * And what a save costs while running (every DETECTOR_SAVE_MS).
 */
async function warmStartCost(store: Store, now: number, progress: (line: string) => void): Promise<Section["figures"]> {
  progress("dashboard API: restart, detectors warmed from a week of stored minutes");
  const savedAt = now - 5 * 60_000;
  const started = performance.now();
  const history = await store.minuteHistory({ from: now - 7 * 86_400_000, to: now });
  const read = performance.now();
  const plan = planWarmStart(history, now);
  const judge = new MinuteJudge(DEFAULT_SPIKE_SETTINGS);
  const seriesJudge = new SeriesJudge(DEFAULT_SPIKE_SETTINGS);
  for (const minute of plan.minutes) {
    judge.closed(minute);
    seriesJudge.closed(minute);
  }
  const done = performance.now();

  // The detectors as the running pipeline saved them five minutes before the restart.
  const before = new MinuteJudge(DEFAULT_SPIKE_SETTINGS);
  const beforeSeries = new SeriesJudge(DEFAULT_SPIKE_SETTINGS);
  for (const minute of plan.minutes) {
    if (minute.minute >= savedAt) continue;
    before.closed(minute);
    beforeSeries.closed(minute);
  }
  progress("dashboard API: detector states saved, then a restart from them");
  const settingsKey = detectorSettingsKey(DEFAULT_SPIKE_SETTINGS, DEFAULT_SERIES_LIMITS);
  const states = [...before.states()].map(([brand, brandState]) => ({ brand, throughMinute: brandState.lastAt!, settingsKey, brandState, series: beforeSeries.saved(brand) }));
  const quiet = createRootLogger("silent");
  const saveStarted = performance.now();
  const encoded = states.map((s) => encodeDetectors(s));
  const encodedAt = performance.now();
  await saveDetectorStates(store, states, savedAt, quiet);
  const saved = performance.now();
  const warm = await readWarmStart(store, { brands: [...plan.resumeAt.keys()], days: 7, settingsKey, now }, quiet);
  const restoredRead = performance.now();
  const restoredJudge = new MinuteJudge(DEFAULT_SPIKE_SETTINGS);
  const restoredSeries = new SeriesJudge(DEFAULT_SPIKE_SETTINGS);
  for (const r of warm?.restored ?? []) {
    restoredJudge.restore(r.brand, r.brandState);
    restoredSeries.restore(r.brand, r.series);
  }
  for (const minute of warm?.minutes ?? []) {
    restoredJudge.closed(minute);
    restoredSeries.closed(minute);
  }
  const restoredDone = performance.now();
  const bytes = encoded.reduce((n, e) => n + e.length, 0);
  return [
    {
      label: "restart: spike detectors warmed from the stored week (no saved state)",
      value: ms(done - started),
      note: `read ${ms(read - started)} (${int(history.length)} brand minutes), replay ${ms(done - read)} (${plan.resumeAt.size} brands, ${int(plan.minutes.length)} minutes, ${int(seriesJudge.size())} sub-series)`,
    },
    {
      label: "restart: spike detectors from their saved states",
      value: ms(restoredDone - saved),
      note: `${fixed((done - started) / Math.max(restoredDone - saved, 1e-9), 0)}× faster; read and check ${ms(restoredRead - saved)} (${warm?.restored?.length ?? 0} brands restored), replay ${ms(restoredDone - restoredRead)} (${int(warm?.minutes.length ?? 0)} minutes since the save)`,
    },
    {
      label: "saving the spike detectors (every 5 minutes while running)",
      value: ms(saved - saveStarted),
      note: `encode ${ms(encodedAt - saveStarted)} on the event loop, ${int(bytes / 1024)} KiB JSON for ${states.length} brands with ${int(beforeSeries.size())} sub-series`,
    },
  ];
}

/**
 * Rows [from, to) of `count`, spread evenly over the week before `now`. Every
 * choice derives from a hash of the row number, so a run is reproducible.
 */
function generateMentions(table: string, from: number, to: number, count: number, now: number): string {
  const newest = Math.floor(now) - 1;
  return `
INSERT INTO ${table} (id, source, source_id, url, author_handle, author_name, author_followers, title, text,
    published_at, collected_at, stored_at, claimed_lang, rating, brand, matched_terms, lang,
    sentiment_score, sentiment_label, sentiment_confidence, sentiment_terms, problem_types, problem_terms, version)
SELECT
    concat(src, ':', toString(number)),
    src,
    toString(number),
    concat('https://example.com/', src, '/', toString(number)),
    concat('user', toString(author)),
    concat('User ', toString(author)),
    (author * 7919) % 250000,
    '',
    concat(brand, if(label = 'negative', if(h % 3 = 0, ' awaria znowu, nic nie działa', ' dostawa spóźniona'), ' w porządku'), ' #', toString(number)),
    fromUnixTimestamp64Milli(toInt64(${newest} - intDiv(number * ${WEEK_MS}, ${count}))),
    fromUnixTimestamp64Milli(toInt64(${newest})),
    fromUnixTimestamp64Milli(toInt64(${newest})),
    '',
    NULL,
    brand,
    [brand],
    ['pl', 'ru', 'en', 'uk'][1 + intDiv(h, 256) % 4],
    if(label = 'negative', -0.7, if(label = 'positive', 0.6, 0.0)),
    label,
    0.8,
    [],
    if(label = 'negative', [['outage', 'delivery', 'quality', 'price', 'service', 'scandal', 'security'][1 + intDiv(h, 65536) % 7]], []),
    if(label = 'negative', [['x']], []),
    ${newest}
FROM
(
    SELECT
        number,
        cityHash64(number) AS h,
        ['Lumio', 'Acme', 'Orlen', 'Zabka'][1 + h % 4] AS brand,
        ['rss', 'reddit', 'mastodon', 'vk', 'telegram', 'youtube'][1 + intDiv(h, 16) % 6] AS src,
        ['negative', 'neutral', 'neutral', 'positive'][1 + intDiv(h, 4096) % 4] AS label,
        intDiv(h, 1048576) % 50000 AS author
    FROM numbers(${from}, ${to - from})
)`;
}

async function startBenchDashboard(store: Store, staticDir: string): Promise<RunningDashboard> {
  await mkdir(staticDir, { recursive: true });
  await writeFile(join(staticDir, "index.html"), "<!doctype html><title>Earshot</title>");
  const quiet = { debug() {}, info() {}, warn() {}, error() {} };
  return startDashboard(
    {
      store,
      events$: new Subject<LiveEvent>(),
      acknowledge: async () => null,
      users: [USER],
      sessionSecret: "a-bench-session-secret-of-at-least-32-chars",
      staticDir,
      log: quiet,
      now: () => Date.now(),
    },
    { host: "127.0.0.1", port: 0 },
  );
}

async function signIn(base: string): Promise<string> {
  const reply = await fetch(`${base}${API.session}`, {
    method: "POST",
    headers: { "content-type": "application/json", [CSRF_HEADER]: "1", origin: base },
    body: JSON.stringify(USER),
  });
  const cookie = reply.headers.get("set-cookie")?.split(";")[0];
  if (reply.status !== 204 || cookie === undefined) throw new Error(`bench sign-in failed: HTTP ${reply.status}`);
  return cookie;
}
