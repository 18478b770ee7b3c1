/**
 * Cuts the raw bytes of an import file into records, chunk by chunk, and says
 * where each one ends (an absolute byte offset a cursor can resume from) and on
 * which physical line it starts (for problem reports).
 *
 * It works on bytes rather than decoded text because only a byte offset lets a
 * later poll continue a file in windows-1251 or UTF-16 exactly where an earlier
 * one stopped. The characters it looks for ("\n", "\r", '"', the delimiter,
 * space) are ASCII, which in UTF-8 and the single-byte code pages never occur
 * inside another character; in UTF-16 they are whole 2-byte units.
 *
 * JSON Lines: a record is a line. CSV: a record ends at a line break outside
 * quotes, with RFC 4180 quoting as csv-parse reads it under `relax_quotes`
 * (a quote opens a quoted field only at the start of a field, `""` inside one
 * is a literal quote). Field splitting itself is left to csv-parse.
 *
 * Memory stays bounded: a record longer than `maxRecordBytes` is not kept. A
 * long line is skipped to its end; a quoted field still open after that many
 * bytes is taken as a stray quote, its line is reported and reading resumes on
 * the next line, so one bad quote costs one row, not the rest of the file.
 */

export type Frame =
  | { kind: "record"; line: number; end: number; nextLine: number; bytes: Uint8Array }
  /** A line longer than the limit, skipped. */
  | { kind: "too-long"; line: number; end: number; nextLine: number }
  /** A quote never closed within the limit (or before the end of the file): this line is skipped. */
  | { kind: "unclosed-quote"; line: number; end: number; nextLine: number };

export interface FramerOptions {
  format: "jsonl" | "csv";
  unit: 1 | 2;
  littleEndian: boolean;
  /** The CSV field delimiter as a code unit (0x3b ";", 0x2c ",", 0x09 tab). */
  delimiter?: number;
  maxRecordBytes: number;
  /** Absolute offset of the first byte that will be pushed. */
  offset: number;
  /** Physical line number (1-based) at `offset`. */
  line: number;
}

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const SPACE = 0x20;
const EMPTY = new Uint8Array(0);

export class RecordFramer {
  readonly #csv: boolean;
  readonly #unit: 1 | 2;
  readonly #le: boolean;
  readonly #delimiter: number;
  readonly #max: number;

  /** Pending bytes; `#buf[0]` is at absolute offset `#base`. */
  #buf: Uint8Array = EMPTY;
  #base: number;
  /** Start of the record being read, and the next byte to look at, as indexes into `#buf`. */
  #start = 0;
  #pos = 0;
  #recordLine: number;
  /** Line breaks seen inside the current record's quoted fields. */
  #innerLines = 0;

  #inQuotes = false;
  /** A quote was just read inside a quoted field: it closes the field unless another quote follows. */
  #quotePending = false;
  #fieldStart = true;

  /** Skipping the rest of a line that was too long; its record started on `#recordLine`. */
  #skipping = false;
  /** Line breaks inside quotes of the record being skipped, before the line that overflowed. */
  #skippedLines = 0;

  constructor(options: FramerOptions) {
    this.#csv = options.format === "csv";
    this.#unit = options.unit;
    this.#le = options.littleEndian;
    this.#delimiter = options.delimiter ?? -1;
    this.#max = options.maxRecordBytes;
    this.#base = options.offset;
    this.#recordLine = options.line;
  }

  /** Absolute offset just past the last byte pushed. */
  get received(): number {
    return this.#base + this.#buf.length;
  }

  /** Frames the records `chunk` completes. The framer may keep `chunk` itself: do not reuse its memory. */
  push(chunk: Uint8Array): Frame[] {
    const rest = this.#buf.subarray(this.#start);
    this.#base += this.#start;
    this.#pos -= this.#start;
    this.#start = 0;
    this.#buf = rest.length === 0 ? chunk : concat(rest, chunk);
    const frames: Frame[] = [];
    this.#scan(frames);
    return frames;
  }

  /** The last record, which has no line break after it, or what is left of a broken one. */
  end(): Frame[] {
    const frames: Frame[] = [];
    // A dangling odd byte of UTF-16 cannot be a line break: it stays in the last record.
    for (;;) {
      if (this.#skipping) {
        frames.push({ kind: "too-long", line: this.#recordLine, end: this.received, nextLine: this.#recordLine + 1 + this.#skippedLines });
        this.#skipping = false;
        this.#start = this.#pos = this.#buf.length;
        break;
      }
      if (this.#start >= this.#buf.length) break;
      if (this.#csv && this.#inQuotes && !this.#quotePending) {
        // The file ended inside a quoted field: the quote was a stray one.
        if (this.#resync(frames)) {
          this.#scan(frames);
          continue;
        }
        frames.push({ kind: "unclosed-quote", line: this.#recordLine, end: this.received, nextLine: this.#recordLine + 1 + this.#innerLines });
        this.#start = this.#pos = this.#buf.length;
        break;
      }
      frames.push(this.#record(this.#buf.length, this.#buf.length));
      this.#start = this.#pos = this.#buf.length;
      break;
    }
    return frames;
  }

  #code(i: number): number {
    const b = this.#buf;
    if (this.#unit === 1) return b[i] as number;
    return this.#le ? (b[i] as number) | ((b[i + 1] as number) << 8) : ((b[i] as number) << 8) | (b[i + 1] as number);
  }

  #scan(frames: Frame[]): void {
    const unit = this.#unit;
    while (this.#pos + unit <= this.#buf.length) {
      if (this.#skipping) {
        const lf = this.#findLf(this.#pos);
        if (lf < 0) {
          // Nothing of a skipped line is kept.
          this.#pos = this.#start = this.#alignedEnd();
          return;
        }
        this.#skipping = false;
        frames.push({ kind: "too-long", line: this.#recordLine, end: this.#base + lf + unit, nextLine: this.#recordLine + 1 + this.#skippedLines });
        this.#startRecord(lf + unit, this.#recordLine + 1 + this.#skippedLines);
        continue;
      }
      if (!this.#csv) {
        const lf = this.#findLf(this.#pos);
        if (lf < 0) {
          this.#pos = this.#alignedEnd();
          if (this.#pos - this.#start > this.#max) this.#overflow(frames);
          return;
        }
        if (lf - this.#start > this.#max) {
          frames.push({ kind: "too-long", line: this.#recordLine, end: this.#base + lf + unit, nextLine: this.#recordLine + 1 });
        } else {
          frames.push(this.#record(lf, lf + unit));
        }
        this.#startRecord(lf + unit, this.#recordLine + 1);
        continue;
      }
      this.#scanCsvUnit(frames);
      if (this.#pos - this.#start > this.#max) this.#overflow(frames);
    }
  }

  /** The end of the buffer, less a dangling half of a UTF-16 unit. */
  #alignedEnd(): number {
    return this.#buf.length - ((this.#buf.length - this.#start) % this.#unit);
  }

  #scanCsvUnit(frames: Frame[]): void {
    const i = this.#pos;
    const c = this.#code(i);
    this.#pos = i + this.#unit;
    if (this.#inQuotes) {
      if (this.#quotePending) {
        this.#quotePending = false;
        if (c === QUOTE) return; // "" is a literal quote
        this.#inQuotes = false; // the quote closed the field; c is read outside quotes below
      } else {
        if (c === QUOTE) this.#quotePending = true;
        else if (c === LF) this.#innerLines++;
        return;
      }
    }
    if (c === LF) {
      frames.push(this.#record(i, i + this.#unit));
      this.#startRecord(i + this.#unit, this.#recordLine + 1 + this.#innerLines);
    } else if (c === QUOTE && this.#fieldStart) {
      this.#inQuotes = true;
      this.#fieldStart = false;
    } else if (c === this.#delimiter) {
      this.#fieldStart = true;
    } else if (c !== SPACE && c !== CR) {
      // Spaces before an opening quote are allowed (csv-parse runs with ltrim).
      this.#fieldStart = false;
    }
  }

  /** The current record passed the limit. */
  #overflow(frames: Frame[]): void {
    if (this.#csv && this.#inQuotes && this.#resync(frames)) return;
    // One physical line too long: drop it and skip to its end.
    this.#skipping = true;
    this.#skippedLines = this.#innerLines;
    this.#innerLines = 0;
    this.#start = this.#pos;
  }

  /**
   * Takes the open quote of the current record for a stray one: reports the
   * record's first line and restarts reading on the line after it. False when
   * that line has no end in the buffer (it is itself too long).
   */
  #resync(frames: Frame[]): boolean {
    const lf = this.#findLf(this.#start);
    if (lf < 0 || lf >= this.#pos) return false;
    frames.push({ kind: "unclosed-quote", line: this.#recordLine, end: this.#base + lf + this.#unit, nextLine: this.#recordLine + 1 });
    this.#startRecord(lf + this.#unit, this.#recordLine + 1);
    return true;
  }

  #startRecord(at: number, line: number): void {
    this.#start = this.#pos = at;
    this.#recordLine = line;
    this.#innerLines = 0;
    this.#skippedLines = 0;
    this.#inQuotes = false;
    this.#quotePending = false;
    this.#fieldStart = true;
  }

  /** A record ending before `contentEnd` (its line break, if any, ends at `end`). */
  #record(contentEnd: number, end: number): Frame {
    let stop = contentEnd;
    if (stop - this.#start >= this.#unit && this.#code(stop - this.#unit) === CR) stop -= this.#unit;
    return {
      kind: "record",
      line: this.#recordLine,
      end: this.#base + end,
      nextLine: this.#recordLine + 1 + this.#innerLines,
      // A copy, so the chunk it came from can be let go.
      bytes: this.#buf.slice(this.#start, stop),
    };
  }

  /** Index of the next "\n" unit at or after `from` (aligned to the unit from the record start), or -1. */
  #findLf(from: number): number {
    if (this.#unit === 1) return this.#buf.indexOf(LF, from);
    const aligned = from + ((from - this.#start) & 1);
    for (let i = aligned; i + 1 < this.#buf.length; i += 2) if (this.#code(i) === LF) return i;
    return -1;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
