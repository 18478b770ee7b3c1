import cron, { type ScheduledTask } from "node-cron";
import { createSourceHealth, newestPublishedAt, SOURCE_OFF_PREFIX, type SourceHealth } from "./health";
import type { SafeHttp } from "./http";
import {
  DEFAULT_JITTER_MS,
  DEFAULT_SCHEDULE,
  isPollingKind,
  isStreamingKind,
  pollingSources,
  sourceIds,
  streamingSources,
} from "./registry";
import type { CredentialSpec, Cursor, Logger, Page, PollContext, RawMention, Source, StreamingSource } from "./source";

/**
 * Runs the configured sources: one node-cron task per polled source, and the
 * streaming sources started once. A poll that fails is logged and recorded in
 * health; it never reaches the process. A cursor moves only after the
 * mentions it covers are stored: deliver() first, then cursors.save().
 */

/** Durable cursors by source id; the pipeline keeps them in the store. */
export interface CursorStore {
  load(id: string): Promise<Cursor | null>;
  save(id: string, cursor: Cursor): Promise<void>;
}

export interface ScheduleDeps {
  http: SafeHttp;
  cursors: CursorStore;
  /** Hands a page of mentions on; resolves only once they are stored. */
  deliver(id: string, mentions: RawMention[]): Promise<void>;
  log: Logger;
  now?: () => Date;
  /** Shared with startStreaming() so one snapshot shows every source. Default: a new one. */
  health?: SourceHealth;
  /**
   * Aborts the source's side of a poll (its requests, through ctx.signal) after
   * this long. deliver() and cursors.save() are not cut short: a half-stored
   * page is worse than a slow one. Default 2 minutes.
   */
  pollTimeoutMs?: number;
  /** Poll each source once right away (after its jitter) instead of waiting for the first tick. Default true. */
  pollOnStart?: boolean;
  /** Looks up a credential's environment variable (the composition root passes what it read once). */
  secret?: (envName: string) => string | undefined;
}

/** A configured source entry as the configuration schema produces it (see registry.ts). */
export interface ConfiguredSource {
  kind: string;
  id?: string | undefined;
  schedule?: string | undefined;
  jitterMs?: number | undefined;
  [option: string]: unknown;
}

export type PollOutcome =
  | { status: "ok"; items: number; durationMs: number }
  | { status: "failed"; error: unknown; durationMs: number }
  | { status: "skipped"; reason: "overlap" | "stopped" };

export interface PollingScheduler {
  /** Ids of the scheduled (polled) sources. */
  readonly ids: readonly string[];
  readonly health: SourceHealth;
  /** Polls one source now, outside its schedule; skipped while its previous poll runs. */
  pollNow(id: string): Promise<PollOutcome>;
  /** Stops every task, aborts running polls and waits for them to settle (a deliver() in progress is awaited). */
  stop(): Promise<void>;
}

const DEFAULT_POLL_TIMEOUT_MS = 120_000;

interface BoundPolling {
  id: string;
  kind: string;
  schedule: string;
  jitterMs: number;
  poll(cursor: Cursor | null, ctx: PollContext): Promise<Page>;
  credentials: readonly CredentialSpec[];
  /** Environment variables of required credentials that are not set. */
  missing: string[];
}

export function scheduleSources(entries: readonly ConfiguredSource[], deps: ScheduleDeps): PollingScheduler {
  const now = deps.now ?? (() => new Date());
  const health = deps.health ?? createSourceHealth(now);
  const pollTimeoutMs = deps.pollTimeoutMs ?? DEFAULT_POLL_TIMEOUT_MS;
  const bound = bindPolling(entries, deps.secret ?? (() => undefined)).filter((source) => {
    if (source.missing.length === 0) return true;
    // A source without its credentials stays off and says exactly what to set; the rest keep running.
    health.register(source.id, source.kind, "polling");
    health.failed(source.id, new Error(`${SOURCE_OFF_PREFIX} set ${source.missing.join(", ")}`), { durationMs: null });
    deps.log.error({ source: source.id, kind: source.kind, missing: source.missing }, `source off: set ${source.missing.join(", ")}`);
    return false;
  });
  const credentialsOf = (source: BoundPolling): Record<string, string> => {
    const found: Record<string, string> = {};
    for (const spec of source.credentials) {
      const value = deps.secret?.(spec.env);
      if (value !== undefined && value !== "") found[spec.name] = value;
    }
    return found;
  };
  const byId = new Map(bound.map((b) => [b.id, b]));
  const running = new Map<string, Promise<PollOutcome>>();
  const controllers = new Set<AbortController>();
  const tasks: ScheduledTask[] = [];
  const startTimers = new Set<NodeJS.Timeout>();
  let stopped = false;

  async function runPoll(source: BoundPolling): Promise<PollOutcome> {
    const log = withFields(deps.log, { source: source.id, kind: source.kind });
    const controller = new AbortController();
    controllers.add(controller);
    const timeout = setTimeout(() => controller.abort(new Error(`poll took longer than ${pollTimeoutMs} ms`)), pollTimeoutMs);
    const started = performance.now();
    try {
      const cursor = await deps.cursors.load(source.id);
      const page = await source.poll(cursor, {
        http: deps.http,
        now,
        log,
        signal: controller.signal,
        credentials: credentialsOf(source),
      });
      if (page.mentions.length > 0) await deps.deliver(source.id, page.mentions);
      // Only now are the mentions stored, so only now may the cursor move past them.
      if (page.cursor !== null && !sameCursor(cursor, page.cursor)) await deps.cursors.save(source.id, page.cursor);
      const durationMs = performance.now() - started;
      health.succeeded(source.id, { items: page.mentions.length, durationMs, newestAt: newestPublishedAt(page.mentions, now().getTime()), quotaLeft: page.quotaLeft, warnings: page.warnings });
      log.info({ fetched: page.mentions.length, ms: Math.round(durationMs) }, "poll done");
      return { status: "ok", items: page.mentions.length, durationMs };
    } catch (error) {
      const durationMs = performance.now() - started;
      health.failed(source.id, error, { durationMs });
      log.warn({ err: error, ms: Math.round(durationMs) }, "poll failed; the cursor stays where it was");
      return { status: "failed", error, durationMs };
    } finally {
      clearTimeout(timeout);
      controllers.delete(controller);
    }
  }

  /** The overlap guard for scheduled ticks and pollNow() alike (node-cron's noOverlap covers only its own ticks). */
  function pollOnce(source: BoundPolling): Promise<PollOutcome> {
    if (stopped) return Promise.resolve({ status: "skipped", reason: "stopped" });
    if (running.has(source.id)) {
      health.skipped(source.id);
      deps.log.warn({ source: source.id }, "previous poll still running; tick skipped");
      return Promise.resolve({ status: "skipped", reason: "overlap" });
    }
    const run = runPoll(source).finally(() => running.delete(source.id));
    running.set(source.id, run);
    return run;
  }

  for (const source of bound) {
    health.register(source.id, source.kind, "polling");
    const task = cron.schedule(source.schedule, () => pollOnce(source), {
      name: `earshot:${source.id}`,
      noOverlap: true,
      maxRandomDelay: source.jitterMs,
      logger: cronLogger(deps.log, source.id),
    });
    // node-cron's own guard skipped a tick: count it like ours.
    task.on("execution:overlap", () => {
      health.skipped(source.id);
      deps.log.warn({ source: source.id }, "previous poll still running; tick skipped");
    });
    tasks.push(task);
    if (deps.pollOnStart ?? true) {
      const timer = setTimeout(() => {
        startTimers.delete(timer);
        void pollOnce(source);
      }, Math.floor(Math.random() * source.jitterMs));
      startTimers.add(timer);
    }
  }

  return {
    ids: bound.map((b) => b.id),
    health,
    pollNow(id) {
      const source = byId.get(id);
      if (!source) return Promise.reject(new Error(`no polled source with id "${id}"; known: ${[...byId.keys()].join(", ") || "none"}`));
      return pollOnce(source);
    },
    async stop() {
      stopped = true;
      for (const timer of startTimers) clearTimeout(timer);
      startTimers.clear();
      await Promise.all(tasks.map((t) => t.destroy()));
      for (const c of controllers) c.abort(new Error("scheduler stopped"));
      await Promise.allSettled(running.values());
    },
  };
}

export interface StreamingDeps {
  log: Logger;
  now?: () => Date;
  health?: SourceHealth;
}

export interface StreamingHandle {
  readonly ids: readonly string[];
  readonly health: SourceHealth;
  stop(): void;
}

/**
 * Starts the streaming sources among `entries`. Each batch they emit is
 * counted in health; a source that throws while starting is recorded as
 * failed and the others still start.
 */
export function startStreaming(
  entries: readonly ConfiguredSource[],
  emit: (mentions: RawMention[]) => void,
  deps: StreamingDeps,
): StreamingHandle {
  const now = deps.now ?? (() => new Date());
  const health = deps.health ?? createSourceHealth(now);
  const ids = sourceIds(entries);
  const stops: (() => void)[] = [];
  const started: string[] = [];
  const controller = new AbortController();

  entries.forEach((entry, index) => {
    if (!isStreamingKind(entry.kind)) return;
    const id = ids[index] ?? entry.kind;
    const log = withFields(deps.log, { source: id, kind: entry.kind });
    health.register(id, entry.kind, "streaming");
    started.push(id);
    const forward = (mentions: RawMention[]) => {
      try {
        emit(mentions);
        health.succeeded(id, { items: mentions.length, durationMs: null, newestAt: newestPublishedAt(mentions, now().getTime()) });
      } catch (error) {
        health.failed(id, error, { durationMs: null });
        log.warn({ err: error }, "streamed mentions could not be handed on");
      }
    };
    try {
      stops.push(startOne(streamingSources[entry.kind], optionsOf(entry), forward, { now, log, signal: controller.signal }));
      log.info({}, "streaming source started");
    } catch (error) {
      health.failed(id, error, { durationMs: null });
      log.error({ err: error }, "streaming source did not start");
    }
  });

  return {
    ids: started,
    health,
    stop() {
      controller.abort(new Error("streaming stopped"));
      for (const stop of stops.splice(0)) {
        try {
          stop();
        } catch (error) {
          deps.log.warn({ err: error }, "streaming source failed to stop cleanly");
        }
      }
    },
  };
}

/** Validates the options once and closes over them, keeping Source<O>'s O intact. */
function bindPoll<O>(source: Source<O>, input: unknown): BoundPolling["poll"] {
  const options = source.options.parse(input);
  return (cursor, ctx) => source.poll(options, cursor, ctx);
}

function startOne<O>(
  source: StreamingSource<O>,
  input: unknown,
  emit: (mentions: RawMention[]) => void,
  ctx: Omit<PollContext, "http" | "credentials">,
): () => void {
  return source.start(source.options.parse(input), emit, ctx);
}

/**
 * Pairs each polled entry with its source and its validated options. Options
 * are validated here as well as in the config schema, so entries built in
 * code (tests, a CLI, a schema default that skipped parsing) are held to the
 * same rules.
 */
function bindPolling(entries: readonly ConfiguredSource[], secret: (envName: string) => string | undefined): BoundPolling[] {
  const ids = sourceIds(entries);
  const seen = new Set<string>();
  const bound: BoundPolling[] = [];
  entries.forEach((entry, index) => {
    if (!isPollingKind(entry.kind)) {
      if (!isStreamingKind(entry.kind)) throw new Error(`unknown source kind "${entry.kind}" in sources[${index}]`);
      return;
    }
    const id = ids[index] ?? entry.kind;
    if (seen.has(id)) throw new Error(`two sources share the id "${id}"; give each an explicit id`);
    seen.add(id);
    const source: Source<unknown> = pollingSources[entry.kind];
    const poll = bindPoll(source, optionsOf(entry));
    const schedule = entry.schedule ?? DEFAULT_SCHEDULE;
    if (!cron.validate(schedule)) throw new Error(`sources[${index}] (${id}): "${schedule}" is not a cron expression`);
    const credentials = pollingSources[entry.kind].credentials ?? [];
    const missing = credentials.filter((c) => !c.optional && !secret(c.env)).map((c) => c.env);
    bound.push({
      id,
      kind: entry.kind,
      schedule,
      jitterMs: entry.jitterMs ?? DEFAULT_JITTER_MS,
      poll,
      credentials,
      missing,
    });
  });
  return bound;
}

/** The entry minus the fields the scheduler owns: what the source's own schema expects. */
function optionsOf(entry: ConfiguredSource): Record<string, unknown> {
  const { kind: _kind, id: _id, schedule: _schedule, jitterMs: _jitter, ...options } = entry;
  return options;
}

function sameCursor(a: Cursor | null, b: Cursor): boolean {
  if (a === null) return false;
  const keys = Object.keys(b);
  return keys.length === Object.keys(a).length && keys.every((k) => a[k] === b[k]);
}

/** Tags every line with the source; the tags win, so a source cannot relabel its own lines. */
function withFields(log: Logger, fields: Record<string, string>): Logger {
  return {
    debug: (obj, msg) => log.debug({ ...obj, ...fields }, msg),
    info: (obj, msg) => log.info({ ...obj, ...fields }, msg),
    warn: (obj, msg) => log.warn({ ...obj, ...fields }, msg),
    error: (obj, msg) => log.error({ ...obj, ...fields }, msg),
  };
}

/** node-cron logs through its own logger; route it into ours, tagged with the source. */
function cronLogger(log: Logger, source: string) {
  return {
    info: (message: string) => log.debug({ source, component: "node-cron" }, message),
    // Its warnings (overlap, missed tick) are reported by our own handlers; keep its text at debug.
    warn: (message: string) => log.debug({ source, component: "node-cron" }, message),
    error: (message: string | Error, err?: Error) =>
      log.error({ source, component: "node-cron", err: err ?? message }, typeof message === "string" ? message : message.message),
    debug: (message: string | Error) =>
      log.debug({ source, component: "node-cron" }, typeof message === "string" ? message : message.message),
  };
}
