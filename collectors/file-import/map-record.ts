import { createHash } from "node:crypto";
import type { RawMention } from "../source";

/**
 * One record of an export (a JSON object, or a CSV row keyed by its header) →
 * a RawMention. Exports from other tools name the same thing differently, so
 * each field is looked up under the names they use; names are compared without
 * case, spaces, dashes or underscores ("Published At", "published_at" and
 * "publishedAt" are one name), and the Polish and Russian headers of localised
 * exports are known too.
 */

/** The `source` of every imported mention, whatever platform the record came from. */
export const SOURCE_KIND = "import";

export type MapResult = { mention: RawMention } | { reason: string };

/** Names per field, in order of preference, already in the compared form (see `keyOf`). */
const NAMES = {
  id: ["idstr", "sourceid", "id", "guid", "postid", "mentionid", "externalid", "tweetid", "statusid"],
  url: ["url", "link", "permalink", "href", "posturl", "mentionurl", "adres", "ссылка"],
  handle: ["username", "handle", "screenname", "authorhandle", "authorusername", "login", "userhandle", "nick", "nickname"],
  name: ["authorname", "author", "displayname", "fullname", "autor", "автор"],
  followers: ["followers", "followerscount", "authorfollowers", "authorfollowerscount", "subscribers", "subscriberscount", "obserwujący", "obserwujacy", "подписчики"],
  title: ["title", "subject", "headline", "tytuł", "tytul", "заголовок"],
  text: ["text", "content", "message", "body", "fulltext", "snippet", "description", "contenttext", "post", "review", "reviewtext", "treść", "tresc", "tekst", "текст", "сообщение"],
  html: ["html", "contenthtml", "bodyhtml", "texthtml"],
  date: ["publishedat", "published", "publisheddate", "publishdate", "date", "createdat", "created", "createdtime", "timestamp", "datetime", "time", "postedat", "pubdate", "data", "дата"],
  lang: ["lang", "language", "languagecode", "locale", "język", "jezyk", "язык"],
  rating: ["rating", "stars", "starrating", "ratingvalue", "ocena", "оценка", "рейтинг"],
  platform: ["platform", "source", "network", "sourcetype", "sourcename", "platforma", "źródło", "zrodlo", "источник", "платформа"],
  likes: ["likes", "likecount", "likescount", "favorites", "favoritecount", "favouritecount", "reactions", "reactioncount", "reactionscount", "polubienia", "лайки"],
  shares: ["shares", "sharecount", "sharescount", "retweets", "retweetcount", "reposts", "repostcount", "udostępnienia", "udostepnienia", "репосты"],
  replies: ["comments", "commentcount", "commentscount", "replies", "replycount", "repliescount", "komentarze", "комментарии"],
  views: ["views", "viewcount", "viewscount", "impressions", "impressioncount", "wyświetlenia", "wyswietlenia", "просмотры"],
  parentId: ["parentid", "inreplyto", "inreplytoid", "inreplytostatusid"],
  threadId: ["threadid", "conversationid"],
} as const satisfies Record<string, readonly string[]>;

/** Names of the columns that can hold a mention's text: a CSV header needs one of them. */
export const TEXT_KEYS: ReadonlySet<string> = new Set([...NAMES.text, ...NAMES.html, ...NAMES.title]);

/** Objects whose keys count as the record's own (engagement counters nested by some exporters). */
const NESTED_COUNTERS = ["engagement", "metrics", "publicmetrics", "stats", "statistics"];
/** Objects that describe the author (Twitter's `user`, most tools' `author`). */
const NESTED_AUTHOR = ["author", "user"];
const AUTHOR_NAME = ["name", "displayname", "fullname"];
const AUTHOR_HANDLE = ["username", "handle", "screenname", "login", "nick"];
const AUTHOR_FOLLOWERS = ["followers", "followerscount", "subscribers", "subscriberscount"];

/** A header or property name in the form the tables above use. */
export const keyOf = (name: string): string => name.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");

/**
 * The longest id kept. The pipeline quarantines a mention whose sourceId is
 * over 512 characters (pipeline/stages/normalize.ts); a webhook push puts
 * "<source>:" (up to 65) and a platform (up to 33) before this id, so a record
 * refused here is reported to whoever sent it instead of quarantined later.
 */
export const MAX_ID_CHARS = 400;

/** At least one character a reader can see: not whitespace, a control, a format mark or half a surrogate pair. */
const VISIBLE = /[^\p{Cc}\p{Cf}\p{Cs}\p{Z}\s]/u;

export function mapRecord(record: Readonly<Record<string, unknown>>): MapResult {
  const fields = lookup(record);
  for (const key of NESTED_COUNTERS) {
    const nested = fields.get(key);
    if (isObject(nested)) for (const [k, v] of lookup(nested)) if (!fields.has(k)) fields.set(k, v);
  }
  const pick = (names: readonly string[]): unknown => {
    for (const name of names) {
      const value = fields.get(name);
      if (value !== undefined && value !== null && value !== "") return value;
    }
    return undefined;
  };

  const rawText = textOf(pick(NAMES.text));
  const html = textOf(pick(NAMES.html));
  const rawTitle = textOf(pick(NAMES.title));
  // Text of only control or invisible characters would be empty once cleaned:
  // the pipeline would quarantine it, so it is reported here, where its line or index is known.
  const text = rawText !== undefined && VISIBLE.test(rawText) ? rawText : undefined;
  const title = rawTitle !== undefined && VISIBLE.test(rawTitle) ? rawTitle : undefined;
  if (text === undefined && html === undefined && title === undefined) {
    return rawText === undefined && rawTitle === undefined
      ? { reason: "no text: expected a text, content, message, body, html or title field" }
      : { reason: "no readable text: the text holds only whitespace, control or invisible characters" };
  }

  const dateValue = pick(NAMES.date);
  const publishedAt = dateValue === undefined ? undefined : toImportDate(dateValue);
  if (publishedAt === null) {
    // A wrong date would file a historic post under today and could fake a spike.
    return { reason: `unreadable date ${JSON.stringify(shorten(String(textOf(dateValue) ?? typeof dateValue)))}` };
  }

  const url = httpUrl(textOf(pick(NAMES.url)));
  const platform = platformOf(textOf(pick(NAMES.platform)));
  const ownId = idOf(pick(NAMES.id));
  if (ownId !== undefined && ownId.length > MAX_ID_CHARS) return { reason: `the id is longer than ${MAX_ID_CHARS} characters (${ownId.length})` };
  const sourceId =
    ownId === undefined
      ? `h:${createHash("sha1").update(`${url ?? ""}\u0000${text ?? html ?? title ?? ""}\u0000${publishedAt ?? ""}`).digest("hex").slice(0, 24)}`
      : platform === undefined
        ? ownId
        : `${platform}:${ownId}`;

  const mention: RawMention = { source: SOURCE_KIND, sourceId };
  if (url !== undefined) mention.url = url;
  const author = authorOf(fields, pick);
  if (author !== undefined) mention.author = author;
  if (title !== undefined) mention.title = title;
  if (text !== undefined) mention.text = text;
  if (html !== undefined) mention.html = html;
  if (publishedAt !== undefined) mention.publishedAt = publishedAt;
  const lang = langOf(textOf(pick(NAMES.lang)));
  if (lang !== undefined) mention.lang = lang;
  const engagement = engagementOf(pick);
  if (engagement !== undefined) mention.engagement = engagement;
  const rating = ratingOf(pick(NAMES.rating));
  if (rating !== undefined) mention.rating = rating;
  const parentId = idOf(pick(NAMES.parentId));
  if (parentId !== undefined) mention.parentId = parentId;
  const threadId = idOf(pick(NAMES.threadId));
  if (threadId !== undefined) mention.threadId = threadId;
  mention.raw = record;
  return { mention };
}

/** Compared names → values. A Map, so a "__proto__" key in the file is only a key. */
function lookup(record: Readonly<Record<string, unknown>>): Map<string, unknown> {
  const fields = new Map<string, unknown>();
  for (const [name, value] of Object.entries(record)) {
    const key = keyOf(name);
    const known = fields.get(key);
    if (known === undefined || known === null || known === "") fields.set(key, value);
  }
  return fields;
}

function authorOf(fields: Map<string, unknown>, pick: (names: readonly string[]) => unknown): RawMention["author"] | undefined {
  let name: string | undefined;
  let handle: string | undefined;
  let followers: number | undefined;
  for (const key of NESTED_AUTHOR) {
    const nested = fields.get(key);
    if (!isObject(nested)) continue;
    const inner = lookup(nested);
    const first = (names: readonly string[]) => names.map((n) => inner.get(n)).find((v) => v !== undefined && v !== null && v !== "");
    name ??= textOf(first(AUTHOR_NAME));
    handle ??= textOf(first(AUTHOR_HANDLE));
    followers ??= countOf(first(AUTHOR_FOLLOWERS));
  }
  const flatName = textOf(pick(NAMES.name));
  handle ??= textOf(pick(NAMES.handle));
  // "@jan_k" in an author column is a handle, not a display name.
  if (handle === undefined && flatName?.startsWith("@")) handle = flatName;
  else name ??= flatName;
  followers ??= countOf(pick(NAMES.followers));
  if (handle !== undefined) handle = handle.replace(/^@+/, "") || undefined;
  if (name === undefined && handle === undefined && followers === undefined) return undefined;
  const author: NonNullable<RawMention["author"]> = {};
  if (handle !== undefined) author.handle = handle;
  if (name !== undefined) author.name = name;
  if (followers !== undefined) author.followers = followers;
  return author;
}

function engagementOf(pick: (names: readonly string[]) => unknown): RawMention["engagement"] | undefined {
  const likes = countOf(pick(NAMES.likes));
  const shares = countOf(pick(NAMES.shares));
  const replies = countOf(pick(NAMES.replies));
  const views = countOf(pick(NAMES.views));
  if (likes === undefined && shares === undefined && replies === undefined && views === undefined) return undefined;
  const engagement: NonNullable<RawMention["engagement"]> = {};
  if (likes !== undefined) engagement.likes = likes;
  if (shares !== undefined) engagement.shares = shares;
  if (replies !== undefined) engagement.replies = replies;
  if (views !== undefined) engagement.views = views;
  return engagement;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A string or number as trimmed text; anything else (objects, arrays, booleans) is not text. */
function textOf(value: unknown): string | undefined {
  if (typeof value === "string") {
    const trimmed = value.trim();
    return trimmed === "" ? undefined : trimmed;
  }
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

/**
 * An id as text. A JSON number past 2^53 has already lost digits in JSON.parse,
 * and two posts could collapse into one id, so it is not used (exports that
 * have such ids also carry them as text, e.g. Twitter's `id_str`, preferred above).
 */
function idOf(value: unknown): string | undefined {
  if (typeof value === "number") return Number.isSafeInteger(value) ? String(value) : undefined;
  return textOf(value);
}

/** "Twitter / X" → "twitter-x": the platform as an id prefix, the same however an export capitalises it. */
function platformOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const slug = value
    .toLowerCase()
    .replace(/[^\p{L}\p{N}._]+/gu, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 32);
  return slug === "" ? undefined : slug;
}

function httpUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    const url = new URL(value);
    // javascript:, data: and file: links from an untrusted file are not kept.
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

const LANGUAGE_NAMES: Readonly<Record<string, string>> = {
  polish: "pl", polski: "pl", "język polski": "pl", польский: "pl",
  russian: "ru", rosyjski: "ru", русский: "ru",
  english: "en", angielski: "en", английский: "en",
  ukrainian: "uk", ukraiński: "uk", украинский: "uk", українська: "uk",
  german: "de", niemiecki: "de", deutsch: "de", немецкий: "de",
};

/** A language code ("pl", "en-GB" → "en-gb") or a language's name in en/pl/ru; anything else is dropped. */
function langOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const lower = value.toLowerCase();
  if (/^[a-z]{2,3}(?:[-_][a-z0-9]{2,8})?$/.test(lower)) return lower.replace("_", "-");
  return LANGUAGE_NAMES[lower];
}

/**
 * A non-negative whole count: 1234, "1234", "1 234" and "1,234" (thousands
 * separators of pl/ru and en), "1.2k", "3M".
 */
export function countOf(value: unknown): number | undefined {
  let n: number;
  if (typeof value === "number") {
    n = value;
  } else if (typeof value === "string") {
    const s = value.replace(/[\s\u00a0\u202f']/g, "");
    let m: RegExpExecArray | null;
    if (/^\d+$/.test(s)) n = Number(s);
    else if (/^\d{1,3}(?:[.,]\d{3})+$/.test(s)) n = Number(s.replace(/[.,]/g, ""));
    else if ((m = /^(\d+(?:[.,]\d+)?)([kKmM])$/.exec(s))) n = Number((m[1] as string).replace(",", ".")) * ((m[2] as string).toLowerCase() === "k" ? 1e3 : 1e6);
    else return undefined;
  } else {
    return undefined;
  }
  if (!Number.isFinite(n) || n < 0) return undefined;
  const rounded = Math.round(n);
  return Number.isSafeInteger(rounded) ? rounded : undefined;
}

/** A star rating on the 1–5 scale: 4, "4,5", "4/5", "8/10" (→ 4). Anything outside 1–5 is dropped. */
function ratingOf(value: unknown): number | undefined {
  let n: number | undefined;
  if (typeof value === "number") n = value;
  else if (typeof value === "string") {
    const s = value.trim().replace(",", ".");
    const scaled = /^(\d+(?:\.\d+)?)\s*\/\s*(\d+)$/.exec(s);
    if (scaled) n = (Number(scaled[1]) / Number(scaled[2])) * 5;
    else if (/^\d+(?:\.\d+)?$/.test(s)) n = Number(s);
  }
  return n !== undefined && Number.isFinite(n) && n >= 1 && n <= 5 ? n : undefined;
}

const MONTHS = /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\b/i;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;
/** 14.05.2024 09:12 — how Polish and Russian spreadsheets write dates. */
const DOTTED = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[,T ]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;
const EPOCH = /^\d{1,16}(?:\.\d+)?$/;
/** Epoch values below this are seconds (10^11 s is the year 5138; 10^11 ms is 1973). */
const SECONDS_LIMIT = 1e11;
/** RFC 2822 zone names Date.parse does not know, seen in Polish and Russian exports. */
const ZONES: Readonly<Record<string, string>> = {
  CET: "+0100", CEST: "+0200", EET: "+0200", EEST: "+0300", MSK: "+0300", MSD: "+0400",
  WET: "+0000", WEST: "+0100", BST: "+0100", UT: "+0000",
};
/** The largest time a Date can hold. */
const MAX_DATE_MS = 8.64e15;

/**
 * A date as exports write it → ISO-8601 UTC, or null when it cannot be read.
 * Accepted: ISO-8601 (with or without a zone), RFC 2822 ("Tue, 14 May 2024
 * 09:12:00 +0200", zone names such as CEST and MSK), "14.05.2024 09:12", and
 * epoch seconds or milliseconds as numbers or digits. A time without a zone
 * is UTC, so the result never depends on the machine's time zone.
 */
export function toImportDate(value: unknown): string | null {
  let ms: number;
  if (typeof value === "number") {
    ms = epochMs(value);
  } else if (typeof value === "string") {
    ms = stringMs(value.trim());
  } else {
    return null;
  }
  return Number.isFinite(ms) && ms >= 0 && ms <= MAX_DATE_MS ? new Date(ms).toISOString() : null;
}

const epochMs = (n: number): number => (n < SECONDS_LIMIT ? Math.round(n * 1000) : Math.round(n));

function stringMs(s: string): number {
  if (EPOCH.test(s)) return epochMs(Number(s));
  let m = ISO.exec(s);
  if (m) return utcMs(m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8]);
  m = DOTTED.exec(s);
  if (m) return utcMs(m[3], m[2], m[1], m[4], m[5], m[6], undefined, m[7]);
  // Free text such as RFC 2822 goes to Date.parse, which is lenient ("1 2 3" is
  // a date to it): only strings that name a month and a 4-digit year get there.
  if (!MONTHS.test(s) || !/\b\d{4}\b/.test(s)) return Number.NaN;
  let zoned = s.replace(/\b([A-Z]{2,4})$/, (zone) => ZONES[zone] ?? zone);
  if (!/(?:[+-]\d{2}:?\d{2}|\b(?:GMT|UTC|Z))$/i.test(zoned)) zoned = `${zoned} +0000`;
  return Date.parse(zoned);
}

function utcMs(
  year: string | undefined, month: string | undefined, day: string | undefined,
  hour: string | undefined, minute: string | undefined, second: string | undefined,
  fraction: string | undefined, zone: string | undefined,
): number {
  const y = Number(year), mo = Number(month), d = Number(day);
  const h = Number(hour ?? 0), mi = Number(minute ?? 0), s = Number(second ?? 0);
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || s > 59) return Number.NaN;
  const ms = fraction === undefined ? 0 : Math.floor(Number(`0.${fraction}`) * 1000);
  return Date.UTC(y, mo - 1, d, h, mi, s, ms) - offsetMs(zone);
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function offsetMs(zone: string | undefined): number {
  if (zone === undefined || /^(z|utc|gmt)$/i.test(zone)) return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!m) return Number.NaN;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return (m[1] === "-" ? -1 : 1) * minutes * 60_000;
}

function shorten(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
