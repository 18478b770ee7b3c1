/**
 * Mention text made safe to lay out: it is untrusted, and in a PDF it is only
 * ever drawn as text, but control characters (C0/C1 other than the spaces
 * they stand for, bidi overrides, zero-width marks) could scramble the layout
 * or hide words, and a 5,000-character post would take over a page.
 */

// C0 and C1 controls, DEL, bidi embeddings/overrides/isolates, zero-width and BOM, line/paragraph separators.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;
const SPACES = /[\t\r\n\u2028\u2029]+/g;

/** One line of text: controls removed, breaks folded to spaces, clipped at `maxChars` (whole code points) with "…". */
export function cleanText(text: string, maxChars: number): string {
  const folded = text.replace(SPACES, " ").replace(CONTROL, "").replace(/ {2,}/g, " ").trim();
  const chars = Array.from(folded);
  return chars.length <= maxChars ? folded : `${chars.slice(0, maxChars - 1).join("").trimEnd()}…`;
}
