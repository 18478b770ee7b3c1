import { readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseReviewFeed } from "../../collectors/app-store/parse";
import { parseSearchPosts } from "../../collectors/bluesky/parse";
import { decodeText } from "../../collectors/decode-text";
import { parseImport } from "../../collectors/file-import/parse";
import { parseReviewsReply } from "../../collectors/google-play/parse";
import { parseSearchPage } from "../../collectors/hackernews/parse";
import { parseSearch, parseTimeline } from "../../collectors/mastodon/parse";
import { parseListing } from "../../collectors/reddit/parse";
import { parseFeed } from "../../collectors/rss/parse";
import { parseChannelPage } from "../../collectors/telegram/parse";
import { parseSearchResponse } from "../../collectors/vk/parse";
import { MAX_ITEMS as WEBHOOK_MAX_ITEMS, parseIngestBody } from "../../collectors/webhook/parse";
import { parseCommentThreads } from "../../collectors/youtube/parse";
import { fixed, formatSections, int, type Section } from "./figures";

/**
 * Parse throughput per source: each source's pure parse over its recorded
 * fixtures (test/fixtures/payloads/<kind>/), scaled up to pages of about
 * ITEMS_PER_PAYLOAD items by repeating the fixture's items inside its own
 * envelope (the JSON list, the XML <item>/<entry> run, the HTML message
 * history, the CSV rows). Items/s counts what parse hands back, mentions and
 * skipped items alike: the work done per item is the same. Repeated items
 * keep their ids; no parse here dedupes within a page, so each copy is parsed
 * in full (the item counts in the notes show it).
 *
 * Run alone: `npx tsx test/bench/parse.bench.ts`.
 */

const ITEMS_PER_PAYLOAD = 1_000;
/** Each source is timed for at least this long, after one warm-up run per payload. */
const MIN_TIME_MS = 1_000;

interface ParseCase {
  kind: string;
  /** The parse function's name, for the note. */
  parse: string;
  /** Files under test/fixtures/payloads. */
  fixtures: string[];
  /** Turns a fixture into the payload this parse takes, when they differ. */
  prepare?(text: string): string;
  /** The fixture's text with its items repeated `factor` times. */
  scale(text: string, factor: number): string;
  /** Runs the pure parse and returns how many items it handed back. */
  run(text: string, fixture: string): number;
}

/** The payloads folder test/support/recorded-http.ts serves (read directly: that module needs a running vitest). */
const PAYLOADS = fileURLToPath(new URL("../fixtures/payloads/", import.meta.url));
const payload = (file: string): Buffer => readFileSync(`${PAYLOADS}${file}`);
const text = (file: string): string => decodeText(payload(file), contentTypeOf(file)).text;
function contentTypeOf(file: string): string | undefined {
  if (file.endsWith(".json") || file.endsWith(".txt")) return "application/json; charset=utf-8";
  return undefined; // XML prolog, HTML meta or the default decides, as for a live response without a charset
}

/** Repeats the elements of the document's longest array (the page's items). */
function scaleJson(doc: string, factor: number): string {
  const root: unknown = JSON.parse(doc);
  let longest: unknown[] | null = null;
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) {
      if (longest === null || v.length > longest.length) longest = v;
      v.forEach(visit);
    } else if (typeof v === "object" && v !== null) Object.values(v).forEach(visit);
  };
  visit(root);
  const items = longest as unknown[] | null;
  if (items === null || items.length === 0) return doc;
  const copy = items.slice();
  items.length = 0;
  for (let i = 0; i < factor; i++) items.push(...copy);
  return JSON.stringify(root);
}

/** Repeats the run from the first <tag> to the last </tag>. */
function scaleMarkup(tags: readonly string[]) {
  return (doc: string, factor: number): string => {
    for (const tag of tags) {
      const start = doc.search(new RegExp(`<${tag}[\\s>]`));
      const close = `</${tag}>`;
      const end = doc.lastIndexOf(close);
      if (start < 0 || end < start) continue;
      const run = doc.slice(start, end + close.length);
      return doc.slice(0, start) + run.repeat(factor) + doc.slice(end + close.length);
    }
    return doc;
  };
}

/** Repeats the telegram page's message history. */
function scaleTelegram(doc: string, factor: number): string {
  const open = /<section class="tgme_channel_history[^"]*">/.exec(doc);
  const end = doc.lastIndexOf("</section>");
  if (open === null || end < 0) return doc;
  const start = open.index + open[0].length;
  return doc.slice(0, start) + doc.slice(start, end).repeat(factor) + doc.slice(end);
}

/** Repeats every line after the header (CSV) or every line (JSON Lines). */
function scaleLines(doc: string, factor: number, header: boolean): string {
  const body = doc.endsWith("\n") ? doc : `${doc}\n`;
  if (!header) return body.repeat(factor);
  const cut = body.indexOf("\n") + 1;
  return body.slice(0, cut) + body.slice(cut).repeat(factor);
}

function jsonLine(line: string): unknown[] {
  try {
    return [JSON.parse(line) as unknown];
  } catch {
    return [];
  }
}

/** Repeats the reviews inside the batchexecute payload string. */
function scaleBatchexecute(doc: string, factor: number): string {
  const prefix = ")]}'\n\n";
  const envelopes = JSON.parse(doc.slice(prefix.length)) as unknown[][];
  const answer = envelopes[0] as unknown[];
  const data = JSON.parse(String(answer[2])) as unknown[][];
  const reviews = data[0] ?? [];
  data[0] = Array.from({ length: factor }, () => reviews).flat();
  answer[2] = JSON.stringify(data);
  return prefix + JSON.stringify(envelopes);
}

export const PARSE_CASES: readonly ParseCase[] = [
  {
    kind: "rss",
    parse: "parseFeed",
    fixtures: ["rss/atom.xml", "rss/google-alerts.xml", "rss/reddit.xml", "rss/polish-news.iso-8859-2.xml", "rss/russian-news.windows-1251.xml", "rss/russian-forum.koi8-r.xml"],
    scale: scaleMarkup(["item", "entry"]),
    run: (t, f) => parseFeed(t, `https://feeds.example/${f}`).length,
  },
  { kind: "rss (JSON Feed)", parse: "parseFeed", fixtures: ["rss/json-feed.json"], scale: scaleJson, run: (t) => parseFeed(t, "https://feeds.example/feed.json").length },
  {
    kind: "hackernews",
    parse: "parseSearchPage",
    fixtures: ["hackernews/search-first.json", "hackernews/search-next.json"],
    scale: scaleJson,
    run: (t) => {
      const p = parseSearchPage(t);
      return p.hits.length + p.skipped.length;
    },
  },
  {
    kind: "reddit",
    parse: "parseListing",
    fixtures: ["reddit/search-first.json", "reddit/subreddit-new.json", "reddit/subreddit-comments.json"],
    scale: scaleJson,
    run: (t) => {
      const p = parseListing(t);
      return p.items.length + p.skipped.length;
    },
  },
  {
    kind: "mastodon",
    parse: "parseTimeline / parseSearch",
    fixtures: ["mastodon/tag-lumio.json", "mastodon/timeline-with-boost.json", "mastodon/search-lumio.json"],
    scale: scaleJson,
    run: (t, f) => {
      const p = f.includes("search") ? parseSearch(t) : parseTimeline(t);
      return p.entries.length + p.skipped.length;
    },
  },
  {
    kind: "bluesky",
    parse: "parseSearchPosts",
    fixtures: ["bluesky/search-posts-lumio.json", "bluesky/search-posts-lumio-next.json"],
    scale: scaleJson,
    run: (t) => {
      const p = parseSearchPosts(t);
      return p.posts.length + p.skipped.length;
    },
  },
  {
    kind: "youtube",
    parse: "parseCommentThreads",
    fixtures: ["youtube/video-page1.json", "youtube/video-page2.json", "youtube/channel-threads.json"],
    scale: scaleJson,
    run: (t) => {
      const p = parseCommentThreads(t);
      return p.kind === "page" ? p.entries.length + p.skipped.length : 0;
    },
  },
  {
    kind: "app-store",
    parse: "parseReviewFeed",
    fixtures: ["app-store/customerreviews-pl.xml", "app-store/customerreviews-ru.xml", "app-store/customerreviews-us.xml"],
    scale: scaleMarkup(["entry"]),
    run: (t) => {
      const p = parseReviewFeed(t, { appId: "1488311937", country: "pl" });
      return p.entries.length + p.skipped.length;
    },
  },
  {
    kind: "google-play",
    parse: "parseReviewsReply",
    fixtures: ["google-play/reviews-pl-page1.txt", "google-play/reviews-pl-page2.txt", "google-play/reviews-ru.txt", "google-play/reviews-en.txt"],
    scale: scaleBatchexecute,
    run: (t) => {
      const p = parseReviewsReply(t, { appId: "com.lumio.app", lang: "pl" });
      return p.kind === "page" ? p.entries.length + p.skipped.length : 0;
    },
  },
  {
    kind: "vk",
    parse: "parseSearchResponse",
    fixtures: ["vk/newsfeed-search-page1.json", "vk/newsfeed-search-page2.json"],
    scale: scaleJson,
    run: (t) => {
      const p = parseSearchResponse(t);
      return p.kind === "page" ? p.mentions.length + p.skipped.length : 0;
    },
  },
  {
    kind: "telegram",
    parse: "parseChannelPage",
    fixtures: ["telegram/lumio_ru.html", "telegram/lumio_pl.html"],
    scale: scaleTelegram,
    run: (t) => {
      const p = parseChannelPage(t);
      return p.messages.length + p.skipped.length;
    },
  },
  {
    kind: "file-import",
    parse: "parseImport",
    fixtures: ["file-import/mentions-semicolon.csv", "file-import/export.jsonl"],
    scale: (t, factor) => scaleLines(t, factor, !t.trimStart().startsWith("{")),
    run: (t, f) => {
      const p = parseImport(t, { fileName: f });
      return p.mentions.length + p.problems.length;
    },
  },
  {
    kind: "webhook",
    parse: "parseIngestBody",
    // The webhook takes the file importer's field names: its JSON Lines export, pushed as one body.
    fixtures: ["file-import/export.jsonl"],
    // The export holds one deliberately broken line, which a JSON body cannot carry: it is left out.
    prepare: (t) => JSON.stringify({ mentions: t.split("\n").flatMap((l) => jsonLine(l)) }),
    scale: (t, factor) => {
      const items = (JSON.parse(t) as { mentions: unknown[] }).mentions;
      return JSON.stringify({ mentions: Array.from({ length: factor }, () => items).flat().slice(0, WEBHOOK_MAX_ITEMS) });
    },
    run: (t) => {
      const p = parseIngestBody("bench", JSON.parse(t));
      return p.mentions.length + p.problems.length;
    },
  },
];

export interface ParseFigure {
  kind: string;
  itemsPerSecond: number;
  mbPerSecond: number;
  itemsPerPayload: number;
  runs: number;
}

/** Times one case: every fixture scaled, parsed in turn until MIN_TIME_MS has passed. */
export function measureParse(c: ParseCase, minTimeMs = MIN_TIME_MS): ParseFigure {
  const payloads = c.fixtures.map((fixture) => {
    const original = c.prepare ? c.prepare(text(fixture)) : text(fixture);
    const once = c.run(original, fixture);
    const factor = Math.max(1, Math.ceil(ITEMS_PER_PAYLOAD / Math.max(1, once)));
    const scaled = c.scale(original, factor);
    return { fixture, scaled, bytes: Buffer.byteLength(scaled), items: c.run(scaled, fixture) }; // also the warm-up
  });
  let items = 0;
  let bytes = 0;
  let runs = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < minTimeMs) {
    for (const p of payloads) {
      items += c.run(p.scaled, p.fixture);
      bytes += p.bytes;
      runs++;
    }
    elapsed = performance.now() - started;
  }
  const seconds = elapsed / 1000;
  return {
    kind: c.kind,
    itemsPerSecond: items / seconds,
    mbPerSecond: bytes / 2 ** 20 / seconds,
    itemsPerPayload: Math.round(payloads.reduce((s, p) => s + p.items, 0) / payloads.length),
    runs,
  };
}

export async function benchParse(opts: { progress(line: string): void }): Promise<Section[]> {
  const figures = [];
  for (const c of PARSE_CASES) {
    opts.progress(`parse: ${c.kind}`);
    const f = measureParse(c);
    figures.push({
      label: `${c.kind} (${c.parse})`,
      value: `${int(f.itemsPerSecond)} items/s`,
      note: `${fixed(f.mbPerSecond, 1)} MiB/s; ${c.fixtures.length} fixture${c.fixtures.length === 1 ? "" : "s"} scaled to ~${int(f.itemsPerPayload)} items per payload; ${int(f.runs)} parses`,
    });
  }
  return [{ title: "Parse throughput per source (pure parse over recorded payloads, scaled up)", figures }];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const sections = await benchParse({ progress: (line) => console.error(line) });
  console.log(formatSections(sections));
}
