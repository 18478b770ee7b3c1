import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { setImmediate as yieldToLoop, setTimeout as sleep } from "node:timers/promises";
import { pathToFileURL } from "node:url";
import { Subject } from "rxjs";
import type { RawMention } from "../../collectors/source";
import { noticeText } from "../../pipeline/alerts/notice-text";
import { loadConfig } from "../../pipeline/config/load";
import { buildFlow } from "../../pipeline/flow";
import { IncidentDesk } from "../../pipeline/incidents/incident-desk";
import type { IncidentChange } from "../../pipeline/incidents/lifecycle";
import { createRootLogger } from "../../pipeline/log";
import type { ScoredMention } from "../../pipeline/mention";
import { detectLanguage } from "../../pipeline/stages/detect-language";
import { compileBrands, matchBrands, type BrandedMention } from "../../pipeline/stages/match-brands";
import { normalize, type NormalizedMention } from "../../pipeline/stages/normalize";
import { scoreSentiment } from "../../pipeline/stages/score-sentiment";
import { openStore } from "../../pipeline/store/open-store";
import { Spill } from "../../pipeline/store/spill";
import type { Store } from "../../pipeline/store/store";
import { dayOfMentions, MINUTE_MS } from "./bench-mentions";
import { fixed, formatSections, int, loopDelay, median, ms, quantile, type Section } from "./figures";

/**
 * Throughput of the whole pipeline into embedded chDB, next to the pure stages
 * alone, so the two figures together say where the time goes; and how long a
 * production-sized chDB insert holds the event loop (the dashboard's
 * WebSockets and the collectors share that loop).
 */
export interface PipelineBenchOptions {
  /** chDB data directory (one per process: chDB binds a single directory). */
  dataDir: string;
  /** Mentions pushed through (default 100,000). */
  count?: number;
  /**
   * Mentions handed in per event-loop turn (default 100, the size of a large
   * poll page). Between chunks the bench yields to the loop, as collectors do
   * between pages, so inserts and timers run while mentions keep coming.
   */
  chunk?: number;
  /** Inserts of one full batch measured on their own (default 5). */
  isolatedInserts?: number;
  progress?: (line: string) => void;
}

const STAGES = ["normalize", "matchBrands", "detectLanguage", "scoreSentiment"] as const;
type StageName = (typeof STAGES)[number];

export async function benchPipeline(options: PipelineBenchOptions): Promise<Section[]> {
  const count = options.count ?? 100_000;
  const chunk = options.chunk ?? 100;
  const progress = options.progress ?? (() => {});
  // Production defaults, straight from the config schema (writer: flushMs 1000,
  // maxRows 5000; the demo brand Lumio; spike rule and lateness as shipped).
  const { config } = loadConfig(null, {});
  const writer = config.pipeline.writer;
  const brands = compileBrands(config.brands);

  // A day of mentions that ended two minutes ago: every publishedAt is in the
  // past, as with any collector, and none is "in the future" for normalize.
  const raws = dayOfMentions(count, Date.now() - 2 * MINUTE_MS);

  progress(`pure stages over ${int(count)} mentions …`);
  const pure = measurePureStages(raws, brands, config.pipeline.maxTextChars);

  progress(`whole pipeline into embedded chDB …`);
  const store = await openStore({ kind: "embedded", dataDir: options.dataDir, database: "bench_pipeline" });
  try {
    const run = await measureFlow(raws, store, {
      dataDir: options.dataDir,
      chunk,
      config,
      brands,
    });
    const storedInChdb = await store.countMentions({});
    progress(`chDB inserts of ${int(writer.maxRows)} rows on their own …`);
    const isolated = await measureIsolatedInserts(store, pure.sample, writer.maxRows, options.isolatedInserts ?? 5);
    return report({ count, chunk, writer, pure, run, isolated, storedInChdb });
  } finally {
    await store.close();
  }
}

// ---------------------------------------------------------------------------
// The pure stages, no RxJS and no store.

interface PureFigures {
  /** Milliseconds spent in each stage over all mentions. */
  stageMs: Record<StageName, number>;
  /** Mentions that reached each stage (all of them, unless a stage quarantines or drops). */
  stageCount: Record<StageName, number>;
  totalMs: number;
  /** Scored mentions kept for the isolated insert measurement. */
  sample: ScoredMention[];
}

/** Passes over the whole set; each stage's figure is the median pass, so one disturbed pass does not decide it. */
const PURE_PASSES = 3;

/**
 * Each stage runs over the whole set in its own loop, timed once per pass:
 * per-call timers would cost as much as the cheaper stages themselves. A
 * warm-up pass first, so the figures are for optimised code, as in a process
 * that has run for a while.
 */
function measurePureStages(raws: readonly RawMention[], brands: ReturnType<typeof compileBrands>, maxTextChars: number): PureFigures {
  runStages(raws.slice(0, Math.min(raws.length, 5_000)), brands, maxTextChars);
  const passes = Array.from({ length: PURE_PASSES }, () => runStages(raws, brands, maxTextChars));
  const stageMs = Object.fromEntries(STAGES.map((stage) => [stage, median(passes.map((p) => p.stageMs[stage]))])) as Record<StageName, number>;
  return {
    stageMs,
    stageCount: passes[0]!.stageCount,
    totalMs: STAGES.reduce((sum, stage) => sum + stageMs[stage], 0),
    sample: passes[0]!.sample,
  };
}

function runStages(raws: readonly RawMention[], brands: ReturnType<typeof compileBrands>, maxTextChars: number): PureFigures {
  const ctx = { now: Date.now(), maxTextChars };
  let t = performance.now();
  const normalized: NormalizedMention[] = [];
  for (const raw of raws) {
    const v = normalize(raw, ctx);
    if (v.kind === "ok") normalized.push(v.value);
  }
  const normalizeMs = performance.now() - t;

  t = performance.now();
  const branded: BrandedMention[] = [];
  for (const m of normalized) {
    const v = matchBrands(m, brands);
    if (v.kind === "ok") branded.push(v.value);
  }
  const matchMs = performance.now() - t;

  t = performance.now();
  const langs = branded.map((m) => detectLanguage(m.text, m.claimedLang).lang);
  const langMs = performance.now() - t;

  t = performance.now();
  const sentiments = branded.map((m, i) => scoreSentiment(m.text, langs[i]!, m.rating));
  const sentimentMs = performance.now() - t;

  const sample: ScoredMention[] = [];
  for (let i = 0; i < Math.min(branded.length, 5_000); i++) sample.push({ ...branded[i]!, lang: langs[i]!, sentiment: sentiments[i]!, problems: [] });
  return {
    stageMs: { normalize: normalizeMs, matchBrands: matchMs, detectLanguage: langMs, scoreSentiment: sentimentMs },
    stageCount: { normalize: raws.length, matchBrands: normalized.length, detectLanguage: branded.length, scoreSentiment: branded.length },
    totalMs: normalizeMs + matchMs + langMs + sentimentMs,
    sample,
  };
}

// ---------------------------------------------------------------------------
// The whole flow, as pipeline/main.ts builds it.

interface InsertTiming {
  rows: number;
  /** Call to returned promise: the synchronous part (row mapping, JSON, hand-over to chDB). */
  syncMs: number;
  /** Call to settled promise. */
  totalMs: number;
}

interface FlowFigures {
  pushMs: number;
  settledMs: number;
  stored: number;
  spilled: number;
  lost: number;
  batches: number;
  inserts: InsertTiming[];
  incidents: Record<string, number>;
  loop: ReturnType<typeof loopDelay>;
}

async function measureFlow(
  raws: readonly RawMention[],
  store: Store,
  { dataDir, chunk, config, brands }: { dataDir: string; chunk: number; config: ReturnType<typeof loadConfig>["config"]; brands: ReturnType<typeof compileBrands> },
): Promise<FlowFigures> {
  const inserts: InsertTiming[] = [];
  const timedStore = timeInserts(store, inserts);
  const incidents: Record<string, number> = {};
  const desk = new IncidentDesk(new Map(), { keepFiringMinutes: config.spikes.keepFiringMinutes });
  // As main.ts does with no notification channel configured: the notice text
  // is made for every change worth telling, and there is nobody to send it to.
  // Delivery has its own figure in alert-latency.bench.ts.
  const notify = async (change: IncidentChange) => {
    incidents[change.kind] = (incidents[change.kind] ?? 0) + 1;
    if (change.quiet || change.kind === "updated" || change.kind === "pending" || change.kind === "dismissed") return;
    noticeText(change.kind, change.incident, config.alerts.lang, config.alerts.timeZone);
  };

  const raw$ = new Subject<RawMention>();
  const flow = buildFlow(raw$, {
    store: timedStore,
    spill: new Spill(join(dataDir, "spill-pipeline")),
    brands,
    desk,
    notify,
    settings: { maxTextChars: config.pipeline.maxTextChars, writer: config.pipeline.writer, spikes: config.spikes },
    // Warnings and errors only: a spill or a refused batch must show in the output.
    log: createRootLogger("warn").child({ component: "bench" }),
  });
  let stored = 0;
  let spilled = 0;
  let lost = 0;
  let batches = 0;
  flow.writes$.subscribe((w) => {
    batches += 1;
    if ("stored" in w) stored += w.stored;
    else if ("spilled" in w) spilled += w.spilled;
    else lost += w.lost;
  });
  // live$ completes when the whole graph has: writes, incidents and notices done.
  const graphDone = new Promise<void>((resolve) => flow.live$.subscribe({ complete: resolve, error: () => resolve() }));
  const subscription = flow.start();

  // Resolution 1 ms: the default 10 ms would hide pauses shorter than that.
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const t0 = performance.now();
  for (let i = 0; i < raws.length; i += chunk) {
    const end = Math.min(raws.length, i + chunk);
    for (let j = i; j < end; j++) raw$.next(raws[j]!);
    await yieldToLoop();
  }
  const pushed = performance.now();
  // Completion flushes the writer's last partial batch at once instead of
  // after flushMs; settled() then waits until every mention is durable.
  raw$.complete();
  await flow.settled();
  const settled = performance.now();
  await graphDone;
  histogram.disable();
  subscription.unsubscribe();
  return {
    pushMs: pushed - t0,
    settledMs: settled - t0,
    stored,
    spilled,
    lost,
    batches,
    inserts,
    incidents,
    loop: loopDelay(histogram),
  };
}

/**
 * The real store with a stopwatch on insertMentions: the inserts still go to
 * chDB, the wrapper only records how long each took and how much of that was
 * synchronous (i.e. held the event loop).
 */
function timeInserts(store: Store, timings: InsertTiming[]): Store {
  const timed: Store = Object.create(store) as Store;
  timed.insertMentions = async (mentions) => {
    const t0 = performance.now();
    const pending = store.insertMentions(mentions);
    const syncMs = performance.now() - t0;
    await pending;
    timings.push({ rows: mentions.length, syncMs, totalMs: performance.now() - t0 });
  };
  return timed;
}

// ---------------------------------------------------------------------------
// One full batch inserted on an otherwise idle loop.

interface IsolatedInsert extends InsertTiming {
  /** Largest event-loop delay seen while the insert ran. */
  loopMaxMs: number;
}

/**
 * A full writer batch (maxRows mentions) inserted with nothing else running,
 * so the event-loop delay seen is the insert's alone. Each round gets new ids,
 * so chDB does the same work as for fresh mentions.
 */
async function measureIsolatedInserts(store: Store, sample: readonly ScoredMention[], rows: number, rounds: number): Promise<IsolatedInsert[]> {
  const base = Array.from({ length: rows }, (_, i) => sample[i % sample.length]!);
  const results: IsolatedInsert[] = [];
  for (let round = 0; round < rounds; round++) {
    const batch = base.map((m, i) => ({ ...m, id: `${m.id}#isolated-${round}-${i}`, sourceId: `${m.sourceId}#${round}-${i}` }));
    const histogram = monitorEventLoopDelay({ resolution: 1 });
    histogram.enable();
    // The histogram records the gap between two of its own ticks, so it must
    // be ticking before the insert starts, or the first (synchronous) pause
    // goes unseen. The wait also lets the previous round's aftermath settle.
    await sleep(50);
    const t0 = performance.now();
    const pending = store.insertMentions(batch);
    const syncMs = performance.now() - t0;
    await pending;
    const totalMs = performance.now() - t0;
    // A few more samples after completion: the resolve callback runs on the loop too.
    await sleep(20);
    histogram.disable();
    results.push({ rows, syncMs, totalMs, loopMaxMs: histogram.max / 1e6 });
  }
  return results;
}

// ---------------------------------------------------------------------------

function report(r: {
  count: number;
  chunk: number;
  writer: { flushMs: number; maxRows: number };
  pure: PureFigures;
  run: FlowFigures;
  isolated: IsolatedInsert[];
  storedInChdb: number;
}): Section[] {
  const { count, pure, run } = r;
  const e2eRate = (count / run.settledMs) * 1000;
  const pureRate = (pure.stageCount.normalize / pure.totalMs) * 1000;
  const e2eUs = (run.settledMs * 1000) / count;
  const pureUs = (pure.totalMs * 1000) / pure.stageCount.normalize;
  const insertTotal = run.inserts.reduce((s, t) => s + t.totalMs, 0);
  const insertSync = run.inserts.reduce((s, t) => s + t.syncMs, 0);
  const fullBatches = run.inserts.filter((t) => t.rows === r.writer.maxRows);

  // The pipeline's JavaScript runs on one thread; chDB does its part of an
  // insert on its own threads, in parallel. So the end-to-end time per mention
  // splits into the pure stages, the insert's synchronous JS part, and the
  // rest of the graph; chDB's own work shows only if the JS side waits for it.
  const perMention = (totalMs: number) => (totalMs * 1000) / count;
  const restUs = e2eUs - pureUs - perMention(insertSync);
  const share = (us: number) => `${fixed((100 * us) / e2eUs, 0)} % of end to end`;

  const throughput: Section = {
    title: `Pipeline throughput: ${int(count)} mentions (pl/ru/en demo texts, 1 in 4 as RSS HTML) → embedded chDB; writer flushMs ${r.writer.flushMs}, maxRows ${r.writer.maxRows}; handed in ${r.chunk} per loop turn`,
    figures: [
      { label: "end to end (all stages + chDB, until settled)", value: `${int(e2eRate)} /s`, note: `${ms(run.settledMs)} in all, ${fixed(e2eUs, 1)} µs per mention` },
      { label: "  of which handing in (stages + RxJS)", value: ms(run.pushMs), note: `${int((count / run.pushMs) * 1000)} /s accepted; inserts overlap this` },
      { label: "  of which waiting for the last inserts", value: ms(run.settledMs - run.pushMs), note: "after the last mention was handed in" },
      { label: "pure stages alone (no RxJS, no store)", value: `${int(pureRate)} /s`, note: `${fixed(pureUs, 1)} µs per mention, median of ${PURE_PASSES} passes` },
      ...STAGES.map((stage) => ({
        label: `  µs per mention: ${stage}`,
        value: fixed((pure.stageMs[stage] * 1000) / Math.max(1, pure.stageCount[stage]), 1),
        note: `${fixed((100 * pure.stageMs[stage]) / pure.totalMs, 0)} % of the pure stages`,
      })),
      { label: "where end-to-end time goes: pure stages", value: `${fixed(pureUs, 1)} µs`, note: share(pureUs) },
      { label: "  chDB insert, synchronous JS part", value: `${fixed(perMention(insertSync), 1)} µs`, note: `${share(perMention(insertSync))}; rows → JSON text, on the event loop` },
      { label: "  the rest", value: `${fixed(restUs, 1)} µs`, note: `${share(restUs)}; RxJS graph, dedupe, minute counts, live bus, GC` },
      { label: "write batches (stored / spilled / lost)", value: `${run.batches}`, note: `${int(run.stored)} / ${int(run.spilled)} / ${int(run.lost)} mentions; chDB counts ${int(r.storedInChdb)} distinct` },
      {
        label: "chDB insert per batch, median / max",
        value: `${ms(median(run.inserts.map((t) => t.totalMs)))} / ${ms(Math.max(...run.inserts.map((t) => t.totalMs)))}`,
        note: `${fullBatches.length} full batches; all inserts together ${ms(insertTotal)}, mostly on chDB's threads, overlapping the stages`,
      },
      {
        label: "event-loop delay during the run, max / p99",
        value: `${ms(run.loop.maxMs)} / ${ms(run.loop.p99Ms)}`,
        note: `mean ${ms(run.loop.meanMs)}; the stages' own work per handed-in chunk included`,
      },
      {
        label: "incident changes (firing/updated/resolved)",
        value: `${run.incidents.firing ?? 0}/${run.incidents.updated ?? 0}/${run.incidents.resolved ?? 0}`,
        note: "the day holds one outage hour",
      },
    ],
  };

  const isolated: Section = {
    title: `One chDB insert of ${int(r.writer.maxRows)} mentions on an idle event loop (${r.isolated.length} rounds)`,
    figures: [
      {
        label: "synchronous part, median / max",
        value: `${ms(median(r.isolated.map((i) => i.syncMs)))} / ${ms(Math.max(...r.isolated.map((i) => i.syncMs)))}`,
        note: "rows → JSONEachRow text and hand-over to chDB; the loop is held",
      },
      {
        label: "event-loop delay while inserting, max",
        value: ms(Math.max(...r.isolated.map((i) => i.loopMaxMs))),
        note: `median of the rounds' maxima ${ms(median(r.isolated.map((i) => i.loopMaxMs)))}`,
      },
      {
        label: "whole insert, median / p90",
        value: `${ms(median(r.isolated.map((i) => i.totalMs)))} / ${ms(quantile(r.isolated.map((i) => i.totalMs), 0.9))}`,
        note: "the rest runs in chDB's threads while the loop is free",
      },
    ],
  };
  return [throughput, isolated];
}

// `npx tsx test/bench/pipeline.bench.ts` runs this part alone.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dataDir = mkdtempSync(join(tmpdir(), "earshot-bench-"));
  try {
    const sections = await benchPipeline({ dataDir, progress: (line) => console.error(line) });
    console.log(formatSections(sections));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
