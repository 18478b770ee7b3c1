import {
  BehaviorSubject,
  Observable,
  firstValueFrom,
  Subject,
  asyncScheduler,
  bufferTime,
  concatMap,
  filter,
  finalize,
  from,
  ignoreElements,
  map,
  merge,
  mergeMap,
  share,
  tap,
  type SchedulerLike,
  type Subscription,
} from "rxjs";
import type { RawMention } from "../collectors/source";
import type { Logger } from "../collectors/source";
import { dedupe, RecentIds } from "./dedupe";
import type { IncidentDesk } from "./incidents/incident-desk";
import type { IncidentChange } from "./incidents/lifecycle";
import type { LiveEvent, ScoredMention } from "./mention";
import { MinuteJudge, type JudgedMinute } from "./spikes/judge-minutes";
import { detectorSettingsKey, type BrandDetectors } from "./spikes/detector-snapshot";
import { minuteCounts } from "./spikes/minute-counts";
import type { WarmStart } from "./spikes/warm-start";
import { DEFAULT_SERIES_LIMITS, SeriesJudge, type SeriesLimits } from "./spikes/judge-series";
import type { SpikeSettings } from "./spikes/detect-spike";
import { detectLanguage as detectAnyLanguage, type DetectLanguage } from "./stages/detect-language";
import { readableText } from "./stages/language/cyrillize";
import { matchBrands, type BrandMatcher } from "./stages/match-brands";
import { normalize } from "./stages/normalize";
import { compileProblemTerms, type CompiledProblemTerms } from "./stages/problems/compile-problem-terms";
import { DEFAULT_PROBLEM_TERMS } from "./stages/problems/default-problem-terms";
import { scoreSentiment } from "./stages/score-sentiment";
import type { SentimentScorer } from "./stages/sentiment/create-scorer";
import { readsAsPraise, tagProblems } from "./stages/tag-problems";
import { DEFAULT_PRIORITY_RULES, rankPriority, type PriorityRules } from "./stages/rank-priority";
import type { Spill } from "./store/spill";
import type { IncidentEventRecord, QuarantineRecord, Store } from "./store/store";
import { writeMentions, type WriteResult, type WriterOptions } from "./store/writer";
import type { Quarantined, Verdict } from "./verdict";

export interface FlowDeps {
  store: Store;
  spill: Spill;
  brands: BrandMatcher;
  /** The problem-type term lists with the configuration's changes; the shipped lists when absent. */
  problems?: CompiledProblemTerms;
  /** The sentiment scorer with the installation's corrections learnt; the shipped one when absent. */
  scoreSentiment?: SentimentScorer;
  /** Reach thresholds and each brand's key authors (compilePriorityRules); no key authors when absent. */
  priority?: PriorityRules;
  /** A brand's own spike sensitivity, when its configuration sets one. */
  sensitivityOf?: (brand: string) => number | undefined;
  /** Restricted to the configured languages; every language Earshot knows when absent. */
  detectLanguage?: DetectLanguage;
  desk: IncidentDesk;
  /** The stored minutes the detectors replay before the live ones (spikes/warm-start.ts); a cold start when absent. */
  warmStart?: WarmStart;
  /** Sends the notices of one incident change (never throws; deliveries are recorded by it). */
  notify(change: IncidentChange): Promise<void>;
  settings: {
    maxTextChars: number;
    writer: WriterOptions;
    spikes: SpikeSettings & { latenessMs: number };
    /** Bounds of the per-problem and per-source series (spikes/judge-series.ts); defaults when absent. */
    series?: SeriesLimits;
  };
  log: Logger;
  scheduler?: SchedulerLike;
}

export interface Flow {
  /** What the dashboard shows as it happens (hot: subscribe before start). */
  live$: Observable<LiveEvent>;
  /** Outcome of each write batch (hot), for logs, tests and the benchmark. */
  writes$: Observable<WriteResult>;
  /** Subscribes the whole graph once; unsubscribe (or complete the sources) to stop. */
  start(): Subscription;
  /**
   * Resolves when every mention handed in so far is durable: stored, or kept
   * in the spill directory. Collectors advance their cursors only after it.
   */
  settled(): Promise<void>;
  /** Every brand's spike detectors as of their last closed minute, to be saved for the next start (detector-snapshot.ts). */
  detectorStates(): BrandDetectors[];
}

/** Incident notices that go out at most this many at a time. */
const NOTIFY_CONCURRENCY = 4;

/**
 * The whole pipeline, as in DESIGN.md §2:
 *
 *   raw → normalize → match brands → dedupe → detect language → score sentiment
 *       → tag problem types → rank priority ────────────────────────────────────┬─▶ store writer
 *                                                                               ├─▶ live bus
 *                                                                               └─▶ counts per brand/minute
 *                                                                                     → spike rule → incidents
 *                                                                                     → store + live bus + notifiers
 *
 * Stages are pure and answer with verdicts; what they cannot handle is
 * quarantined (stored with its reason), never thrown away. Time comes from the
 * scheduler, so tests run in virtual time. Side effects sit at the ends.
 */
export function buildFlow(raw$: Observable<RawMention>, deps: FlowDeps): Flow {
  const scheduler = deps.scheduler ?? asyncScheduler;
  const { settings, log, desk } = deps;
  const detectLanguage = deps.detectLanguage ?? detectAnyLanguage;
  const score = deps.scoreSentiment ?? scoreSentiment;
  const problemTerms = deps.problems ?? compileProblemTerms(DEFAULT_PROBLEM_TERMS);
  const priorityRules = deps.priority ?? DEFAULT_PRIORITY_RULES;
  const live = new Subject<LiveEvent>();
  const writes = new Subject<WriteResult>();
  const quarantined = new Subject<Quarantined>();
  const keepOk = <T>(verdict: Verdict<T>): verdict is Extract<Verdict<T>, { kind: "ok" }> => {
    if (verdict.kind === "quarantine") quarantined.next(verdict);
    return verdict.kind === "ok";
  };

  const scored$: Observable<ScoredMention> = raw$.pipe(
    map((raw) => {
      const verdict = normalize(raw, { now: scheduler.now(), maxTextChars: settings.maxTextChars });
      // The configuration promises a clipped text is recorded: its id, never its text.
      if (verdict.kind === "ok" && verdict.warnings.some((w) => w.type === "text-clipped"))
        log.info({ mention: verdict.value.id, maxTextChars: settings.maxTextChars }, "mention text clipped to pipeline.maxTextChars");
      return verdict;
    }),
    filter(keepOk),
    map((ok) => matchBrands(ok.value, deps.brands)),
    filter(keepOk),
    map((ok) => ok.value),
    dedupe(new RecentIds(100_000)),
    filter((mention) => {
      // The mention object is this pipeline's own fresh copy: filling it in
      // place avoids two object spreads per mention on the hot path.
      const scored = mention as ScoredMention;
      try {
        scored.lang = detectLanguage(scored.text, scored.claimedLang).lang;
        // Russian typed in Latin letters is read back into Cyrillic for the readers written for it.
        const readable = readableText(scored.text, scored.lang);
        scored.sentiment = score(readable, scored.lang, scored.rating);
        scored.problems = tagProblems(readable, scored.lang, problemTerms, { praise: readsAsPraise(scored.sentiment) });
        scored.priority = rankPriority(scored, priorityRules);
        return true;
      } catch (error) {
        // A net, not the plan (the stages are pure and fuzzed): an error thrown
        // here would end this stream, and with it every later mention.
        quarantined.next({ kind: "quarantine", stage: "enrich", reason: "internal-error", input: mention, error });
        return false;
      }
    }),
    map((mention) => mention as ScoredMention),
    share(),
  );

  // Stages are synchronous, so a mention handed in has reached the writer's
  // buffer (or been dropped) by the time `next` returns: counting what enters
  // the writer and what it has finished with tells when a hand-over is durable.
  let handedToWriter = 0;
  let finishedByWriter = 0;
  const finished = new BehaviorSubject(0);
  const stored$ = scored$.pipe(
    tap(() => handedToWriter++),
    writeMentions(deps.store, deps.spill, settings.writer, scheduler),
    tap((result) => {
      finishedByWriter += "stored" in result ? result.stored : "spilled" in result ? result.spilled : result.lost;
      if ("lost" in result) log.error({ err: result.spillError, count: result.lost }, "mentions lost: store and disk both refused");
      else if ("spilled" in result)
        log.warn(
          { err: result.error, count: result.spilled, attempts: result.attempts, spillDir: deps.spill.dir },
          "store did not take the batch: mentions kept on disk and written when it is back",
        );
      writes.next(result);
      finished.next(finishedByWriter);
    }),
  );

  const minutes$ = scored$.pipe(minuteCounts(settings.spikes.latenessMs, 1_000, scheduler, true, deps.warmStart?.resumeAt), share());
  const judge = new MinuteJudge(settings.spikes, deps.sensitivityOf);
  // The brand's sub-series (per problem type and per source) are judged right
  // after the brand's own series, early on a running minute as it is: their
  // spikes join the brand's incident as signals (grouping), or open it.
  const seriesJudge = new SeriesJudge(settings.spikes, deps.sensitivityOf, settings.series);
  // What the saved detectors were learnt under (detector-snapshot.ts), the same for every save.
  const settingsKey = detectorSettingsKey(settings.spikes, settings.series ?? DEFAULT_SERIES_LIMITS);
  // Their memory: the saved states, then the stored minutes since (or the
  // whole stored history); the judgements of the past are not news.
  for (const saved of deps.warmStart?.restored ?? []) {
    judge.restore(saved.brand, saved.brandState);
    seriesJudge.restore(saved.brand, saved.series);
  }
  for (const minute of deps.warmStart?.minutes ?? []) {
    judge.closed(minute);
    seriesJudge.closed(minute);
  }
  const judged$ = minutes$.pipe(
    tap((s) => {
      const judged: JudgedMinute | null = s.type === "closed" ? judge.closed(s.minute) : judge.running(s.count);
      if (judged !== null) desk.apply({ type: "minute", closed: judged.closed, judgement: judged.judgement, wallNow: scheduler.now() });
      const signals = s.type === "closed" ? seriesJudge.closed(s.minute) : seriesJudge.running(s.count, s.parts);
      const minute = s.type === "closed" ? s.minute : s.count;
      if (s.type === "closed" || signals.length > 0)
        desk.apply({
          type: "signals",
          brand: minute.brand,
          minute: minute.minute,
          signals,
          wallNow: scheduler.now(),
          firstNegativeId: minute.firstNegativeId,
          early: s.type === "running",
        });
    }),
    finalize(() => desk.complete()),
  );

  const incidents$ = desk.changes$.pipe(
    concatMap((change) =>
      from(
        Promise.all([
          deps.store.saveIncident(change.incident),
          deps.store.saveIncidentSignals(change.incident.key, change.incident.signals ?? []),
          ...incidentEvents(change, scheduler.now()).map((e) => deps.store.recordIncidentEvent(e)),
        ]).then(
          () => change,
          (err: unknown) => {
            log.error({ err, incident: change.incident.key }, "incident not saved");
            return change;
          },
        ),
      ),
    ),
    tap((change) => {
      if (change.kind !== "updated") log.info({ incident: change.incident.key, brand: change.incident.brand }, `incident ${change.kind}`);
      for (const s of change.joined ?? []) {
        log.info({ incident: change.incident.key, signal: `${s.kind}:${s.name}`, inhibited: s.inhibited }, "incident signal joined");
      }
      live.next({ type: "incident", incident: change.incident });
    }),
    mergeMap((change) => from(deps.notify(change)), NOTIFY_CONCURRENCY),
  );

  const quarantine$ = quarantined.pipe(
    bufferTime(1_000, null, 1_000, scheduler),
    filter((batch) => batch.length > 0),
    map((batch) => batch.map((q) => toQuarantineRecord(q, scheduler.now()))),
    concatMap((records) =>
      from(
        // Quarantined items are kept like mentions: on disk when the store is down, stored by the same drain.
        deps.store.quarantine(records).catch(async (err: unknown) => {
          try {
            await deps.spill.putQuarantine(records, err);
            log.warn({ err, count: records.length, spillDir: deps.spill.dir }, "store did not take quarantined items: kept on disk and written when it is back");
          } catch (spillErr) {
            log.error({ err: spillErr, storeError: err, count: records.length }, "quarantined items lost: store and disk both refused");
          }
        }),
      ),
    ),
  );

  const graph$ = merge(
    scored$.pipe(
      tap({
        next: (mention) => live.next({ type: "mention", mention }),
        // Sources ended: the side streams fed from inside the stages end too.
        complete: () => quarantined.complete(),
      }),
    ),
    minutes$.pipe(tap((s) => s.type === "running" && live.next({ type: "count", count: s.count }))),
    stored$,
    judged$,
    incidents$,
    quarantine$,
  ).pipe(ignoreElements());

  return {
    settled: () => {
      const target = handedToWriter;
      return firstValueFrom(finished.pipe(filter((n) => n >= target))).then(
        () => undefined,
        () => undefined, // the pipeline ended: nothing more will be written
      );
    },
    live$: live.asObservable(),
    writes$: writes.asObservable(),
    detectorStates: () =>
      [...judge.states()].flatMap(([brand, brandState]) =>
        brandState.lastAt === null ? [] : [{ brand, throughMinute: brandState.lastAt, settingsKey, brandState, series: seriesJudge.saved(brand) }],
      ),
    start: () =>
      graph$.subscribe({
        error: (err: unknown) => log.error({ err }, "pipeline stopped"),
        complete: () => {
          finished.complete();
          writes.complete();
          live.complete();
        },
      }),
  };
}

/**
 * The timeline entries of a change: the change itself (who did it: a user
 * acknowledges or resolves; the rest is the system's), then one per signal
 * that joined — "inhibited" for one an outage explains. A change that only
 * joined signals, or only refreshed their scores, has no entry of its own.
 */
function incidentEvents({ kind, incident, by, joined, refresh }: IncidentChange, at: number): IncidentEventRecord[] {
  if (refresh) return [];
  const events: IncidentEventRecord[] = [];
  const joinedOnly = kind === "updated" && joined !== undefined && joined.length > 0;
  if (!joinedOnly) {
    events.push({
      incidentKey: incident.key,
      at,
      type: kind,
      actor: by ?? (kind === "acknowledged" ? (incident.acknowledgedBy ?? "") : "earshot"),
      detail: kind === "acknowledged" || kind === "resolved" ? "" : incident.summary,
    });
  }
  for (const s of joined ?? []) {
    events.push({
      incidentKey: incident.key,
      at,
      type: s.inhibited ? "inhibited" : "signal",
      actor: "earshot",
      detail: `${s.kind}:${s.name}`,
    });
  }
  return events;
}

function toQuarantineRecord(q: Quarantined, at: number): QuarantineRecord {
  let payload: string;
  try {
    payload = JSON.stringify(q.input) ?? "null";
  } catch {
    payload = String(q.input);
  }
  return {
    at,
    stage: q.stage,
    reason: q.reason,
    payload,
    error: q.error instanceof Error ? q.error.message : q.error === undefined ? "" : String(q.error),
  };
}
