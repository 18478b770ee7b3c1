import cron from "node-cron";
import { z } from "zod";
import { demo } from "./demo/demo";
import { appStore } from "./app-store/app-store";
import { bluesky } from "./bluesky/bluesky";
import { fileImport } from "./file-import/file-import";
import { googlePlay } from "./google-play/google-play";
import { hackernews } from "./hackernews/hackernews";
import { mastodon } from "./mastodon/mastodon";
import { reddit } from "./reddit/reddit";
import { rss } from "./rss/rss";
import { telegram } from "./telegram/telegram";
import { vk } from "./vk/vk";
import { youtube } from "./youtube/youtube";
import type { Source, StreamingSource } from "./source";

/**
 * Every source on one screen. A new source is one folder and one line here;
 * the configuration schema below is built from these two maps.
 */
export const pollingSources = {
  rss,
  hackernews,
  reddit,
  mastodon,
  bluesky,
  youtube,
  "app-store": appStore,
  "google-play": googlePlay,
  vk,
  telegram,
  "file-import": fileImport,
} as const;
export const streamingSources = { demo } as const;

export type PollingKind = keyof typeof pollingSources;
export type StreamingKind = keyof typeof streamingSources;
export type SourceKind = PollingKind | StreamingKind;

/** Every five minutes: fresh enough for an alarm, polite to the sites polled. */
export const DEFAULT_SCHEDULE = "*/5 * * * *";
/** Up to 5 s of random delay per tick, so sources on the same schedule do not fire together. */
export const DEFAULT_JITTER_MS = 5_000;

type OptionsOf<S> = S extends Source<infer O> ? O : S extends StreamingSource<infer O> ? O : never;

/** Fields every configured source has, whatever its kind. */
// Type aliases, not interfaces: entries must fit the scheduler's open-ended
// ConfiguredSource (an index signature), which only alias types satisfy.
type EntryCommon = {
  /** Names the source in logs, health and the cursor table. Default: kind-N (rss-1, rss-2 …). */
  id?: string | undefined;
};
type PollingCommon = EntryCommon & {
  /** node-cron expression (5 fields, or 6 with seconds). */
  schedule: string;
  /** Upper bound of the random delay added to each tick. */
  jitterMs: number;
};

/**
 * One configured source after parsing: `{ kind, id?, schedule, jitterMs, …its options }`
 * for polled sources and `{ kind, id?, …its options }` for streaming ones. The
 * file keeps options flat beside `kind`, as people write them.
 */
export type SourceEntry =
  | { [K in PollingKind]: { kind: K } & PollingCommon & OptionsOf<(typeof pollingSources)[K]> }[PollingKind]
  | { [K in StreamingKind]: { kind: K } & EntryCommon & OptionsOf<(typeof streamingSources)[K]> }[StreamingKind];

/** The same, as written in the configuration file (defaults not yet applied). */
export type SourceEntryInput =
  | { [K in PollingKind]: { kind: K; id?: string; schedule?: string; jitterMs?: number } & Record<string, unknown> }[PollingKind]
  | { [K in StreamingKind]: { kind: K; id?: string } & Record<string, unknown> }[StreamingKind];

const idSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "letters, digits, '.', '_' or '-', at most 64")
  .optional();

const scheduleSchema = z
  .string()
  .refine((expr) => cron.validate(expr), { message: "not a cron expression node-cron accepts, e.g. \"*/5 * * * *\"" })
  .default(DEFAULT_SCHEDULE);

const jitterSchema = z.number().int().min(0).max(600_000).default(DEFAULT_JITTER_MS);

/**
 * The common fields and the source's own options are checked side by side, so
 * one parse reports every problem of an entry at once, each with its path
 * (sources[2].url). The options go through the source's own schema untouched:
 * its strictness, defaults and messages apply as the source wrote them.
 */
function entrySchema(kind: string, options: z.ZodType<unknown>, polling: boolean) {
  const common = polling ? z.object({ id: idSchema, schedule: scheduleSchema, jitterMs: jitterSchema }) : z.object({ id: idSchema });
  return z.looseObject({ kind: z.literal(kind) }).transform((entry, ctx) => {
    const { kind: k, id, schedule, jitterMs, ...rest } = entry as Record<string, unknown>;
    const commonResult = common.safeParse(polling ? { id, schedule, jitterMs } : { id });
    // A streaming entry's schedule fields stay in `rest`, where its own schema refuses them.
    const optionsInput = polling ? rest : { ...rest, ...(schedule === undefined ? {} : { schedule }), ...(jitterMs === undefined ? {} : { jitterMs }) };
    const optionsResult = options.safeParse(optionsInput);
    for (const issue of [...(commonResult.error?.issues ?? []), ...(optionsResult.error?.issues ?? [])]) ctx.addIssue({ ...issue });
    if (!commonResult.success || !optionsResult.success) return z.NEVER;
    if (typeof optionsResult.data !== "object" || optionsResult.data === null) {
      ctx.addIssue({ code: "custom", message: `options of source kind "${kind}" must be an object`, input: rest });
      return z.NEVER;
    }
    return { ...optionsResult.data, kind: k, ...commonResult.data };
  });
}

/** The schema of one `sources[]` entry, discriminated by `kind`, built from the registry. */
export const sourceEntrySchema = z.discriminatedUnion("kind", [
  ...Object.values(pollingSources).map((s) => entrySchema(s.kind, s.options as z.ZodType<unknown>, true)),
  ...Object.values(streamingSources).map((s) => entrySchema(s.kind, s.options as z.ZodType<unknown>, false)),
] as unknown as [z.core.$ZodTypeDiscriminable, ...z.core.$ZodTypeDiscriminable[]]) as unknown as z.ZodType<SourceEntry, SourceEntryInput>;
// The casts above are the one place the registry's per-kind types meet zod's
// runtime-built union; SourceEntry states what the union produces.

/** The whole `sources` list, with ids checked for clashes (explicit or defaulted). */
export const sourceListSchema = z.array(sourceEntrySchema).superRefine((entries, ctx) => {
  const seen = new Map<string, number>();
  sourceIds(entries).forEach((id, index) => {
    const earlier = seen.get(id);
    if (earlier !== undefined) {
      ctx.addIssue({ code: "custom", path: [index, "id"], message: `id "${id}" is also used by sources[${earlier}]` });
    } else seen.set(id, index);
  });
});

/**
 * The id of each entry: its own, or kind-N where N counts entries of that kind
 * (rss-1, rss-2, demo-1), so adding a source of another kind moves no id.
 * Cursors are stored by id: give feeds explicit ids if you reorder them.
 */
export function sourceIds(entries: readonly { kind: string; id?: string | undefined }[]): string[] {
  const perKind = new Map<string, number>();
  return entries.map((entry) => {
    const n = (perKind.get(entry.kind) ?? 0) + 1;
    perKind.set(entry.kind, n);
    return entry.id ?? `${entry.kind}-${n}`;
  });
}

export function isPollingKind(kind: string): kind is PollingKind {
  return Object.hasOwn(pollingSources, kind);
}
export function isStreamingKind(kind: string): kind is StreamingKind {
  return Object.hasOwn(streamingSources, kind);
}
