import { z } from "zod";
import { isHttpError, type RateLimit } from "../http";
import { httpSourceError } from "../http-source-error";
import { SourceError, type Cursor, type Page, type PollContext, type RawMention, type Source } from "../source";
import { isYoutubeParseError, parseApiError, parseCommentThreads, SOURCE_KIND, type ThreadPage, type YoutubeApiFailure } from "./parse";
import { readStreamState, ThreadStream, writeStreamState } from "./thread-stream";

const KEY_ENV = "EARSHOT_YOUTUBE_API_KEY";
/** Every commentThreads.list call costs one unit of the project's daily quota (10,000 by default). */
const UNITS_PER_CALL = 1;
/** The most threads commentThreads.list returns per page. */
const PAGE_SIZE = 100;
/** Google states no per-second limit for an API key; this keeps a burst of many videos polite. */
const YOUTUBE_RATE: RateLimit = { requests: 10, perMs: 1_000 };

const VIDEO_ID = /^[A-Za-z0-9_-]{11}$/;
const CHANNEL_ID = /^UC[A-Za-z0-9_-]{22}$/;

/** A video id, or a watch / youtu.be / shorts / live link to one, as people copy them. */
const videoId = z
  .string()
  .trim()
  .transform(videoIdOf)
  .pipe(z.string().regex(VIDEO_ID, "a video id (11 letters, digits, - or _) or a youtube.com/watch?v=… or youtu.be/… link"));

export const youtubeOptions = z
  .strictObject({
    videoIds: z
      .array(videoId)
      .min(1)
      .max(500)
      .optional()
      .describe("Videos whose comments are read, as ids (\"dQw4w9WgXcQ\") or links. Each video costs at least one quota unit per poll."),
    channelId: z
      .string()
      .trim()
      .regex(CHANNEL_ID, "a channel id: \"UC\" and 22 more characters (a @handle is not accepted)")
      .optional()
      .describe("A channel whose videos' comments are all read (allThreadsRelatedToChannelId): one stream, newest first, however many videos."),
    baseUrl: z
      .url({ protocol: /^https?$/ })
      .default("https://www.googleapis.com")
      .describe("The Google APIs host; change it only for a proxy in front of www.googleapis.com."),
    maxUnitsPerPoll: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .default(50)
      .describe(
        "Quota units one poll may spend (one per request of up to 100 comments). When it is reached the poll stops and the next one goes on where it stopped. The default daily quota is 10,000 units: at a poll every 5 minutes, 288 polls a day.",
      ),
  })
  .refine((o) => o.videoIds !== undefined || o.channelId !== undefined, { message: "give videoIds, a channelId or both", path: ["videoIds"] });
export type YoutubeOptions = z.infer<typeof youtubeOptions>;

/** One list the API pages through: a video's threads or a channel's. */
interface Stream {
  /** The cursor key, e.g. "video:dQw4w9WgXcQ". */
  key: string;
  param: "videoId" | "allThreadsRelatedToChannelId";
  id: string;
}

/**
 * The cursor: one key per stream (`video:<id>`, `channel:<id>`) holding that
 * stream's state as JSON (see thread-stream.ts), and `start`, the stream the
 * next poll reads first. When the budget cannot reach every stream, the next
 * poll begins with the first one left out, so a long list of videos is not
 * starved by its head.
 */
export const youtube: Source<YoutubeOptions> = {
  kind: SOURCE_KIND,
  options: youtubeOptions,
  credentials: [{ name: "apiKey", env: KEY_ENV }],

  async poll(options: YoutubeOptions, cursor: Cursor | null, ctx: PollContext): Promise<Page> {
    const apiKey = ctx.credentials["apiKey"];
    if (!apiKey) throw new SourceError(SOURCE_KIND, `no API key: set ${KEY_ENV} to a YouTube Data API v3 key`, false);
    const streams = rotate(streamsOf(options), cursor?.["start"]).map((stream) => ({ stream, reader: new ThreadStream(readStreamState(cursor?.[stream.key])) }));
    const api = new CommentThreadsApi(options.baseUrl, apiKey, ctx);
    const missing: string[] = [];
    let units = 0;
    const budgetLeft = () => units + UNITS_PER_CALL <= options.maxUnitsPerPoll;

    const step = async ({ stream, reader }: { stream: Stream; reader: ThreadStream }): Promise<void> => {
      units += UNITS_PER_CALL;
      const answer = await api.list(stream, reader.pageToken);
      if (answer.kind === "page") {
        for (const s of answer.page.skipped) ctx.log.warn({ stream: stream.key, threadId: s.id, reason: s.reason }, "comment thread skipped");
        const before = reader.fresh.length;
        reader.accept(answer.page.entries, answer.page.nextPageToken);
        for (const e of reader.fresh.slice(before)) if (e.reason !== undefined) ctx.log.warn({ stream: stream.key, threadId: e.id, reason: e.reason }, "comment thread skipped");
        if (reader.endedOnRepeat) ctx.log.warn({ stream: stream.key }, "YouTube's next page repeated threads already read; the read ends there, and older comments above the last one collected may be missed");
        return;
      }
      const verdict = judge(answer.failure, answer.status, reader.inGap, answer.error, ctx.now());
      switch (verdict) {
        case "commentsDisabled":
          if (!reader.commentsOff) ctx.log.warn({ stream: stream.key }, "comments are turned off for this video; it is skipped until they are back");
          else ctx.log.debug({ stream: stream.key }, "comments still turned off");
          reader.turnedOff();
          return;
        case "notFound":
          ctx.log.warn({ stream: stream.key, reason: answer.failure?.reasons[0] }, `YouTube cannot find ${stream.param === "videoId" ? "the video" : "the channel"}; it is skipped`);
          missing.push(stream.key);
          reader.stop();
          return;
        case "tokenRefused":
          ctx.log.warn({ stream: stream.key, reason: answer.failure?.reasons[0] }, "YouTube refused the page token kept from the last poll; reading from the newest comment again");
          reader.restartFromTop();
          return;
        default:
          throw verdict;
      }
    };

    // First every stream gets one request (the newest page, or where it stopped),
    // then whatever is left of the budget pages further down, stream by stream.
    const reached = new Set<string>();
    try {
      for (const entry of streams) {
        if (!budgetLeft()) break;
        reached.add(entry.stream.key);
        await step(entry);
      }
      for (const entry of streams) {
        while (!entry.reader.done && budgetLeft()) await step(entry);
      }
    } finally {
      // Health has no quota field yet: the units go to the log, failed polls included (a refused call costs too).
      const unfinished = streams.filter((s) => !s.reader.done).length;
      ctx.log.info({ quotaUnits: units, maxUnitsPerPoll: options.maxUnitsPerPoll, streams: streams.length, unfinished }, "youtube quota units spent");
    }

    if (missing.length === streams.length) {
      throw new SourceError(SOURCE_KIND, `YouTube cannot find any of ${missing.join(", ")}: check videoIds and channelId`, false);
    }
    const unfinished = streams.filter((s) => !s.reader.done).map((s) => s.stream.key);
    if (unfinished.length > 0) {
      ctx.log.warn({ unfinished, maxUnitsPerPoll: options.maxUnitsPerPoll }, "maxUnitsPerPoll reached; the next poll goes on where this one stopped");
    }

    const next: Cursor = {};
    next["start"] = streams.find((s) => !reached.has(s.stream.key))?.stream.key ?? null;
    const collected = new Map<string, { at: number; mention: RawMention }>();
    for (const { stream, reader } of streams) {
      next[stream.key] = writeStreamState(reader.state());
      // A channel's stream and its video's stream list the same thread: one mention.
      for (const e of reader.fresh) if (e.mention !== null && !collected.has(e.id)) collected.set(e.id, { at: e.at, mention: e.mention });
    }
    const mentions = [...collected.values()]
      .sort((a, b) => a.at - b.at || (a.mention.sourceId < b.mention.sourceId ? -1 : 1))
      .map((c) => c.mention);
    ctx.log.debug({ fresh: mentions.length }, "youtube comments read");
    return { mentions, cursor: next };
  },
};

type ListAnswer =
  | { kind: "page"; page: ThreadPage }
  | { kind: "error"; status: number | undefined; failure: YoutubeApiFailure | undefined; error: unknown };

/** commentThreads.list requests of one poll. */
class CommentThreadsApi {
  readonly #endpoint: string;
  constructor(
    baseUrl: string,
    private readonly apiKey: string,
    private readonly ctx: PollContext,
  ) {
    this.#endpoint = `${baseUrl.replace(/\/+$/, "")}/youtube/v3/commentThreads`;
  }

  async list(stream: Stream, pageToken: string | undefined): Promise<ListAnswer> {
    const url = new URL(this.#endpoint);
    url.searchParams.set("part", "snippet");
    url.searchParams.set(stream.param, stream.id);
    url.searchParams.set("order", "time");
    url.searchParams.set("maxResults", String(PAGE_SIZE));
    url.searchParams.set("textFormat", "plainText");
    if (pageToken !== undefined) url.searchParams.set("pageToken", pageToken);
    // The documented way to send a key; SafeHttp keeps query strings out of its errors.
    url.searchParams.set("key", this.apiKey);

    let response;
    try {
      response = await this.ctx.http.get(url, { accept: "application/json", rate: YOUTUBE_RATE, signal: this.ctx.signal });
    } catch (err) {
      // Google explains a refusal in the body: the reason decides what the poll does.
      if (isHttpError(err) && err.code === "status") return { kind: "error", status: err.status, failure: parseApiError(err.bodyExcerpt), error: err };
      throw httpSourceError(SOURCE_KIND, err);
    }
    if (response.notModified) throw new SourceError(SOURCE_KIND, "YouTube answered 304 to a request without validators", false);
    let reply;
    try {
      reply = parseCommentThreads(response.text);
    } catch (err) {
      // The same bytes fail the same way: not retryable until the API answers differently.
      const reason = isYoutubeParseError(err) ? err.message : `unexpected parser failure: ${err instanceof Error ? err.message : String(err)}`;
      throw new SourceError(SOURCE_KIND, `cannot read the commentThreads reply for ${stream.key}: ${reason}`, false, { cause: err });
    }
    if (reply.kind === "error") return { kind: "error", status: reply.code, failure: reply, error: undefined };
    return { kind: "page", page: reply };
  }
}

const QUOTA = new Set(["quotaExceeded", "dailyLimitExceeded", "dailyLimitExceededUnreg"]);
const RATE = new Set(["rateLimitExceeded", "userRateLimitExceeded", "RATE_LIMIT_EXCEEDED"]);
const BAD_KEY = new Set(["keyInvalid", "keyExpired", "API_KEY_INVALID", "API_KEY_EXPIRED"]);
const KEY_RESTRICTED = new Set([
  "ipRefererBlocked",
  "API_KEY_HTTP_REFERRER_BLOCKED",
  "API_KEY_IP_ADDRESS_BLOCKED",
  "API_KEY_SERVICE_BLOCKED",
  "API_KEY_ANDROID_APP_BLOCKED",
  "API_KEY_IOS_APP_BLOCKED",
]);
const API_OFF = new Set(["accessNotConfigured", "SERVICE_DISABLED"]);
const NOT_FOUND = new Set(["videoNotFound", "channelNotFound"]);

/**
 * What a refusal means for the poll. The reasons are YouTube's
 * (https://developers.google.com/youtube/v3/docs/errors) and Google's newer
 * ErrorInfo reasons (API_KEY_INVALID …), which arrive side by side.
 */
function judge(
  failure: YoutubeApiFailure | undefined,
  status: number | undefined,
  inGap: boolean,
  error: unknown,
  now: Date,
): "commentsDisabled" | "notFound" | "tokenRefused" | SourceError {
  const reasons = failure?.reasons ?? [];
  const has = (set: ReadonlySet<string>) => reasons.some((r) => set.has(r));
  const http = status === undefined ? "" : `HTTP ${status} `;
  const said = failure === undefined ? `${http}without an error body`.trim() : `${http}${reasons.join(", ") || "(no reason)"}: ${failure.message || "(no message)"}`;
  const cause = error === undefined ? undefined : { cause: error };

  if (has(QUOTA)) {
    return new SourceError(SOURCE_KIND, `YouTube quota exceeded (${said}); it resets at midnight Pacific Time, ${nextPacificMidnight(now).toISOString()}`, true, cause);
  }
  if (has(RATE)) return new SourceError(SOURCE_KIND, `YouTube rate limit (${said}); trying again on the next poll`, true, cause);
  // A cut-short body may hold only the generic "badRequest"; Google's message still names the key.
  if (has(BAD_KEY) || /\bAPI key (not valid|expired)/i.test(failure?.message ?? "")) return new SourceError(SOURCE_KIND, `YouTube refused the API key (${said}): set ${KEY_ENV} to a valid key`, false, cause);
  if (has(KEY_RESTRICTED)) {
    return new SourceError(SOURCE_KIND, `the API key's restrictions refuse this request (${said}): allow this server and the YouTube Data API v3 for the key in ${KEY_ENV}`, false, cause);
  }
  if (has(API_OFF)) {
    return new SourceError(SOURCE_KIND, `the YouTube Data API v3 is not enabled for the key's project (${said}): enable it in the Google Cloud console`, false, cause);
  }
  if (reasons.includes("commentsDisabled")) return "commentsDisabled";
  if (has(NOT_FOUND)) return "notFound";
  // An expired or foreign page token is a 400 whose reason varies; only a kept token can be at fault here.
  if (inGap && status === 400) return "tokenRefused";
  if (failure === undefined) return httpSourceError(SOURCE_KIND, error ?? new Error(said));
  const retryable = isHttpError(error) ? error.retryable : status !== undefined && (status === 429 || status >= 500);
  return new SourceError(SOURCE_KIND, `YouTube API error (${said})`, retryable, cause);
}

/** YouTube's daily quota resets at midnight Pacific Time (07:00 or 08:00 UTC, by daylight saving). */
export function nextPacificMidnight(now: Date): Date {
  const hourIn = (d: Date) => Number(new Intl.DateTimeFormat("en-US", { timeZone: "America/Los_Angeles", hour: "2-digit", hourCycle: "h23" }).format(d));
  const day = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  for (let d = -1; d <= 1; d++) {
    for (const utcHour of [7, 8]) {
      const candidate = new Date(day + d * 86_400_000 + utcHour * 3_600_000);
      if (candidate.getTime() > now.getTime() && hourIn(candidate) === 0) return candidate;
    }
  }
  return new Date(day + 86_400_000 + 8 * 3_600_000);
}

function streamsOf(options: YoutubeOptions): Stream[] {
  const streams: Stream[] = [];
  if (options.channelId !== undefined) streams.push({ key: `channel:${options.channelId}`, param: "allThreadsRelatedToChannelId", id: options.channelId });
  for (const id of new Set(options.videoIds ?? [])) streams.push({ key: `video:${id}`, param: "videoId", id });
  return streams;
}

/** The streams, starting with the one the last poll could not reach. */
function rotate(streams: Stream[], start: unknown): Stream[] {
  const at = streams.findIndex((s) => s.key === start);
  return at <= 0 ? streams : [...streams.slice(at), ...streams.slice(0, at)];
}

function videoIdOf(input: string): string {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return input;
  }
  const host = url.hostname.replace(/^(www|m|music)\./, "");
  if (host === "youtu.be") return url.pathname.slice(1).split("/")[0] ?? input;
  if (host === "youtube.com" || host === "youtube-nocookie.com") {
    if (url.pathname === "/watch") return url.searchParams.get("v") ?? input;
    const path = /^\/(?:shorts|live|embed)\/([^/]+)/.exec(url.pathname);
    if (path?.[1] !== undefined) return path[1];
  }
  return input;
}
