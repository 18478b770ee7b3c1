/**
 * Post text with its links spelled out. Bluesky clients shorten a link in the
 * text ("lumio.pl/aktualnosci/awar...") or hide it behind words ("на сайте")
 * and keep the full URL in a facet; the full URL carries the domain and the
 * article's slug, which brand matching reads.
 *
 * Facets index the text by UTF-8 BYTE offsets (byteStart inclusive, byteEnd
 * exclusive), not by JavaScript's UTF-16 indices: one Polish "ł" is two bytes,
 * a Cyrillic letter two, an emoji four. Slicing is done on the encoded bytes.
 */

const LINK_FEATURE = "app.bsky.richtext.facet#link";

interface LinkSpan {
  start: number;
  end: number;
  uri: string;
}

export function expandLinks(text: string, facets: unknown): string {
  if (!Array.isArray(facets) || facets.length === 0) return text;
  const bytes = new TextEncoder().encode(text);
  const links = facets
    .map((facet) => linkSpan(facet, bytes))
    .filter((span): span is LinkSpan => span !== undefined)
    .sort((a, b) => a.start - b.start);
  if (links.length === 0) return text;

  const decoder = new TextDecoder();
  let out = "";
  let at = 0;
  for (const link of links) {
    // Overlapping facets are malformed; the first one wins.
    if (link.start < at) continue;
    out += decoder.decode(bytes.subarray(at, link.start));
    out += spelledOut(decoder.decode(bytes.subarray(link.start, link.end)), link.uri);
    at = link.end;
  }
  return out + decoder.decode(bytes.subarray(at));
}

/** A link facet whose range lies inside the text on character boundaries, or undefined. */
function linkSpan(facet: unknown, bytes: Uint8Array): LinkSpan | undefined {
  if (!isNode(facet) || !isNode(facet["index"]) || !Array.isArray(facet["features"])) return undefined;
  const start = facet["index"]["byteStart"];
  const end = facet["index"]["byteEnd"];
  if (typeof start !== "number" || typeof end !== "number" || !Number.isSafeInteger(start) || !Number.isSafeInteger(end)) return undefined;
  if (start < 0 || end <= start || end > bytes.length || !isBoundary(bytes, start) || !isBoundary(bytes, end)) return undefined;
  for (const feature of facet["features"]) {
    if (!isNode(feature) || feature["$type"] !== LINK_FEATURE) continue;
    const uri = httpUrl(feature["uri"]);
    if (uri !== undefined) return { start, end, uri };
  }
  return undefined;
}

/**
 * The link as it should read: the full URL when the text showed a shortened
 * form of it, the words and the URL when the text showed something else.
 */
function spelledOut(shown: string, uri: string): string {
  if (shown === uri) return shown;
  const bare = (s: string) => s.replace(/^https?:\/\//i, "").replace(/^www\./i, "");
  const stem = bare(shown.trim().replace(/(\.\.\.|…)$/, ""));
  if (stem !== "" && bare(uri).toLowerCase().startsWith(stem.toLowerCase())) return uri;
  return `${shown} (${uri})`;
}

/** A UTF-8 continuation byte (10xxxxxx) is never the start of a character. */
function isBoundary(bytes: Uint8Array, index: number): boolean {
  return index === bytes.length || ((bytes[index] ?? 0) & 0xc0) !== 0x80;
}

function httpUrl(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? value : undefined;
  } catch {
    return undefined;
  }
}

function isNode(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
