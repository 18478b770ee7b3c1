import { isUtf8 } from "node:buffer";
import { detectCharset, normalizeCharset } from "../decode-text";

/**
 * The charset of an import file, and the width of its code units, which the
 * record framer needs to find line breaks and quotes in the raw bytes.
 */
export interface ImportCharset {
  /** An iconv-lite name, e.g. "utf-8", "windows-1251", "utf-16le". */
  charset: string;
  /** Bytes per code unit: 2 for UTF-16, 1 for UTF-8 and the single-byte code pages. */
  unit: 1 | 2;
  /** Byte order of a 2-byte unit. */
  littleEndian: boolean;
  /** How the charset was chosen, for the log. */
  from: "declared" | "bom" | "nul-bytes" | "utf-8" | "cyrillic-bytes" | "latin-bytes";
}

/** Bytes from the start of a file that are enough to judge its charset. */
export const CHARSET_SNIFF_BYTES = 1 << 20;

/**
 * Why a declared charset is refused: the framer finds line breaks by their
 * code unit, and a UTF-32 "\n" is four bytes wide.
 */
export class UnsupportedCharsetError extends Error {
  override readonly name = "UnsupportedCharsetError";
}

/**
 * Picks the charset of an import file from its first bytes (`head`), in order:
 * 1. `declared`, the `encoding` the user configured, which always wins;
 * 2. a byte-order mark (via decode-text's detectCharset, shared with the HTTP client);
 * 3. NUL bytes at every other position: UTF-16 saved without a BOM;
 * 4. valid UTF-8, which also covers plain ASCII;
 * 5. otherwise a legacy Windows code page, windows-1251 (Russian) or
 *    windows-1250 (Polish), told apart by which high bytes occur and how they
 *    sit (see looksCyrillic).
 * Files in other code pages (ISO-8859-2, KOI8-R) need `declared`.
 *
 * `complete` says whether `head` is the whole file; when it is only the start,
 * a multi-byte UTF-8 character cut at its end does not count against UTF-8.
 */
export function detectImportCharset(head: Uint8Array, complete: boolean, declared?: string): ImportCharset {
  if (declared !== undefined) {
    const name = normalizeCharset(declared);
    if (name === null) throw new UnsupportedCharsetError(`unknown encoding "${declared}"`);
    if (/^(utf-?32|ucs-?4)/.test(name)) throw new UnsupportedCharsetError(`encoding "${declared}" is not supported: use UTF-8 or UTF-16`);
    if (isGenericUtf16(name)) return utf16(utf16OrderOf(head) ?? "le", "declared");
    if (name.startsWith("utf-16") || name.startsWith("utf16")) return utf16(/be$/.test(name) ? "be" : "le", "declared");
    return { charset: name, unit: 1, littleEndian: true, from: "declared" };
  }
  const bom = detectCharset(head.subarray(0, 4), "text/plain");
  if (bom.from === "bom") {
    return bom.charset === "utf-16le" ? utf16("le", "bom") : bom.charset === "utf-16be" ? utf16("be", "bom") : single(bom.charset, "bom");
  }
  const order = utf16OrderOf(head);
  if (order !== null) return utf16(order, "nul-bytes");
  if (isUtf8(complete ? head : withoutCutCharacter(head))) return single("utf-8", "utf-8");
  return looksCyrillic(head) ? single("windows-1251", "cyrillic-bytes") : single("windows-1250", "latin-bytes");
}

const isGenericUtf16 = (name: string) => name === "utf-16" || name === "utf16" || name === "ucs-2" || name === "ucs2" || name === "unicode";

function utf16(order: "le" | "be", from: ImportCharset["from"]): ImportCharset {
  return { charset: order === "le" ? "utf-16le" : "utf-16be", unit: 2, littleEndian: order === "le", from };
}
function single(charset: string, from: ImportCharset["from"]): ImportCharset {
  return { charset, unit: 1, littleEndian: true, from };
}

/**
 * UTF-16 by its NUL bytes: text files in any other encoding have none, while
 * the ASCII part of UTF-16 text (digits, separators, Latin letters) has a NUL
 * in every high byte. The side the NULs are on gives the byte order.
 */
function utf16OrderOf(head: Uint8Array): "le" | "be" | null {
  const bom = detectCharset(head.subarray(0, 2), "text/plain");
  if (bom.charset === "utf-16le" && bom.from === "bom") return "le";
  if (bom.charset === "utf-16be" && bom.from === "bom") return "be";
  const n = Math.min(head.length, 8192) & ~1;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenNul++;
    if (head[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  if (oddNul >= pairs / 8 && evenNul * 8 <= oddNul) return "le";
  if (evenNul >= pairs / 8 && oddNul * 8 <= evenNul) return "be";
  return null;
}

/** `head` without a UTF-8 sequence cut off by the end of the sniffed bytes. */
function withoutCutCharacter(head: Uint8Array): Uint8Array {
  for (let back = 1; back <= 3 && back <= head.length; back++) {
    const byte = head[head.length - back] as number;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: keep looking for its lead
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? head.subarray(0, head.length - back) : head;
  }
  return head;
}

/**
 * Russian in windows-1251 is whole words of letters at 0xC0–0xFF (and Ё/ё at
 * 0xA8/0xB8), so nearly every high byte is such a letter with another high
 * byte beside it. Polish in windows-1250 has its commonest accented letters
 * (ł ą ż ś ź) at 0x80–0xBF, and mostly one accented letter between ASCII ones.
 * Both signs must point to Cyrillic: a lone "ó" (0xF3) in Polish text passes
 * the first and fails the second, "żółć" passes the second and fails the first.
 */
function looksCyrillic(head: Uint8Array): boolean {
  let high = 0;
  let letters = 0;
  let paired = 0;
  const n = Math.min(head.length, 65_536);
  for (let i = 0; i < n; i++) {
    const b = head[i] as number;
    if (b < 0x80) continue;
    high++;
    if (b >= 0xc0 || b === 0xa8 || b === 0xb8) letters++;
    if ((i > 0 && (head[i - 1] as number) >= 0x80) || (i + 1 < n && (head[i + 1] as number) >= 0x80)) paired++;
  }
  return high > 0 && letters / high >= 0.8 && paired / high > 0.5;
}
