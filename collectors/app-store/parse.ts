import { placeItem, type PlacedItem, type ReadItem, type UnplacedItem } from "../placed-items";
import { decodeHTML } from "entities";
import { XMLParser, XMLValidator, type EntityDecoderOptions } from "fast-xml-parser";
import type { RawMention } from "../source";

/**
 * One page of the App Store's customer reviews feed, XML flavour
 * (…/rss/customerreviews/page=N/id=APP/sortby=mostrecent/xml) → reviews.
 * Pure: no I/O, no clock.
 *
 * The XML flavour is read because it dates each review (<updated>); the JSON
 * flavour of the same feed does not. Each review is an Atom <entry> with
 * <im:rating>; older feeds open page 1 with an entry for the app itself,
 * which has no rating and is left out.
 */

export const SOURCE_KIND = "app-store";

/** Reviews per page of the feed; a shorter page is the last one. */
export const REVIEWS_PER_PAGE = 50;

/** Thrown for a document that is not a readable reviews feed. */
export class AppStoreParseError extends Error {
  override readonly name = "AppStoreParseError";
}
export const isAppStoreParseError = (e: unknown): e is AppStoreParseError => e instanceof Error && e.name === "AppStoreParseError";

/** A review of the feed; `id` is the review's own id (without the app id), `at` its <updated>: written or last edited. */
export type ReviewEntry = PlacedItem;
export type SkippedReview = UnplacedItem;

export interface ReviewPage {
  /** Newest first, as the feed lists them. */
  entries: ReviewEntry[];
  skipped: SkippedReview[];
  /** Review entries on the page, skipped ones included (the app's own entry is not one): a full page has REVIEWS_PER_PAGE. */
  reviewCount: number;
}

export interface FeedContext {
  appId: string;
  /** The storefront, lower case: "pl", "us". */
  country: string;
}

/** Storefronts whose reviews are written in one language nearly always; elsewhere detection decides. */
const STOREFRONT_LANG: Readonly<Record<string, string>> = { pl: "pl", ru: "ru" };

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
  // Review ids and versions stay strings: "4.10" must not become 4.1.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  // The full HTML entity set (&nbsp; appears in review text); entities
  // declared in a DOCTYPE are not expanded, which shuts out entity bombs.
  entityDecoder: HTML_ENTITY_DECODER,
  removeNSPrefix: false,
  isArray: (name) => name === "entry" || name === "link" || name === "content" || name === "author",
});

type Node = Record<string, unknown>;

export function parseReviewFeed(text: string, context: FeedContext): ReviewPage {
  const body = text.replace(/^\uFEFF/, "").trimStart();
  if (body === "") throw new AppStoreParseError("the document is empty");
  if (body.startsWith("{") || body.startsWith("[")) throw new AppStoreParseError("got JSON, expected the XML feed (is the URL's last segment /xml?)");
  if (/^(<!--[\s\S]*?-->\s*)*<(!doctype\s+html|html)\b/i.test(body)) throw new AppStoreParseError("got an HTML page, not the reviews feed");
  const valid = XMLValidator.validate(body);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    throw new AppStoreParseError(`malformed XML at line ${line}, column ${col}: ${msg}`);
  }
  let doc: unknown;
  try {
    doc = xmlParser.parse(body);
  } catch (err) {
    throw new AppStoreParseError(`unreadable XML: ${err instanceof Error ? err.message : String(err)}`);
  }
  const feed = isNode(doc) ? doc["feed"] : undefined;
  if (!isNode(feed)) {
    const root = isNode(doc) ? (Object.keys(doc).find((k) => !k.startsWith("?") && !k.startsWith("!")) ?? "nothing") : "nothing";
    throw new AppStoreParseError(`not a reviews feed: the root element is <${root}>, expected <feed>`);
  }

  const page: ReviewPage = { entries: [], skipped: [], reviewCount: 0 };
  for (const entry of asArray(feed["entry"])) {
    const read = readEntry(entry, context);
    if (read === "app") continue;
    page.reviewCount++;
    placeItem(read, page);
  }
  return page;
}

/** "app": the feed's first entry describes the app itself, not a review. */
type ReadEntry = "app" | ReadItem;

function readEntry(entry: unknown, { appId, country }: FeedContext): ReadEntry {
  if (!isNode(entry)) return { mention: null, reason: "entry is not an element with children" };
  const ratingText = textOf(entry["im:rating"]);
  // The app's own entry (older feeds, first on page 1) has a name and no rating.
  if (ratingText === undefined && entry["im:name"] !== undefined) return "app";
  const id = textOf(entry["id"]);
  if (id === undefined || !/^\d{1,20}$/.test(id)) return { mention: null, reason: "review without a numeric id" };
  const at = dateOf(textOf(entry["updated"]));
  if (at === undefined) return { mention: null, reason: "review without a readable <updated> date", id };
  const rating = ratingText !== undefined && /^[1-5]$/.test(ratingText) ? Number(ratingText) : undefined;
  if (rating === undefined) return { mention: null, reason: `rating ${JSON.stringify(ratingText ?? null)} is not 1–5`, id, at };
  const title = textOf(entry["title"]);
  const text = plainContent(entry["content"]);
  if (title === undefined && text === undefined) return { mention: null, reason: "review without a title or text", id, at };

  const mention: RawMention = { source: SOURCE_KIND, sourceId: `${appId}:${id}`, url: relatedLink(entry["link"]) ?? appPage(appId, country) };
  const author = authorOf(entry["author"]);
  if (author !== undefined) mention.author = author;
  if (title !== undefined) mention.title = title;
  if (text !== undefined) mention.text = text;
  mention.publishedAt = new Date(at).toISOString();
  const lang = STOREFRONT_LANG[country];
  if (lang !== undefined) mention.lang = lang;
  // voteSum counts the "helpful" votes; voteCount (all votes) stays in raw.
  const helpful = textOf(entry["im:voteSum"]);
  if (helpful !== undefined && /^\d{1,9}$/.test(helpful)) mention.engagement = { likes: Number(helpful) };
  mention.rating = rating;
  mention.raw = entry;
  return { id, at, mention };
}

/** The <content type="text"> body; the type="html" twin is Apple's table around the same words. */
function plainContent(contents: unknown): string | undefined {
  const list = asArray(contents);
  const plain = list.find((c) => attrOf(c, "type") === "text") ?? list.find((c) => attrOf(c, "type") === undefined);
  const text = textOf(plain);
  return text?.replace(/\r\n?/g, "\n");
}

/** <link rel="related">: the app's reviews page on that storefront (Apple gives no page per review). */
function relatedLink(links: unknown): string | undefined {
  for (const link of asArray(links)) {
    if (attrOf(link, "rel") !== "related") continue;
    const href = attrOf(link, "href");
    if (href !== undefined && /^https?:\/\//i.test(href)) return href;
  }
  return undefined;
}

function appPage(appId: string, country: string): string {
  return `https://apps.apple.com/${encodeURIComponent(country)}/app/id${encodeURIComponent(appId)}`;
}

/** <author><name>nickname</name><uri>…/reviews/id123</uri></author>: the nickname, and the reviewer id as the handle. */
function authorOf(authors: unknown): RawMention["author"] | undefined {
  const author = asArray(authors).find(isNode);
  if (author === undefined) return undefined;
  const name = textOf(author["name"]);
  const reviewer = /\/reviews\/(id\d+)/.exec(textOf(author["uri"]) ?? "")?.[1];
  if (name === undefined && reviewer === undefined) return undefined;
  const out: NonNullable<RawMention["author"]> = {};
  if (reviewer !== undefined) out.handle = reviewer;
  if (name !== undefined) out.name = name;
  return out;
}

/** The last millisecond a JS Date can hold; beyond it toISOString() throws. */
const MAX_DATE_MS = 8.64e15;

function dateOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_DATE_MS ? ms : undefined;
}

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function asArray(value: unknown): unknown[] {
  return value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
}
/** The text of an element, whether it came as a bare string or as { "#text", attributes }. */
function textOf(node: unknown): string | undefined {
  const n = Array.isArray(node) ? node[0] : node;
  const raw = typeof n === "string" ? n : typeof n === "number" || typeof n === "boolean" ? String(n) : isNode(n) && typeof n["#text"] === "string" ? n["#text"] : undefined;
  if (raw === undefined) return undefined;
  const t = raw.trim();
  return t === "" ? undefined : t;
}
function attrOf(node: unknown, name: string): string | undefined {
  const n = Array.isArray(node) ? node[0] : node;
  if (!isNode(n)) return undefined;
  const v = n[`@_${name}`];
  return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
}
