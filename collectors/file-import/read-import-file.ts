import { constants } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { basename } from "node:path";
import { CHARSET_SNIFF_BYTES, detectImportCharset, type ImportCharset } from "./import-charset";
import { ImportFileError, isImportFileError } from "./import-file-error";
import { detectFormat, ImportParser, type ImportBatch, type ImportFormat, type ImportItem } from "./parse";

/**
 * Streams an import file from disk through the ImportParser. Memory is bounded
 * whatever the file's size: it is read 64 KiB at a time and a record is at most
 * MAX_RECORD_BYTES, so there is no file-size cap.
 */

export const CHUNK_BYTES = 64 * 1024;
export const DEFAULT_BATCH_SIZE = 1_000;

export interface ImportSetup {
  format: ImportFormat;
  charset: ImportCharset;
}

export interface ImportFileOptions {
  /** Default: by the file's extension, else by its first character. */
  format?: ImportFormat | undefined;
  /** Charset label when the bytes cannot tell (e.g. "windows-1250"). Default: detected. */
  encoding?: string | undefined;
}

/** Reads the start of an open file and settles its format and charset. */
export async function inspectImport(handle: FileHandle, name: string, size: number, options: ImportFileOptions): Promise<ImportSetup> {
  const want = Math.min(size, CHARSET_SNIFF_BYTES);
  const head = Buffer.alloc(want);
  let got = 0;
  while (got < want) {
    const { bytesRead } = await handle.read(head, got, want - got, got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  const bytes = head.subarray(0, got);
  let charset: ImportCharset;
  try {
    charset = detectImportCharset(bytes, got >= size, options.encoding);
  } catch (err) {
    throw new ImportFileError(name, err instanceof Error ? err.message : String(err), { cause: err });
  }
  return { format: options.format ?? detectFormat(name, bytes, charset), charset };
}

export interface ReadFrom {
  /** Absolute byte offset of a record start (0 for the file's start). */
  offset: number;
  /** The line that record starts on. */
  line: number;
}

/**
 * The items of a file from `from` on, one array per chunk read. To continue a
 * CSV file, its header is read again first (it is short and the cursor stays
 * small). Reading stops at `limit` bytes (the size the file had when it was
 * listed) so what is read is what the listing's key describes.
 */
export async function* importItems(
  handle: FileHandle,
  setup: ImportSetup,
  from: ReadFrom,
  options: { signal?: AbortSignal | undefined; limit?: number | undefined } = {},
): AsyncGenerator<ImportItem[], void, undefined> {
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const parser = new ImportParser(setup);
  if (from.offset > 0) {
    let at = 0;
    while (!parser.ready && at < Math.min(from.offset, limit)) {
      const chunk = await readChunk(handle, at, Math.min(CHUNK_BYTES, from.offset - at));
      if (chunk.length === 0) return;
      at += chunk.length;
      parser.push(chunk); // only the header matters here; rows before `from` were read earlier
    }
    if (!parser.ready) return;
    parser.seek(from.offset, from.line);
  }
  let position = from.offset;
  while (position < limit && !parser.unusable) {
    options.signal?.throwIfAborted();
    const chunk = await readChunk(handle, position, Math.min(CHUNK_BYTES, limit - position));
    if (chunk.length === 0) break;
    position += chunk.length;
    const items = parser.push(chunk);
    if (items.length > 0) yield items;
  }
  const last = parser.end();
  if (last.length > 0) yield last;
}

/** A fresh buffer per read: the parser may keep a chunk until its last record is complete. */
async function readChunk(handle: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const buffer = Buffer.allocUnsafe(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

export interface ReadImportOptions extends ImportFileOptions {
  signal?: AbortSignal | undefined;
  /** Records (mentions and problems together) per batch. Default 1,000. */
  batchSize?: number | undefined;
}

/**
 * `earshot import FILE`: the mentions and per-line problems of a JSON Lines or
 * CSV file, in batches of at most `batchSize` records, streamed so a file of
 * any size fits in memory. Throws ImportFileError when the file as a whole
 * cannot be read (missing, not a regular file, an unsupported encoding); a bad
 * line is only a problem in its batch.
 */
export function readImportFile(path: string, options: ReadImportOptions = {}): AsyncIterable<ImportBatch> {
  return batches(path, options);
}

async function* batches(path: string, options: ReadImportOptions): AsyncGenerator<ImportBatch, void, undefined> {
  const name = basename(path);
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? DEFAULT_BATCH_SIZE));
  let handle: FileHandle;
  try {
    // O_NONBLOCK: a FIFO given by mistake is refused below instead of blocking the open.
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    throw new ImportFileError(path, `cannot open: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new ImportFileError(path, "not a regular file");
    options.signal?.throwIfAborted();
    const setup = await inspectImport(handle, name, info.size, options);
    let batch: ImportBatch = { mentions: [], problems: [] };
    let count = 0;
    for await (const items of importItems(handle, setup, { offset: 0, line: 1 }, { signal: options.signal })) {
      for (const item of items) {
        if (item.kind === "mention") batch.mentions.push(item.mention);
        else batch.problems.push(item.problem);
        if (++count === batchSize) {
          yield batch;
          batch = { mentions: [], problems: [] };
          count = 0;
        }
      }
    }
    if (count > 0) yield batch;
  } catch (err) {
    if (isImportFileError(err) || options.signal?.aborted) throw err;
    throw new ImportFileError(path, `cannot read: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  } finally {
    await handle.close();
  }
}
