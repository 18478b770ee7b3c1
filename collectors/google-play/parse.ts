import { placeItem, type PlacedItem, type ReadItem, type UnplacedItem } from "../placed-items";
import type { RawMention } from "../source";

/**
 * One reply of Google Play's web front end to the reviews call
 * (POST /_/PlayStoreUi/data/batchexecute, rpc "UsvDTd") → one page of
 * reviews. Pure: no I/O, no clock.
 *
 * Google publishes no reviews API for other people's apps; the web store
 * fetches them through this internal "batchexecute" endpoint. The format is
 * read the way google-play-scraper 10.1.3 reads it
 * (node_modules/google-play-scraper/lib/reviews.js: `html.substring(5)`,
 * `JSON.parse(input[0][2])`, reviews at data[0], the next-page token at
 * data[1][1], and the per-review mappings in getReviewsMappings()), checked
 * against the Python google-play-scraper (JoMingyu/google-play-scraper,
 * constants/element.py ElementSpecs.Review and constants/regex.py REVIEWS):
 *
 *   )]}'                                  anti-JSON-hijacking prefix
 *
 *   [["wrb.fr","UsvDTd","<payload as a JSON string>",null,null,null,"generic"],["di",…],["af.httprm",…]]
 *
 * payload = [[review, …], [null, "<next page token>"]]
 * review  = [id, [userName, [null, 2, null, [null, null, imageUrl]]], score 1–5, null, text,
 *            [seconds, nanos] (written or last edited), thumbsUp, [null, replyText, [seconds, nanos]] | null,
 *            null, null, appVersion, …]
 *
 * A failed call answers `["wrb.fr","UsvDTd",null,null,null,[code],"generic"]`
 * (a google.rpc status code: 5 NOT_FOUND for an unknown app) or, for a
 * request Google cannot read, `["er",null,null,null,null,400,…]`. These are
 * batchexecute's generic error envelopes; google-play-scraper only sees their
 * null payload, which it reads as "no reviews" (as we do when no code is
 * given). A blocked client gets an HTML page instead ("unusual traffic", a
 * captcha).
 */

export const SOURCE_KIND = "google-play";
/** The rpc id of the reviews call. */
export const REVIEWS_RPC = "UsvDTd";
/** Where people read a review; the request host may be a proxy. */
const PLAY_URL = "https://play.google.com";
/** The prefix Google puts before every batchexecute reply. */
const XSSI_PREFIX = ")]}'";
/** Google Play caps a review at 500 characters; ids are ~90 characters. Anything far longer is not a review. */
const MAX_ID_CHARS = 300;

/** Thrown for a reply that is not a readable batchexecute reviews answer. */
export class GooglePlayParseError extends Error {
  override readonly name = "GooglePlayParseError";
}
export const isGooglePlayParseError = (e: unknown): e is GooglePlayParseError => e instanceof Error && e.name === "GooglePlayParseError";

/** A review of a page; `at` is when it was written or last edited. */
export type ReviewEntry = PlacedItem;
export type SkippedReview = UnplacedItem;

export interface ReviewPage {
  kind: "page";
  /** In Google's order: newest first for sort "newest". */
  entries: ReviewEntry[];
  skipped: SkippedReview[];
  /** The continuation token for the next, older page; undefined on the last page. */
  nextToken: string | undefined;
}

/** The call failed on Google's side: a google.rpc status code in the envelope, or an "er" envelope with an HTTP-like status. */
export interface ReviewsRpcFailure {
  kind: "rpc-error";
  /** google.rpc.Code from a "wrb.fr" envelope (5 NOT_FOUND, 8 RESOURCE_EXHAUSTED …). */
  rpcCode: number | undefined;
  /** The status of an "er" envelope (400 …). */
  status: number | undefined;
}

/** An HTML page instead of a reply: Google's "unusual traffic" / captcha page, or another page when `captcha` is false. */
export interface BlockedPage {
  kind: "html";
  captcha: boolean;
}

export type ReviewsReply = ReviewPage | ReviewsRpcFailure | BlockedPage;

export interface ReplyContext {
  /** The app's package name, e.g. "com.lumio.app". */
  appId: string;
  /** The language asked for (hl): Google lists reviews written in it. */
  lang: string;
}

/** Words of Google's block page (/sorry/index): "Our systems have detected unusual traffic from your computer network", reCAPTCHA. */
const CAPTCHA_MARKERS = /unusual traffic|captcha|\/sorry\/|g-recaptcha|detected unusual/i;

export function parseReviewsReply(body: string, context: ReplyContext): ReviewsReply {
  const text = body.replace(/^\uFEFF/, "").trimStart();
  if (text === "") throw new GooglePlayParseError("the reply is empty");
  if (text.startsWith("<")) return { kind: "html", captcha: CAPTCHA_MARKERS.test(text.slice(0, 20_000)) };
  if (!text.startsWith(XSSI_PREFIX)) throw new GooglePlayParseError("not a batchexecute reply: it does not start with )]}'");
  const envelopes = readEnvelopes(text.slice(XSSI_PREFIX.length));

  const answer = envelopes.find((e) => e[0] === "wrb.fr" && e[1] === REVIEWS_RPC);
  if (answer === undefined) {
    const er = envelopes.find((e) => e[0] === "er");
    if (er !== undefined) return { kind: "rpc-error", rpcCode: undefined, status: typeof er[5] === "number" ? er[5] : undefined };
    throw new GooglePlayParseError(`the reply holds no ${REVIEWS_RPC} answer`);
  }
  const payloadText = answer[2];
  if (payloadText === null || payloadText === undefined) {
    const status = answer[5];
    const code = Array.isArray(status) && typeof status[0] === "number" ? status[0] : undefined;
    // No payload and no status: the library reads this as "no reviews", and so do we.
    if (code === undefined) return { kind: "page", entries: [], skipped: [], nextToken: undefined };
    return { kind: "rpc-error", rpcCode: code, status: undefined };
  }
  if (typeof payloadText !== "string") throw new GooglePlayParseError("the answer's payload is not a JSON string");
  let data: unknown;
  try {
    data = JSON.parse(payloadText);
  } catch (err) {
    throw new GooglePlayParseError(`the answer's payload is not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const page: ReviewPage = { kind: "page", entries: [], skipped: [], nextToken: undefined };
  if (data === null) return page;
  if (!Array.isArray(data)) throw new GooglePlayParseError("the answer's payload is not an array");
  const items: unknown = data[0];
  if (items !== null && items !== undefined && !Array.isArray(items)) throw new GooglePlayParseError("the reviews (payload[0]) are not a list");
  const more: unknown = data[1];
  if (Array.isArray(more) && typeof more[1] === "string" && more[1] !== "") page.nextToken = more[1];

  for (const item of items ?? []) {
    placeItem(readReview(item, context), page);
  }
  return page;
}

/**
 * The envelopes of a reply: one JSON array of them (the plain reply), or
 * length-prefixed chunks, one per line (the streaming `rt=c` form).
 */
function readEnvelopes(rest: string): unknown[][] {
  const chunks: unknown[] = [];
  const whole = tryJson(rest);
  if (whole.ok) chunks.push(whole.value);
  else {
    for (const line of rest.split("\n")) {
      const l = line.trim();
      if (l === "" || /^\d+$/.test(l)) continue;
      const chunk = tryJson(l);
      if (!chunk.ok) throw new GooglePlayParseError(`the reply is not JSON after )]}': ${chunk.error}`);
      chunks.push(chunk.value);
    }
  }
  const envelopes: unknown[][] = [];
  for (const chunk of chunks) {
    if (!Array.isArray(chunk)) throw new GooglePlayParseError("the reply is not a list of envelopes");
    for (const e of chunk) if (Array.isArray(e)) envelopes.push(e);
  }
  if (envelopes.length === 0) throw new GooglePlayParseError("the reply holds no envelopes");
  return envelopes;
}

function tryJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}


function readReview(item: unknown, { appId, lang }: ReplyContext): ReadItem {
  if (!Array.isArray(item)) return { mention: null, reason: "review is not a list" };
  const id = item[0];
  if (typeof id !== "string" || id.trim() === "" || id.length > MAX_ID_CHARS) return { mention: null, reason: "review without an id" };
  const at = timeOf(item[5]);
  if (at === undefined) return { id, mention: null, reason: "review without a readable date" };
  const score = item[2];
  if (typeof score !== "number" || !Number.isInteger(score) || score < 1 || score > 5) {
    return { id, at, mention: null, reason: `rating ${JSON.stringify(score ?? null)?.slice(0, 40)} is not 1–5` };
  }
  const body = typeof item[4] === "string" ? item[4].replace(/\r\n?/g, "\n").trim() : "";
  // A star rating without words has nothing to read for a listener; Google lists few of them.
  if (body === "") return { id, at, mention: null, reason: "review without text" };

  const mention: RawMention = {
    source: SOURCE_KIND,
    sourceId: `${appId}:${id}`,
    url: `${PLAY_URL}/store/apps/details?id=${encodeURIComponent(appId)}&reviewId=${encodeURIComponent(id)}`,
  };
  const user: unknown = item[1];
  const name = Array.isArray(user) && typeof user[0] === "string" && user[0].trim() !== "" ? user[0].trim() : undefined;
  // Google gives reviewers no stable public handle: the display name is all there is.
  if (name !== undefined) mention.author = { name };
  mention.text = body;
  mention.publishedAt = new Date(at).toISOString();
  mention.lang = lang;
  const thumbs = item[6];
  if (typeof thumbs === "number" && Number.isInteger(thumbs) && thumbs >= 0) mention.engagement = { likes: thumbs };
  mention.rating = score;
  // The developer's reply (item[7]) is the brand speaking, not a customer: it stays in raw as context and is not scored.
  mention.raw = item;
  return { id, at, mention };
}

/** The last millisecond a JS Date can hold; beyond it toISOString() throws. */
const MAX_DATE_MS = 8.64e15;

/**
 * [seconds, nanos] → epoch ms. (google-play-scraper glues the first three
 * digits of `nanos` to the seconds, which misreads nanos below 100,000,000;
 * the arithmetic here does not.)
 */
function timeOf(value: unknown): number | undefined {
  if (!Array.isArray(value)) return undefined;
  const [seconds, nanos] = value as unknown[];
  if (typeof seconds !== "number" || !Number.isFinite(seconds)) return undefined;
  const extra = typeof nanos === "number" && Number.isFinite(nanos) && nanos >= 0 && nanos < 1e9 ? Math.floor(nanos / 1e6) : 0;
  const ms = Math.floor(seconds) * 1000 + extra;
  return Math.abs(ms) <= MAX_DATE_MS ? ms : undefined;
}
