import { z } from "zod";
import { httpSourceError } from "../http-source-error";
import { SourceError, isSourceError, type Cursor, type Page, type PollContext, type RawMention, type Source } from "../source";
import { isTelegramParseError, parseChannelPage, SOURCE_KIND, type ChannelPage } from "./parse";

/** Telegram usernames: 5–32 letters, digits and underscores, starting with a letter (a few old ones are 4). */
const CHANNEL_NAME = /^[A-Za-z][A-Za-z0-9_]{3,31}$/;

export const telegramOptions = z.strictObject({
  channels: z
    .array(z.string().regex(CHANNEL_NAME, "a public channel's username without @, e.g. \"lumio_news\""))
    .min(1)
    .max(100)
    .refine((names) => new Set(names.map((n) => n.toLowerCase())).size === names.length, { message: "a channel is listed twice" })
    .describe("Public channels to read, by username without @ (the part after t.me/)."),
  baseUrl: z
    .url({ protocol: /^https?$/ })
    .default("https://t.me")
    .describe("Where the preview pages are served; change it only for a proxy or mirror of t.me."),
  maxPages: z
    .number()
    .int()
    .min(1)
    .max(20)
    .default(5)
    .describe("Pages (about 20 messages each) read per channel and poll; older missed messages are fetched on later polls."),
});
export type TelegramOptions = z.infer<typeof telegramOptions>;

/**
 * Per channel (lower-case username), all message ids, which Telegram numbers
 * upwards in each channel:
 * - `last`: the newest id handed out (or skipped); everything newer is new.
 * - `holeFrom`, `holeTo`: ids strictly between them were not read yet, because
 *   a poll reached its page limit before getting back down to `last`. The hole
 *   is filled from its top on the next polls, after the newest page.
 * A channel not in the cursor starts at its newest page, without history.
 */
interface ChannelState {
  last: number;
  hole: { from: number; to: number } | null;
}

export const telegram: Source<TelegramOptions> = {
  kind: SOURCE_KIND,
  options: telegramOptions,

  async poll(options: TelegramOptions, cursor: Cursor | null, ctx: PollContext): Promise<Page> {
    const previous = readCursor(cursor);
    const next = new Map<string, ChannelState>();
    const mentions: RawMention[] = [];
    const failures: SourceError[] = [];
    for (const channel of options.channels) {
      const key = channel.toLowerCase();
      const state = previous.get(key);
      try {
        const read = await readChannel(channel, state, options, ctx);
        mentions.push(...read.mentions);
        if (read.state) next.set(key, read.state);
      } catch (err) {
        const failure = isSourceError(err) ? err : httpSourceError(SOURCE_KIND, err);
        // One channel gone private must not stop the others; its place in the cursor is kept.
        ctx.log.error({ channel, err: failure.message, retryable: failure.retryable }, "telegram channel not read");
        failures.push(failure);
        if (state) next.set(key, state);
      }
    }
    const firstFailure = failures[0];
    if (firstFailure && failures.length === options.channels.length) {
      const retryable = failures.some((f) => f.retryable);
      throw failures.length === 1 ? firstFailure : new SourceError(SOURCE_KIND, `no channel could be read; first: ${firstFailure.message}`, retryable, { cause: firstFailure });
    }
    return {
      mentions,
      cursor: writeCursor(next),
      ...(failures.length > 0 ? { warnings: failures.map((f) => f.message) } : {}),
    };
  },
};

interface ChannelRead {
  mentions: RawMention[];
  state: ChannelState | undefined;
}

async function readChannel(channel: string, state: ChannelState | undefined, options: TelegramOptions, ctx: PollContext): Promise<ChannelRead> {
  if (!state) {
    // A channel seen for the first time: its newest page, no history.
    const page = await fetchPage(channel, null, options, ctx);
    logSkipped(page, channel, Number.NEGATIVE_INFINITY, ctx);
    const newest = page.ids.at(-1);
    return { mentions: page.messages.map((m) => m.mention), state: newest === undefined ? undefined : { last: newest, hole: null } };
  }

  let budget = options.maxPages;
  const top = await walkDown(channel, null, state.last, budget, options, ctx);
  budget -= top.pages;
  const found = top.found;
  let newHole = top.reached ? null : { from: state.last, to: top.lowest };

  let oldHole = state.hole;
  if (oldHole && budget > 0) {
    const fill = await walkDown(channel, oldHole.to, oldHole.from, budget, options, ctx);
    for (const [id, mention] of fill.found) found.set(id, mention);
    oldHole = fill.reached ? null : { from: oldHole.from, to: fill.lowest };
  }
  if (oldHole && newHole) {
    // Two gaps would need two holes; one wide hole instead reads some messages twice, which the store drops.
    ctx.log.warn({ channel, from: oldHole.from, to: newHole.to }, "telegram gaps merged; some messages will be read again");
    newHole = { from: oldHole.from, to: newHole.to };
    oldHole = null;
  }
  const hole = newHole ?? oldHole;
  if (hole) ctx.log.warn({ channel, after: hole.from, before: hole.to, maxPages: options.maxPages }, "telegram messages left for the next poll");

  return {
    mentions: [...found].sort(([a], [b]) => a - b).map(([, mention]) => mention),
    state: { last: Math.max(state.last, top.highest ?? state.last), hole },
  };
}

interface Walk {
  /** Messages with text above the floor, by id. */
  found: Map<number, RawMention>;
  /** True when the walk got down to the floor (or to the channel's first message). */
  reached: boolean;
  /** The lowest id read: where the next walk continues when `reached` is false. */
  lowest: number;
  highest: number | undefined;
  pages: number;
}

/**
 * Reads pages downwards from `before` (or from the newest page) until a page
 * reaches `floor`, the channel's start, or `budget` pages. Keeps ids above the
 * floor and below `before`.
 */
async function walkDown(
  channel: string,
  before: number | null,
  floor: number,
  budget: number,
  options: TelegramOptions,
  ctx: PollContext,
): Promise<Walk> {
  const walk: Walk = { found: new Map(), reached: false, lowest: before ?? Number.POSITIVE_INFINITY, highest: undefined, pages: 0 };
  let cursor = before;
  while (walk.pages < budget) {
    const page = await fetchPage(channel, cursor, options, ctx);
    walk.pages++;
    const ceiling = cursor ?? Number.POSITIVE_INFINITY;
    logSkipped(page, channel, floor, ctx, ceiling);
    for (const { id, mention } of page.messages) if (id > floor && id < ceiling) walk.found.set(id, mention);
    const lowest = page.ids[0];
    const highest = page.ids.at(-1);
    if (highest !== undefined && highest < ceiling) walk.highest = Math.max(walk.highest ?? highest, highest);
    if (lowest === undefined || lowest <= floor + 1) {
      walk.reached = true;
      break;
    }
    if (lowest >= ceiling) {
      // The server ignored ?before=: going on would read the same page again.
      ctx.log.warn({ channel, before: cursor }, "telegram answered ?before= with the same page; older messages cannot be read");
      walk.reached = true;
      break;
    }
    walk.lowest = lowest;
    cursor = lowest;
  }
  return walk;
}

async function fetchPage(channel: string, before: number | null, options: TelegramOptions, ctx: PollContext): Promise<ChannelPage> {
  const path = `/s/${channel}`;
  const url = new URL(`${options.baseUrl.replace(/\/+$/, "")}${path}`);
  if (before !== null) url.searchParams.set("before", String(before));
  let response;
  try {
    // English labels ("subscribers") whatever the server's guess of our language.
    response = await ctx.http.get(url, { accept: "text/html", headers: { "accept-language": "en" }, signal: ctx.signal });
  } catch (err) {
    throw httpSourceError(SOURCE_KIND, err);
  }
  if (response.notModified) throw new SourceError(SOURCE_KIND, `t.me answered 304 for @${channel} to a request without validators`, false);
  // A channel that is private, missing or without a preview is redirected to its landing page.
  const landed = new URL(response.url);
  if (!landed.pathname.toLowerCase().endsWith(path.toLowerCase())) {
    throw new SourceError(
      SOURCE_KIND,
      `@${channel} has no public preview: ${url.origin}${path} redirects to ${landed.origin}${landed.pathname} (is the channel private, renamed or missing?)`,
      false,
    );
  }
  try {
    return parseChannelPage(response.text);
  } catch (err) {
    const reason = isTelegramParseError(err) ? err.message : `unexpected parser failure: ${err instanceof Error ? err.message : String(err)}`;
    throw new SourceError(SOURCE_KIND, `cannot read @${channel} at ${url.origin}${path}: ${reason}`, false, { cause: err });
  }
}

/** Only skips of messages this poll is reading, so one photo is not reported on every poll. */
function logSkipped(page: ChannelPage, channel: string, floor: number, ctx: PollContext, ceiling = Number.POSITIVE_INFINITY): void {
  for (const s of page.skipped) {
    if (s.id !== undefined && (s.id <= floor || s.id >= ceiling)) continue;
    ctx.log.warn({ channel, id: s.id, reason: s.reason }, "telegram message skipped");
  }
}

function readCursor(cursor: Cursor | null): Map<string, ChannelState> {
  const states = new Map<string, ChannelState>();
  const value = cursor?.["channels"];
  if (typeof value !== "string") return states;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return states;
  }
  if (typeof parsed !== "object" || parsed === null) return states;
  for (const [name, entry] of Object.entries(parsed as Record<string, unknown>)) {
    if (typeof entry !== "object" || entry === null) continue;
    const { last, holeFrom, holeTo } = entry as Record<string, unknown>;
    if (!isId(last)) continue;
    const hole = isId(holeFrom) && isId(holeTo) && holeFrom < holeTo ? { from: holeFrom, to: holeTo } : null;
    states.set(name, { last, hole });
  }
  return states;
}

/** Cursor values are scalars, so the channels travel as one JSON string; channels no longer configured drop out. */
function writeCursor(states: ReadonlyMap<string, ChannelState>): Cursor {
  const out: Record<string, { last: number; holeFrom?: number; holeTo?: number }> = {};
  for (const [name, s] of states) out[name] = s.hole ? { last: s.last, holeFrom: s.hole.from, holeTo: s.hole.to } : { last: s.last };
  return { channels: JSON.stringify(out) };
}

function isId(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}
