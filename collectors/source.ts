import type { z } from "zod";

/**
 * What a source produced, before any cleaning. Sources fill what they know;
 * everything else stays undefined. `raw` keeps the payload item for audit.
 */
export interface RawMention {
  /** Source kind, e.g. "rss", "demo". */
  source: string;
  /** The source's own id of the item (guid, post id). Stable across polls. */
  sourceId: string;
  url?: string;
  author?: { handle?: string; name?: string; followers?: number };
  title?: string;
  /** Plain text. */
  text?: string;
  /** HTML text, when the source delivers markup (RSS descriptions, Mastodon). */
  html?: string;
  /** ISO-8601 or epoch ms, as the source gave it. */
  publishedAt?: string | number;
  /** Language as the source claims it (often missing or wrong). */
  lang?: string;
  engagement?: { likes?: number; shares?: number; replies?: number; views?: number };
  /** Star rating of a review, 1–5. */
  rating?: number;
  parentId?: string;
  threadId?: string;
  raw?: unknown;
}

/** Where a source left off: opaque to everything but the source itself. */
export type Cursor = Record<string, string | number | null>;

export interface Page {
  mentions: RawMention[];
  /** The cursor to store once `mentions` are stored. */
  cursor: Cursor | null;
  /**
   * Requests the API says are left in its current window, read from its
   * rate-limit headers (Reddit's and Mastodon's X-RateLimit-Remaining) on the
   * poll's last response; omitted when the API gives none. Shown in health.
   */
  quotaLeft?: number;
  /**
   * Parts of the poll that failed while the rest succeeded (e.g. one of
   * several channels gone private), each in plain words; shown in health as
   * "degraded" until a poll without them.
   */
  warnings?: string[];
}

export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface PollContext {
  http: import("./http").SafeHttp;
  now(): Date;
  log: Logger;
  signal: AbortSignal;
  /** The source's declared credentials by name (see Source.credentials); present when required. */
  credentials: Readonly<Record<string, string>>;
}

/**
 * A secret a source needs, read from the environment by the composition root
 * (collectors never read process.env). A required one that is missing keeps
 * the source off, with a message naming the variable to set.
 */
export interface CredentialSpec {
  /** The name the source uses: ctx.credentials[name]. */
  name: string;
  /** The environment variable, e.g. EARSHOT_REDDIT_CLIENT_SECRET. */
  env: string;
  optional?: boolean;
}

/**
 * A polled source of mentions. One folder per source under collectors/, with a
 * pure `parse` beside the Source that uses it.
 */
export interface Source<Options = unknown> {
  /** "rss", "demo" … also the label in logs and the `kind` in configuration. */
  readonly kind: string;
  /** Options as they appear in the configuration file; composed into the config schema. */
  readonly options: z.ZodType<Options>;
  /** Secrets this source reads from the environment; none when omitted. */
  readonly credentials?: readonly CredentialSpec[];
  /** One page of mentions newer than `cursor`. Throws SourceError; never returns half a page. */
  poll(options: Options, cursor: Cursor | null, ctx: PollContext): Promise<Page>;
}

/**
 * A source that pushes mentions on its own clock instead of being polled
 * (the demo replay; later webhooks and folder watchers).
 */
export interface StreamingSource<Options = unknown> {
  readonly kind: string;
  readonly options: z.ZodType<Options>;
  /** Starts emitting; returns a function that stops it. */
  start(options: Options, emit: (mentions: RawMention[]) => void, ctx: Omit<PollContext, "http" | "credentials">): () => void;
}

export class SourceError extends Error {
  override readonly name = "SourceError";
  constructor(
    readonly source: string,
    message: string,
    readonly retryable: boolean,
    options?: ErrorOptions,
  ) {
    super(`[earshot] [${source}] ${message}`, options);
  }
}
export const isSourceError = (e: unknown): e is SourceError => e instanceof Error && e.name === "SourceError";
