import { createHash } from "node:crypto";
import { decodeHTML } from "entities";
import { XMLParser, XMLValidator, type EntityDecoderOptions } from "fast-xml-parser";
import { Parser as HtmlParser } from "htmlparser2";
import type { RawMention } from "../source";

/**
 * Feed text → RawMention[], for RSS 2.0 (and 0.9x), RSS 1.0/RDF, Atom and JSON
 * Feed. Pure: no I/O, no clock. Google Alerts and Reddit feeds are Atom and go
 * through the same path; Google's redirect links are unwrapped to the article.
 */

export const SOURCE_KIND = "rss";

/** Thrown for a document that is not a readable feed; `line`/`column` point at the fault in XML. */
export class FeedParseError extends Error {
  override readonly name = "FeedParseError";
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
  }
}
export const isFeedParseError = (e: unknown): e is FeedParseError => e instanceof Error && e.name === "FeedParseError";

/** Elements that may repeat; always read as arrays so one item and many look alike. */
const ARRAY_TAGS: ReadonlySet<string> = new Set(["item", "entry", "link", "author", "category", "dc:creator", "contributor"]);

const HTML_ENTITY_DECODER: EntityDecoderOptions = {
  decode: (text) => decodeHTML(text),
  addInputEntities: () => {},
  setExternalEntities: () => {},
  reset: () => {},
  setXmlVersion: () => {},
};

const xmlParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  textNodeName: "#text",
  // Keep ids and titles as strings: "00123" must not become 123.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  // Titles carry HTML entities (&eacute;, &nbsp;) far more often than XML allows:
  // decode the full HTML set. Entities declared in a DOCTYPE are not expanded at
  // all, which also shuts out entity-expansion ("billion laughs") documents.
  entityDecoder: HTML_ENTITY_DECODER,
  // Prefixes stay: removing them would turn content:encoded into "encoded" and
  // an atom:link in an RSS channel into a second RSS "link".
  removeNSPrefix: false,
  isArray: (name) => ARRAY_TAGS.has(name),
  // Bodies are kept as raw markup: parsing them as XML would reorder mixed
  // text and elements, and merge CDATA with escaped text. rawBody() decodes them.
  stopNodes: ["*.description", "*.content:encoded", "*.content", "*.summary"],
});

type Node = Record<string, unknown>;

export function parseFeed(text: string, feedUrl: string): RawMention[] {
  const body = text.replace(/^\uFEFF/, "").trimStart();
  if (body === "") throw new FeedParseError("the document is empty");
  if (body.startsWith("{") || body.startsWith("[")) return parseJsonFeed(body, feedUrl);
  if (/^(<!--[\s\S]*?-->\s*)*<(!doctype\s+html|html)\b/i.test(body)) {
    throw new FeedParseError("the document is an HTML page, not a feed (is the URL the site rather than its feed?)");
  }
  const xml = escapeBareAmpersands(body);
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    throw new FeedParseError(`malformed XML at line ${line}, column ${col}: ${msg}`, line, col);
  }
  let doc: Node;
  try {
    doc = xmlParser.parse(xml) as Node;
  } catch (err) {
    throw new FeedParseError(`unreadable XML: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (isNode(doc["rss"])) return parseRss(doc["rss"], feedUrl);
  if (isNode(doc["rdf:RDF"])) return parseRdf(doc["rdf:RDF"], feedUrl);
  if (isNode(doc["feed"])) return parseAtom(doc["feed"], feedUrl);
  const root = Object.keys(doc).find((k) => !k.startsWith("?") && !k.startsWith("!")) ?? "nothing";
  throw new FeedParseError(`not a feed: the root element is <${root}>, expected <rss>, <rdf:RDF> or <feed>`);
}

// ── RSS 2.0 / 0.9x ────────────────────────────────────────────────────────────

function parseRss(rss: Node, feedUrl: string): RawMention[] {
  const channel = asNode(rss["channel"]);
  if (!channel) throw new FeedParseError("RSS document without a <channel>");
  const lang = textOf(channel["language"]);
  return asArray(channel["item"]).filter(isNode).map((item) => {
    const guid = first(item["guid"]);
    const guidText = textOf(guid);
    const guidIsLink = attrOf(guid, "isPermaLink") !== "false" && guidText !== undefined && /^https?:\/\//i.test(guidText);
    const url = resolveUrl(textOf(first(item["link"])) ?? (guidIsLink ? guidText : undefined), feedUrl);
    const title = textOf(item["title"]);
    const publishedAt = toIsoDate(textOf(item["pubDate"]) ?? textOf(item["dc:date"]));
    const html = rawBody(item["content:encoded"], "html") ?? rawBody(item["description"], "html");
    const author = authorFrom(textOf(first(item["dc:creator"])) ?? rssAuthorName(textOf(first(item["author"]))));
    return mention({ sourceId: guidText ?? url ?? fallbackId(title, publishedAt), url, title, body: html, publishedAt, author, lang, raw: item });
  });
}

/** RSS <author> is "mail@example.com (Name)"; the name is the useful part. */
function rssAuthorName(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const named = /\(([^)]+)\)\s*$/.exec(value);
  return named?.[1]?.trim() ?? value;
}

// ── RSS 1.0 / RDF ─────────────────────────────────────────────────────────────

function parseRdf(rdf: Node, feedUrl: string): RawMention[] {
  const channel = asNode(rdf["channel"]);
  const lang = channel ? textOf(channel["dc:language"]) : undefined;
  return asArray(rdf["item"]).filter(isNode).map((item) => {
    const about = attrOf(item, "rdf:about");
    const url = resolveUrl(textOf(first(item["link"])) ?? about, feedUrl);
    const title = textOf(item["title"]);
    const publishedAt = toIsoDate(textOf(item["dc:date"]));
    const html = rawBody(item["content:encoded"], "html") ?? rawBody(item["description"], "html");
    const author = authorFrom(textOf(first(item["dc:creator"])));
    return mention({ sourceId: about ?? url ?? fallbackId(title, publishedAt), url, title, body: html, publishedAt, author, lang, raw: item });
  });
}

// ── Atom (also Google Alerts and Reddit) ──────────────────────────────────────

function parseAtom(feed: Node, feedUrl: string): RawMention[] {
  const feedLang = attrOf(feed, "xml:lang");
  const feedAuthor = atomAuthor(feed);
  return asArray(feed["entry"]).filter(isNode).map((entry) => {
    const url = resolveUrl(atomLink(entry), feedUrl);
    const title = atomTitle(entry["title"]);
    const publishedAt = toIsoDate(textOf(entry["published"]) ?? textOf(entry["updated"]));
    const content = rawBody(entry["content"], "text") ?? rawBody(entry["summary"], "text");
    const author = atomAuthor(entry) ?? feedAuthor;
    const id = textOf(entry["id"]);
    const lang = attrOf(entry, "xml:lang") ?? feedLang;
    return mention({ sourceId: id ?? url ?? fallbackId(title, publishedAt), url, title, body: content, publishedAt, author, lang, raw: entry });
  });
}

/** The entry's page: rel="alternate" (the default rel), else the first link with an href. */
function atomLink(entry: Node): string | undefined {
  const links = asArray(entry["link"]);
  const alternate = links.find((l) => {
    const rel = attrOf(l, "rel");
    return (rel === undefined || rel === "alternate") && attrOf(l, "href");
  });
  const href = attrOf(alternate, "href") ?? links.map((l) => attrOf(l, "href")).find((h) => h !== undefined);
  return href === undefined ? undefined : unwrapRedirect(href);
}

/** Atom titles may be type="html" (Google Alerts bolds the matched words); the title is kept as plain text. */
function atomTitle(node: unknown): string | undefined {
  const value = textOf(node);
  if (value === undefined) return undefined;
  const type = attrOf(node, "type");
  return type === "html" || type === "xhtml" ? htmlToText(value) : value;
}

function atomAuthor(node: Node): RawMention["author"] | undefined {
  const author = asNode(first(node["author"]));
  return author ? authorFrom(textOf(author["name"])) : undefined;
}

// ── JSON Feed 1.x ─────────────────────────────────────────────────────────────

interface JsonFeedAuthor {
  name?: unknown;
}
interface JsonFeedItem {
  id?: unknown;
  url?: unknown;
  external_url?: unknown;
  title?: unknown;
  content_html?: unknown;
  content_text?: unknown;
  summary?: unknown;
  date_published?: unknown;
  date_modified?: unknown;
  author?: JsonFeedAuthor;
  authors?: unknown;
  language?: unknown;
}

function parseJsonFeed(body: string, feedUrl: string): RawMention[] {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (err) {
    throw new FeedParseError(`malformed JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!isNode(doc) || !Array.isArray(doc["items"])) {
    throw new FeedParseError("JSON document is not a JSON Feed (no \"items\" array)");
  }
  const feedLang = str(doc["language"]);
  const feedAuthor = jsonAuthor(doc as JsonFeedItem);
  return (doc["items"] as unknown[]).filter(isNode).map((node) => {
    const item = node as JsonFeedItem;
    const url = resolveUrl(str(item.url) ?? str(item.external_url), feedUrl);
    const title = str(item.title);
    const publishedAt = toIsoDate(str(item.date_published) ?? str(item.date_modified));
    const html = str(item.content_html);
    const text = html === undefined ? (str(item.content_text) ?? str(item.summary)) : undefined;
    const id = typeof item.id === "number" ? String(item.id) : str(item.id);
    return mention({
      sourceId: id ?? url ?? fallbackId(title, publishedAt),
      url,
      title,
      body: html !== undefined ? { html } : text !== undefined ? { text } : undefined,
      publishedAt,
      author: jsonAuthor(item) ?? feedAuthor,
      lang: str(item.language) ?? feedLang,
      raw: node,
    });
  });
}

function jsonAuthor(item: JsonFeedItem): RawMention["author"] | undefined {
  const authors = Array.isArray(item.authors) ? (item.authors as unknown[]) : [];
  const firstAuthor = authors.find(isNode) as JsonFeedAuthor | undefined;
  return authorFrom(str(firstAuthor?.name) ?? str(item.author?.name));
}

// ── shared helpers ────────────────────────────────────────────────────────────

interface MentionParts {
  sourceId: string;
  url: string | undefined;
  title: string | undefined;
  body: { html?: string; text?: string } | undefined;
  publishedAt: string | undefined;
  author: RawMention["author"] | undefined;
  lang: string | undefined;
  raw: unknown;
}

/** Builds the RawMention with only the fields that are known. */
function mention(p: MentionParts): RawMention {
  const m: RawMention = { source: SOURCE_KIND, sourceId: p.sourceId };
  if (p.url !== undefined) m.url = p.url;
  if (p.author !== undefined) m.author = p.author;
  if (p.title !== undefined) m.title = p.title;
  if (p.body?.html !== undefined) m.html = p.body.html;
  if (p.body?.text !== undefined) m.text = p.body.text;
  if (p.publishedAt !== undefined) m.publishedAt = p.publishedAt;
  if (p.lang !== undefined) m.lang = p.lang;
  m.raw = p.raw;
  return m;
}

/** Reddit names authors "/u/name"; the handle is the part after it. */
function authorFrom(name: string | undefined): RawMention["author"] | undefined {
  if (!name) return undefined;
  const reddit = /^\/?u\/([A-Za-z0-9_-]+)$/.exec(name);
  return reddit?.[1] ? { name, handle: reddit[1] } : { name };
}

/**
 * The markup of a stop node (kept raw by the parser). CDATA sections are taken
 * verbatim; escaped text (&lt;p&gt;) is decoded to the HTML it encodes; inline
 * XHTML is kept as markup. `defaultType` is the Atom meaning of a missing type:
 * Atom content without a type is plain text, RSS descriptions are HTML.
 */
function rawBody(node: unknown, defaultType: "html" | "text"): { html?: string; text?: string } | undefined {
  const raw = textOf(first(node));
  if (raw === undefined) return undefined;
  const type = attrOf(first(node), "type") ?? defaultType;
  let value: string;
  if (type === "xhtml") {
    value = raw.replace(/^\s*<div\b[^>]*>([\s\S]*)<\/div>\s*$/, "$1");
  } else {
    value = raw
      .split(/(<!\[CDATA\[[\s\S]*?\]\]>)/)
      .map((part) => {
        if (part.startsWith("<![CDATA[")) return part.slice(9, -3);
        // Raw elements in the body (legal XML, common in hand-made feeds) are markup already.
        return /<[A-Za-z/!?]/.test(part) ? part : decodeHTML(part);
      })
      .join("");
  }
  value = value.trim();
  if (value === "") return undefined;
  return type === "text" || type === "plain" || type === "text/plain" ? { text: value } : { html: value };
}

/** Google Alerts (and Google News) wrap the article in https://www.google.com/url?…&url=<article>. */
export function unwrapRedirect(href: string): string {
  let u: URL;
  try {
    u = new URL(href);
  } catch {
    return href;
  }
  if (/(^|\.)google\.[a-z.]{2,}$/i.test(u.hostname) && u.pathname === "/url") {
    const target = u.searchParams.get("url") ?? u.searchParams.get("q");
    if (target && /^https?:\/\//i.test(target)) return target;
  }
  return href;
}

function resolveUrl(href: string | undefined, base: string): string | undefined {
  if (!href) return undefined;
  try {
    const url = new URL(href, base);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** RFC 822 zone names V8's Date.parse does not know, seen in Polish and Russian feeds. */
const ZONE_OFFSETS: Readonly<Record<string, string>> = {
  CET: "+0100",
  CEST: "+0200",
  EET: "+0200",
  EEST: "+0300",
  MSK: "+0300",
  MSD: "+0400",
  BST: "+0100",
  IST: "+0530",
  UT: "+0000",
};

/** Any feed date → ISO-8601 UTC, or undefined when it cannot be read. */
export function toIsoDate(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  let ms = Date.parse(trimmed);
  if (Number.isNaN(ms)) {
    const zoned = trimmed.replace(/\b([A-Z]{2,4})$/, (zone) => ZONE_OFFSETS[zone] ?? zone);
    ms = Date.parse(zoned);
  }
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** An item with no id and no link still needs a stable id: a hash of what identifies it. */
function fallbackId(title: string | undefined, publishedAt: string | undefined): string {
  return `sha1:${createHash("sha1").update(`${title ?? ""}\n${publishedAt ?? ""}`).digest("hex").slice(0, 20)}`;
}

/**
 * A bare "&" (as in an unescaped URL query) is the commonest fault in real
 * feeds; it is escaped outside CDATA so the rest of the document can be read.
 */
function escapeBareAmpersands(xml: string): string {
  return xml
    .split(/(<!\[CDATA\[[\s\S]*?\]\]>)/)
    .map((part) => (part.startsWith("<![CDATA[") ? part : part.replace(/&(?!(?:[A-Za-z][A-Za-z0-9._-]*|#\d+|#x[0-9A-Fa-f]+);)/g, "&amp;")))
    .join("");
}

function htmlToText(html: string): string {
  let out = "";
  const parser = new HtmlParser({ ontext: (t) => (out += t) }, { decodeEntities: true });
  parser.write(html);
  parser.end();
  return out.replace(/\s+/g, " ").trim();
}

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function asNode(value: unknown): Node | undefined {
  return isNode(value) ? value : undefined;
}
function asArray(value: unknown): unknown[] {
  return value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
}
function first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}
function str(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const t = value.trim();
  return t === "" ? undefined : t;
}
/** The text of an element, whether it came as a bare string or as { "#text", attributes }. */
function textOf(node: unknown): string | undefined {
  const n = first(node);
  if (typeof n === "string") return str(n);
  if (typeof n === "number" || typeof n === "boolean") return String(n);
  if (isNode(n)) return str(n["#text"]);
  return undefined;
}
function attrOf(node: unknown, name: string): string | undefined {
  const n = first(node);
  return isNode(n) ? str(n[`@_${name}`]) : undefined;
}
