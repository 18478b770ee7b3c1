import { decodeHTML, decodeHTMLStrict } from "entities";
import { Parser } from "htmlparser2";
import type { RawMention } from "../../collectors/source";
import type { Mention } from "../mention";
import { ok, quarantine, type Verdict, type Warning } from "../verdict";

/** A mention cleaned but not yet matched to a brand or given a language. */
export type NormalizedMention = Omit<Mention, "brand" | "matchedTerms" | "lang">;

export interface NormalizeContext {
  /** Epoch ms of collection; stands in for a missing `publishedAt`. */
  now: number;
  maxTextChars: number;
}

const STAGE = "normalize";
/** Clock skew we accept before calling a date "in the future". */
const FUTURE_TOLERANCE_MS = 5 * 60_000;
/**
 * Epoch milliseconds below this (March 1973) are almost surely epoch seconds
 * sent by mistake; guessing would put the post at the wrong time, so it is quarantined.
 */
const MIN_EPOCH_MS = 100_000_000_000;
const MAX_ID_CHARS = 512;
const MAX_URL_CHARS = 4_096;
const MAX_HANDLE_CHARS = 256;
const MAX_CLAIMED_LANG_CHARS = 16;
/**
 * Larger counts are capped. Past 2^53 JSON writes a number as "1e+30", which
 * the UInt64 column refuses, and the refusal would hold up the whole batch.
 */
const MAX_FOLLOWERS = Number.MAX_SAFE_INTEGER;
/** HTML is fed to the parser in slices so a huge page stops costing work once enough text is in hand. */
const HTML_SLICE_CHARS = 65_536;

/** Elements whose content is never readable text. */
const SKIPPED_ELEMENTS = new Set(["script", "style", "noscript", "template", "iframe", "object"]);
/** Elements that end a line: their open and close tags become a newline. */
const BLOCK_ELEMENTS = new Set([
  "address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl", "dt", "figcaption", "figure",
  "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre",
  "section", "summary", "table", "tbody", "thead", "tfoot", "tr", "ul",
]);
/** Elements that separate words without ending a line. */
const SPACED_ELEMENTS = new Set(["td", "th", "img", "input", "button", "label", "option", "select", "textarea"]);

// C0 and C1 controls except tab and newline (which whitespace folding handles), DEL,
// the byte-order mark, the bidirectional overrides used to disguise text, and the
// invisible characters that split a word without showing: soft hyphen, zero-width
// space, the LRM/RLM/ALM direction marks, word joiner and invisible operators.
// "Lu\u200Bmio" reads as "Lumio" to a person and must match the brand "Lumio".
// The zero-width joiner and non-joiner (U+200C, U+200D) stay: they build emoji
// sequences and shape Persian or Indic script.
const CONTROL_CHARS =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u061C\u200B\u200E\u200F\u2060-\u2064\uFEFF\u202A-\u202E\u2066-\u2069]/g;
/** Unpaired UTF-16 halves: they cannot be encoded as UTF-8 and would corrupt the stored row. */
const LONE_SURROGATES = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const HORIZONTAL_SPACE = /[^\S\n]+/g;
const SPACE_AROUND_NEWLINES = / ?\n[\s]*/g;
const ISO_WITHOUT_ZONE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;
const DIGITS_ONLY = /^\d{1,16}$/;

/**
 * Turns what a source produced into a clean mention: a stable id, plain text
 * (title first, then the body), a parsed publication time and author fields
 * with defaults. Never throws: what it cannot use is quarantined with a reason.
 *
 * `text` is plain text and is never parsed as markup, so `<img onerror=…>` in it
 * stays as inert literal characters (the dashboard never renders mention text as
 * HTML). Only `html` is parsed. Entities are decoded in both, because APIs that
 * deliver "plain" text (Reddit, feeds' titles) routinely escape `&amp;`.
 */
export const normalize = (raw: RawMention, ctx: NormalizeContext): Verdict<NormalizedMention> => {
  try {
    return normalizeUnsafe(raw, ctx);
  } catch (error) {
    // A safety net for input no branch foresaw: the item is kept, not thrown.
    return quarantine(STAGE, "internal-error", raw, error);
  }
};

const normalizeUnsafe = (raw: RawMention, ctx: NormalizeContext): Verdict<NormalizedMention> => {
  // Sources are typed, but webhook and file imports carry whatever was posted.
  if (typeof raw !== "object" || raw === null) return quarantine(STAGE, "not-an-object", raw);
  const source = typeof raw.source === "string" ? raw.source.trim() : "";
  const sourceId =
    typeof raw.sourceId === "string" ? raw.sourceId.trim() : typeof raw.sourceId === "number" ? String(raw.sourceId) : "";
  if (source === "") return quarantine(STAGE, "missing-source", raw);
  if (sourceId === "") return quarantine(STAGE, "missing-source-id", raw);
  if (source.length > MAX_ID_CHARS || sourceId.length > MAX_ID_CHARS) return quarantine(STAGE, "id-too-long", raw);

  const warnings: Warning[] = [];
  const maxChars = Math.max(1, Math.floor(ctx.maxTextChars));

  const published = parsePublishedAt(raw.publishedAt, ctx.now);
  if (published.kind === "bad") return quarantine(STAGE, "bad-published-at", raw, published.detail);
  if (published.warning) warnings.push(published.warning);

  const title = typeof raw.title === "string" ? plainText(raw.title, maxChars) : EMPTY_CLEAN;
  let body = typeof raw.text === "string" ? plainText(raw.text, maxChars) : EMPTY_CLEAN;
  // Plain text wins when both are present: it is the source's own rendering and costs no parsing.
  if (body.text === "" && typeof raw.html === "string") body = htmlText(raw.html, maxChars);

  // The title leads the text because brand, language and sentiment are read from
  // `text` alone, and a headline often says more than the summary under it.
  let combined = body.text;
  if (title.text !== "" && !body.text.startsWith(title.text)) {
    combined = body.text === "" ? title.text : `${title.text}\n${body.text}`;
  }
  if (combined === "") return quarantine(STAGE, "empty-text", raw);
  const clipped = clip(combined, maxChars);
  if (title.clipped || body.clipped || clipped !== combined) {
    warnings.push({ type: "text-clipped", detail: `limit ${maxChars} chars` });
  }

  const author = typeof raw.author === "object" && raw.author !== null ? raw.author : undefined;
  const followers = author?.followers;
  const value: NormalizedMention = {
    id: `${source}:${sourceId}`,
    source,
    sourceId,
    url: httpUrl(raw.url),
    authorHandle: shortString(author?.handle, MAX_HANDLE_CHARS),
    authorName: shortString(author?.name, MAX_HANDLE_CHARS),
    authorFollowers:
      typeof followers === "number" && Number.isFinite(followers) && followers > 0 ? Math.min(Math.floor(followers), MAX_FOLLOWERS) : 0,
    title: title.text,
    text: clipped,
    publishedAt: published.at,
    collectedAt: ctx.now,
    claimedLang: shortString(raw.lang, MAX_CLAIMED_LANG_CHARS).toLowerCase(),
    rating: typeof raw.rating === "number" && raw.rating >= 1 && raw.rating <= 5 ? raw.rating : null,
  };
  return ok(value, warnings);
};

type Published = { kind: "ok"; at: number; warning?: Warning } | { kind: "bad"; detail: string };

const parsePublishedAt = (input: unknown, now: number): Published => {
  if (input === undefined || input === null || input === "") {
    return { kind: "ok", at: now, warning: { type: "no-published-at" } };
  }
  let at: number;
  if (typeof input === "number") {
    at = input;
  } else if (typeof input === "string") {
    const s = input.trim();
    if (DIGITS_ONLY.test(s)) at = Number(s);
    // A zone-less ISO time would be read in the machine's zone; sources mean UTC.
    else at = Date.parse(ISO_WITHOUT_ZONE.test(s) ? `${s.replace(" ", "T")}Z` : s);
  } else {
    return { kind: "bad", detail: `unexpected ${typeof input}` };
  }
  if (!Number.isFinite(at) || Number.isNaN(new Date(at).getTime())) return { kind: "bad", detail: "unparseable" };
  if (at < MIN_EPOCH_MS) return { kind: "bad", detail: "before 1973: epoch seconds instead of milliseconds?" };
  at = Math.floor(at);
  if (at > now + FUTURE_TOLERANCE_MS) {
    return { kind: "ok", at: now, warning: { type: "future-published-at", detail: new Date(at).toISOString() } };
  }
  return { kind: "ok", at };
};

interface Clean {
  text: string;
  clipped: boolean;
}
const EMPTY_CLEAN: Clean = { text: "", clipped: false };

/**
 * Plain text to clean text. Input far beyond the limit is cut before the regular
 * expressions run, so a 10 MB post costs no more than a long one.
 */
const plainText = (input: string, maxChars: number): Clean => {
  const budget = rawBudget(maxChars);
  const cut = input.length > budget;
  // Strict: in plain text "AT&T" or "a&notb" are words, not legacy entities without a semicolon.
  const text = cleanText(decodeHTMLStrict(cut ? input.slice(0, budget) : input));
  const clipped = clip(text, maxChars);
  return { text: clipped, clipped: cut || clipped !== text };
};

/**
 * Markup to clean text with htmlparser2: tags dropped, the content of scripts and
 * styles dropped, block elements turned into line breaks. Entities are left to
 * `entities` (decodeEntities: false) so the text is decoded exactly once.
 */
const htmlText = (html: string, maxChars: number): Clean => {
  const parts: string[] = [];
  let collected = 0;
  let skipDepth = 0;
  const parser = new Parser(
    {
      onopentagname(name) {
        if (SKIPPED_ELEMENTS.has(name)) skipDepth++;
        else if (BLOCK_ELEMENTS.has(name)) parts.push("\n");
        else if (SPACED_ELEMENTS.has(name)) parts.push(" ");
      },
      onclosetag(name) {
        if (SKIPPED_ELEMENTS.has(name)) skipDepth = Math.max(0, skipDepth - 1);
        else if (BLOCK_ELEMENTS.has(name)) parts.push("\n");
        else if (SPACED_ELEMENTS.has(name)) parts.push(" ");
      },
      ontext(data) {
        if (skipDepth > 0) return;
        parts.push(data);
        collected += data.length;
      },
    },
    { decodeEntities: false, lowerCaseTags: true },
  );
  const budget = rawBudget(maxChars);
  let cut = false;
  for (let i = 0; i < html.length; i += HTML_SLICE_CHARS) {
    if (collected > budget) {
      cut = true;
      break;
    }
    parser.write(html.slice(i, i + HTML_SLICE_CHARS));
  }
  parser.end();
  const joined = parts.join("");
  const text = cleanText(decodeHTML(joined.length > budget ? joined.slice(0, budget) : joined));
  const clipped = clip(text, maxChars);
  return { text: clipped, clipped: cut || joined.length > budget || clipped !== text };
};

/** Raw characters worth cleaning for a limit: folding whitespace rarely shrinks text more than fourfold. */
const rawBudget = (maxChars: number): number => maxChars * 4 + 1_024;

const cleanText = (s: string): string =>
  s
    .replace(LONE_SURROGATES, "")
    .normalize("NFC") // decomposed "a + ogonek" must match the lexicons' "ą"
    .replace(CONTROL_CHARS, "")
    .replace(/\r\n?/g, "\n")
    .replace(HORIZONTAL_SPACE, " ")
    .replace(SPACE_AROUND_NEWLINES, "\n")
    .trim();

/** Cuts at a code point boundary so an emoji is never split into a lone surrogate. */
const clip = (s: string, maxChars: number): string => {
  if (s.length <= maxChars) return s;
  let end = maxChars;
  const last = s.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return s.slice(0, end).trimEnd();
};

const shortString = (input: unknown, max: number): string => {
  if (typeof input !== "string") return "";
  return clip(cleanText(input.length > max * 4 ? input.slice(0, max * 4) : input), max);
};

/** Only http(s) URLs survive: a `javascript:` or `data:` link must never reach the dashboard. */
const httpUrl = (input: unknown): string => {
  if (typeof input !== "string" || input.length > MAX_URL_CHARS) return "";
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return "";
  }
  return url.protocol === "http:" || url.protocol === "https:" ? url.href : "";
};
