import { isUtf8 } from "node:buffer";
import iconv from "iconv-lite";
// csv-parse rather than splitting on the delimiter: quoted fields with the
// delimiter inside, "" escapes, line breaks inside quotes (multi-line posts in
// spreadsheet exports) and a UTF-8 BOM before the header are all RFC 4180 /
// Excel behaviour it already gets right. The framer below only decides where
// a row ends; csv-parse splits it into fields.
import { CsvError, parse as parseCsv } from "csv-parse/sync";
import type { RawMention } from "../source";
import { detectImportCharset, type ImportCharset } from "./import-charset";
import { keyOf, mapRecord, SOURCE_KIND, TEXT_KEYS } from "./map-record";
import { RecordFramer, type Frame } from "./record-framer";

export { SOURCE_KIND };

export type ImportFormat = "jsonl" | "csv";

/** A line (the first line of a CSV row) that could not be read, and why. Never holds the line's text. */
export interface ImportProblem {
  line: number;
  reason: string;
}

export interface ImportBatch {
  mentions: RawMention[];
  problems: ImportProblem[];
}

/**
 * What the parser makes of one record, with the absolute byte offset just past
 * it and the line the next record starts on: where a cursor can resume.
 */
export type ImportItem =
  | { kind: "mention"; mention: RawMention; end: number; nextLine: number }
  | { kind: "problem"; problem: ImportProblem; end: number; nextLine: number };

/** The longest record kept; a longer line is reported and skipped, so memory stays bounded. */
export const MAX_RECORD_BYTES = 1 << 20;

export interface ImportParserOptions {
  format: ImportFormat;
  charset: ImportCharset;
  maxRecordBytes?: number;
}

const DELIMITERS = [
  { char: ";", code: 0x3b },
  { char: ",", code: 0x2c },
  { char: "\t", code: 0x09 },
] as const;


/**
 * Reads an export incrementally: push() the file's bytes in chunks of any size,
 * then end(). Pure: no I/O and no clock; the same bytes give the same items
 * however they are chunked.
 *
 * A CSV file's first non-blank line is its header; its delimiter (";", "," or
 * tab) is the one that occurs most often in it. To continue a file where an
 * earlier read stopped, push the file from its start until `ready`, then
 * seek() to the stored offset and push from there.
 */
export class ImportParser {
  readonly format: ImportFormat;
  readonly charset: ImportCharset;
  readonly #max: number;
  readonly #utf8: boolean;
  #framer: RecordFramer | null = null;
  /** CSV before its header is read: bytes of the header line so far. */
  #head: Uint8Array = new Uint8Array(0);
  #headLine = 1;
  /** Absolute offset of the first byte in `#head`. */
  #offset = 0;
  #columns: string[] | null = null;
  #delimiter = ",";
  /** Set when the header makes the rows unreadable: the problem is reported once and the rows are passed over. */
  #unusable = false;

  constructor(options: ImportParserOptions) {
    this.format = options.format;
    this.charset = options.charset;
    this.#max = options.maxRecordBytes ?? MAX_RECORD_BYTES;
    this.#utf8 = /^utf-?8$/.test(options.charset.charset);
    if (options.format === "jsonl") this.#framer = this.#newFramer(0, 1);
  }

  /** True when the CSV header rules out every row: the rest of the file need not be read. */
  get unusable(): boolean {
    return this.#unusable;
  }

  /** True once records can be read: always for JSON Lines, after the header for CSV. */
  get ready(): boolean {
    return this.#framer !== null;
  }

  /** The CSV header as written in the file (null for JSON Lines or before it is read). */
  get columns(): readonly string[] | null {
    return this.#columns;
  }

  push(chunk: Uint8Array): ImportItem[] {
    if (this.#framer === null) return this.#pushHeader(chunk);
    return this.#items(this.#framer.push(chunk));
  }

  end(): ImportItem[] {
    if (this.#framer === null) {
      // A file with no line break after its header: only a header, or nothing at all.
      const items: ImportItem[] = [];
      if (decode(this.#head, this.charset).trim() !== "") this.#readHeader(this.#head, this.#headLine, items);
      this.#head = new Uint8Array(0);
      return items;
    }
    return this.#items(this.#framer.end());
  }

  /** Continues at `offset` (which starts `line`), dropping anything pushed but not yet read. */
  seek(offset: number, line: number): void {
    if (this.#framer === null) throw new Error("seek() before the CSV header was read");
    this.#framer = this.#newFramer(offset, line);
  }

  #newFramer(offset: number, line: number): RecordFramer {
    return new RecordFramer({
      format: this.format,
      unit: this.charset.unit,
      littleEndian: this.charset.littleEndian,
      delimiter: DELIMITERS.find((d) => d.char === this.#delimiter)?.code ?? 0x2c,
      maxRecordBytes: this.#max,
      offset,
      line,
    });
  }

  /** Collects the header line (skipping blank lines before it), then hands the rest to a framer. */
  #pushHeader(chunk: Uint8Array): ImportItem[] {
    const items: ImportItem[] = [];
    // The header is short: re-reading what is collected so far on each push costs nothing.
    let pending = this.#head.length === 0 ? chunk : concat(this.#head, chunk);
    this.#head = new Uint8Array(0);
    for (;;) {
      const lf = indexOfLf(pending, this.charset);
      if (lf < 0) {
        if (pending.length > this.#max) {
          items.push({ kind: "problem", problem: { line: this.#headLine, reason: `the header line is longer than ${this.#max} bytes` }, end: this.#offset + pending.length, nextLine: this.#headLine + 1 });
          // No row after a header that long can be read: the rest of the file is passed over.
          this.#unusable = true;
          this.#framer = this.#newFramer(this.#offset + pending.length, this.#headLine + 1);
          return items;
        }
        this.#head = pending;
        return items;
      }
      const lineEnd = lf + this.charset.unit;
      const header = pending.subarray(0, lineEnd);
      pending = pending.subarray(lineEnd);
      if (decode(header, this.charset).trim() === "") {
        this.#offset += lineEnd;
        this.#headLine++;
        continue;
      }
      this.#readHeader(header, this.#headLine, items);
      this.#framer = this.#newFramer(this.#offset + lineEnd, this.#headLine + 1);
      return pending.length > 0 ? [...items, ...this.#items(this.#framer.push(pending))] : items;
    }
  }

  #readHeader(bytes: Uint8Array, line: number, items: ImportItem[]): void {
    const text = stripLineEnd(decode(bytes, this.charset));
    this.#delimiter = sniffDelimiter(text);
    const fields = splitRow(text, this.#delimiter);
    const end = this.#offset + bytes.length;
    if (!Array.isArray(fields) || fields.length === 0) {
      this.#unusable = true;
      items.push({ kind: "problem", problem: { line, reason: `the header cannot be read: ${Array.isArray(fields) ? "no fields" : fields}` }, end, nextLine: line + 1 });
      return;
    }
    this.#columns = fields.map((f) => f.trim());
    if (!this.#columns.some((c) => TEXT_KEYS.has(keyOf(c)))) {
      this.#unusable = true;
      const found = this.#columns.slice(0, 12).map((c) => JSON.stringify(c.slice(0, 40))).join(", ");
      items.push({ kind: "problem", problem: { line, reason: `the header has no text column (text, content, message, body, html or title); found ${found}` }, end, nextLine: line + 1 });
    }
  }

  #items(frames: Frame[]): ImportItem[] {
    const items: ImportItem[] = [];
    for (const frame of frames) {
      const { line, end, nextLine } = frame;
      if (this.#unusable) continue;
      if (frame.kind === "too-long") {
        items.push({ kind: "problem", problem: { line, reason: `longer than ${this.#max} bytes; skipped` }, end, nextLine });
        continue;
      }
      if (frame.kind === "unclosed-quote") {
        items.push({ kind: "problem", problem: { line, reason: "a quoted field is not closed (a stray quote?); the line was skipped" }, end, nextLine });
        continue;
      }
      // UTF-8 is chosen from the file's start (or declared); a line that is not UTF-8
      // would decode to U+FFFD silently, so it is reported instead of kept garbled.
      if (this.#utf8 && !isUtf8(frame.bytes)) {
        const how = this.charset.from === "declared" ? "as declared" : "by its first bytes";
        items.push({ kind: "problem", problem: { line, reason: `not valid UTF-8 (the file is read as UTF-8 ${how}); the line was skipped: set the file's encoding, e.g. windows-1250 or windows-1251` }, end, nextLine });
        continue;
      }
      const text = decode(frame.bytes, this.charset);
      if (text.trim() === "") continue;
      const result = this.format === "jsonl" ? readJsonLine(text) : this.#readCsvRow(text);
      if ("reason" in result) items.push({ kind: "problem", problem: { line, reason: result.reason }, end, nextLine });
      else items.push({ kind: "mention", mention: result.mention, end, nextLine });
    }
    return items;
  }

  #readCsvRow(text: string): { mention: RawMention } | { reason: string } {
    const columns = this.#columns as string[];
    const fields = splitRow(text, this.#delimiter);
    if (!Array.isArray(fields)) return { reason: fields };
    // A trailing delimiter after the last field ("a;b;c;") adds an empty field some exporters write.
    if (fields.length === columns.length + 1 && fields[fields.length - 1] === "") fields.pop();
    if (fields.length !== columns.length) {
      return { reason: `${fields.length} fields where the header has ${columns.length} (an unquoted "${this.#delimiter === "\t" ? "\\t" : this.#delimiter}" in a field?)` };
    }
    // No prototype: a column named "__proto__" is just a column.
    const record = Object.create(null) as Record<string, string>;
    for (let i = 0; i < columns.length; i++) if (columns[i] !== "") record[columns[i] as string] = fields[i] as string;
    return mapRecord(record);
  }
}

/**
 * One JSON object per line. Error messages are built here rather than taken
 * from JSON.parse, whose messages quote the line's text (a post, possibly
 * private) into the log.
 */
function readJsonLine(text: string): { mention: RawMention } | { reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const at = /position (\d+)/.exec(err instanceof Error ? err.message : "");
    return { reason: `not valid JSON${at ? ` (near character ${Number(at[1]) + 1})` : ""}` };
  }
  if (Array.isArray(value)) {
    return { reason: "a JSON array, not one object per line (JSON Lines); convert the file with: jq -c '.[]' export.json > export.jsonl" };
  }
  if (typeof value !== "object" || value === null) return { reason: `a JSON ${value === null ? "null" : typeof value}, not an object` };
  return mapRecord(value as Record<string, unknown>);
}

const CSV_REASONS: Readonly<Record<string, string>> = {
  CSV_INVALID_CLOSING_QUOTE: "a closing quote is followed by other characters",
  CSV_QUOTE_NOT_CLOSED: "a quoted field is not closed",
  CSV_MAX_RECORD_SIZE: "a field is too long",
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: "a closing quote is followed by other characters",
};

/** The fields of one CSV row (csv-parse), or why it cannot be split. */
function splitRow(text: string, delimiter: string): string[] | string {
  let rows: string[][];
  try {
    rows = parseCsv(text, {
      delimiter,
      relax_quotes: true,
      relax_column_count: true,
      ltrim: true,
      bom: true,
      record_delimiter: ["\n"],
      max_record_size: MAX_RECORD_BYTES,
    }) as string[][];
  } catch (err) {
    const code = err instanceof CsvError ? err.code : "";
    return `the row cannot be split into fields: ${CSV_REASONS[code] ?? (code || "unreadable")}`;
  }
  if (rows.length !== 1) return "the row cannot be split into fields";
  return (rows[0] as string[]).map((f) => f.replace(/\r$/, ""));
}

/** The delimiter of a header line: whichever of ";", "," and tab it has most of, outside quotes. */
export function sniffDelimiter(header: string): string {
  const counts = new Map<string, number>();
  let inQuotes = false;
  for (const ch of header) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === ";" || ch === "," || ch === "\t")) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best = ",";
  let most = 0;
  for (const { char } of DELIMITERS) {
    const n = counts.get(char) ?? 0;
    if (n > most) {
      best = char;
      most = n;
    }
  }
  return best;
}

/**
 * The format of a file: by its extension (.jsonl, .ndjson, .json → JSON Lines;
 * .csv, .tsv, .txt → CSV), else by its first character ("{" or "[" → JSON Lines).
 */
export function detectFormat(fileName: string, head: Uint8Array, charset: ImportCharset): ImportFormat {
  const ext = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase();
  if (ext === "jsonl" || ext === "ndjson" || ext === "json") return "jsonl";
  if (ext === "csv" || ext === "tsv" || ext === "txt") return "csv";
  const start = decode(head.subarray(0, 256 - (256 % charset.unit)), charset).trimStart();
  return start.startsWith("{") || start.startsWith("[") ? "jsonl" : "csv";
}

/**
 * Parses a whole file held in memory: bytes (charset detected, see
 * detectImportCharset) or text already decoded.
 */
export function parseImport(
  input: Uint8Array | string,
  options: { fileName?: string; format?: ImportFormat; encoding?: string } = {},
): ImportBatch {
  const bytes = typeof input === "string" ? Buffer.from(input, "utf8") : input;
  const charset = typeof input === "string" ? detectImportCharset(bytes, true, "utf-8") : detectImportCharset(bytes, true, options.encoding);
  const format = options.format ?? detectFormat(options.fileName ?? "", bytes, charset);
  const parser = new ImportParser({ format, charset });
  const batch: ImportBatch = { mentions: [], problems: [] };
  for (const item of [...parser.push(bytes), ...parser.end()]) {
    if (item.kind === "mention") batch.mentions.push(item.mention);
    else batch.problems.push(item.problem);
  }
  return batch;
}

/**
 * Bytes of one record → text. Records are decoded one at a time with the
 * file's charset, found once from the file's start: decode-text's decodeText()
 * would look for a byte-order mark again in every record, and a windows-1251
 * row starting with "яю" (0xFF 0xFE) would pass for UTF-16.
 */
function decode(bytes: Uint8Array, charset: ImportCharset): string {
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), charset.charset);
}

function stripLineEnd(text: string): string {
  return text.replace(/\r?\n$/, "");
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Index of the first "\n" code unit in `bytes` (which start on a unit boundary), or -1. */
function indexOfLf(bytes: Uint8Array, charset: ImportCharset): number {
  if (charset.unit === 1) return bytes.indexOf(0x0a);
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    const code = charset.littleEndian ? (bytes[i] as number) | ((bytes[i + 1] as number) << 8) : ((bytes[i] as number) << 8) | (bytes[i + 1] as number);
    if (code === 0x0a) return i;
  }
  return -1;
}
