import iconv from "iconv-lite";

/**
 * Bytes → text for feeds and pages that arrive in windows-1251, KOI8-R,
 * ISO-8859-2, UTF-16 … The charset is taken from, in order: a byte-order mark,
 * the Content-Type header, the XML prolog (`<?xml … encoding="…"?>`), an HTML
 * `<meta charset>`, and finally UTF-8. Node's own decoders know none of the
 * Cyrillic or Central-European code pages, so iconv-lite does the decoding.
 */

export type CharsetSource = "bom" | "header" | "xml-prolog" | "html-meta" | "default";

export interface DecodedText {
  text: string;
  /** The iconv-lite name the bytes were decoded with, e.g. "windows-1251". */
  charset: string;
  /** Where that charset came from. */
  from: CharsetSource;
}

/** How far into the body a prolog or <meta charset> is looked for (HTML's own pre-scan uses 1024). */
const SNIFF_BYTES = 1024;
const DEFAULT_CHARSET = "utf-8";

/**
 * Labels browsers read differently from their literal meaning (WHATWG Encoding):
 * a page labelled ISO-8859-1 or ASCII is decoded as windows-1252, whose 0x80–0x9F
 * are curly quotes and dashes rather than control characters.
 */
const LABEL_ALIASES: Readonly<Record<string, string>> = {
  "iso-8859-1": "windows-1252",
  "iso8859-1": "windows-1252",
  latin1: "windows-1252",
  "us-ascii": "windows-1252",
  ascii: "windows-1252",
  "x-cp1251": "windows-1251",
  "x-cp1250": "windows-1250",
};

/** The iconv-lite name for a charset label, or null when the label is unknown. */
export function normalizeCharset(label: string | undefined | null): string | null {
  if (!label) return null;
  const lower = label.trim().replace(/^["']|["']$/g, "").toLowerCase();
  if (lower === "") return null;
  const name = LABEL_ALIASES[lower] ?? lower;
  return iconv.encodingExists(name) ? name : null;
}

function charsetFromBom(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return "utf-8";
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  return null;
}

/** The `charset` parameter of a Content-Type header value. */
export function charsetFromContentType(contentType: string | undefined): string | null {
  if (!contentType) return null;
  const match = /;\s*charset\s*=\s*("[^"]*"|[^;\s]*)/i.exec(contentType);
  return match?.[1] ? match[1].replace(/"/g, "") : null;
}

const isUtf16 = (charset: string) => charset.startsWith("utf-16") || charset === "utf16" || charset === "ucs-2";

function charsetFromXmlProlog(bytes: Uint8Array): string | null {
  // UTF-16 without a BOM still shows its width in the first bytes of "<?xml".
  if (bytes[0] === 0x3c && bytes[1] === 0x00 && bytes[2] === 0x3f && bytes[3] === 0x00) return "utf-16le";
  if (bytes[0] === 0x00 && bytes[1] === 0x3c && bytes[2] === 0x00 && bytes[3] === 0x3f) return "utf-16be";
  const head = Buffer.from(bytes.subarray(0, SNIFF_BYTES)).toString("latin1");
  const match = /^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  const label = normalizeCharset(match?.[1]);
  // The prolog was readable as single bytes, so a UTF-16 claim in it is wrong.
  return label && !isUtf16(label) ? label : null;
}

function looksLikeHtml(bytes: Uint8Array, contentType: string | undefined): boolean {
  if (contentType && /html/i.test(contentType)) return true;
  const head = Buffer.from(bytes.subarray(0, 256)).toString("latin1").trimStart().toLowerCase();
  return head.startsWith("<!doctype html") || head.startsWith("<html");
}

function charsetFromHtmlMeta(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.subarray(0, SNIFF_BYTES)).toString("latin1");
  // Covers both <meta charset="…"> and <meta http-equiv="Content-Type" content="text/html; charset=…">.
  const match = /<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)/i.exec(head);
  const label = normalizeCharset(match?.[1]);
  // HTML: a <meta> that says UTF-16 was read as ASCII, so it means UTF-8.
  return label && isUtf16(label) ? DEFAULT_CHARSET : label;
}

/** Picks the charset of a body; see the module comment for the order. */
export function detectCharset(bytes: Uint8Array, contentType?: string): { charset: string; from: CharsetSource } {
  const bom = charsetFromBom(bytes);
  if (bom) return { charset: bom, from: "bom" };
  const header = normalizeCharset(charsetFromContentType(contentType));
  if (header) return { charset: header, from: "header" };
  const prolog = charsetFromXmlProlog(bytes);
  if (prolog) return { charset: prolog, from: "xml-prolog" };
  if (looksLikeHtml(bytes, contentType)) {
    const meta = charsetFromHtmlMeta(bytes);
    if (meta) return { charset: meta, from: "html-meta" };
  }
  return { charset: DEFAULT_CHARSET, from: "default" };
}

/** Decodes a body to text; a BOM is removed, invalid sequences become U+FFFD. */
export function decodeText(bytes: Uint8Array, contentType?: string): DecodedText {
  const { charset, from } = detectCharset(bytes, contentType);
  return { text: iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), charset), charset, from };
}
