import { realpath } from "node:fs/promises";
import { resolve } from "node:path";
import { z } from "zod";
import { SourceError, type Cursor, type Logger, type Page, type PollContext, type RawMention, type Source } from "../source";
import { compilePattern, DEFAULT_PATTERN, listFolder, moveOut, openListed, type FolderFile } from "./folder-files";
import { isImportFileError } from "./import-file-error";
import { importItems, inspectImport, type ReadFrom } from "./read-import-file";

/**
 * Watches a folder for exports (JSON Lines, or CSV with a header) and imports
 * each file once: for exports from other tools and historic data dropped in by
 * hand or by a sync job. Every imported mention has source "import" (as with
 * `earshot import FILE`), so the same record imported either way is one mention.
 *
 * There is no file-size cap: files are streamed (see read-import-file.ts), and
 * a poll reads at most `maxPerPoll` lines and 64 MiB, then stops after a whole
 * record; the cursor keeps the byte offset and the next poll goes on from there.
 */

const KIND = "file-import";

export const fileImportOptions = z.strictObject({
  dir: z.string().min(1).describe("The folder to watch. Files directly inside it are imported; subfolders are not searched."),
  pattern: z
    .string()
    .min(1)
    .refine((p) => tryPattern(p) === null, { error: (issue) => `not a file name pattern: ${tryPattern(String(issue.input))}` })
    .optional()
    .describe(`Which file names to import: * and ? wildcards and {a,b} alternatives, case-insensitive. Default "${DEFAULT_PATTERN}". Hidden files (".name") are never read.`),
  moveTo: z
    .string()
    .min(1)
    .optional()
    .describe("A folder (relative to dir, or absolute) to move each file into once all of its mentions are stored. Default: files stay, and are remembered as read."),
  maxPerPoll: z
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(5_000)
    .describe("Lines read per poll (mentions and unreadable lines together). The rest of a long file is read on the next polls, from where this one stopped."),
  encoding: z
    .string()
    .min(1)
    .max(40)
    .optional()
    .describe("The files' charset when the bytes cannot tell, e.g. \"windows-1250\" or \"iso-8859-2\" for Polish exports. Default: a byte-order mark, else UTF-8, else windows-1251 or windows-1250 by the bytes."),
});
export type FileImportOptions = z.infer<typeof fileImportOptions>;

function tryPattern(pattern: string): string | null {
  try {
    compilePattern(pattern);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** A file modified this recently may still be being written: it waits for a later poll. */
export const SETTLE_MS = 5_000;
/** Bytes read per poll at most, so a file of blank or skipped lines cannot hold a poll past its timeout. */
const MAX_BYTES_PER_POLL = 64 * 1024 * 1024;
/** Unreadable lines logged one by one per poll; the rest are counted. */
const MAX_LOGGED_PROBLEMS = 20;

/**
 * What the cursor holds:
 * - `dir`: the folder it belongs to; a cursor of another folder is ignored.
 * - `done`: keys (hash of name + size + mtime) of the files fully read. Kept
 *   only while the file is in the folder, so the list is as long as the folder.
 *   A file that changes gets a new key and is read again from its start; the
 *   mentions' ids are stable, so the store keeps one copy of each.
 * - `refused`: keys of files refused (a symlink out of the folder, a FIFO, an
 *   unsupported encoding), so each is logged once, not on every poll.
 * - `waiting`: [name, size] of files seen being written; a size that changed
 *   since the last poll means the writer is not done.
 * - `fileKey`, `file`, `offset`, `line`: the file a poll stopped in (at
 *   `maxPerPoll`), the byte offset of the next record and the line it starts on.
 */
interface FileImportCursor {
  dir: string;
  done: string[];
  refused: string[];
  waiting: Map<string, number>;
  current: ({ key: string; name: string } & ReadFrom) | null;
}

export const fileImport: Source<FileImportOptions> = {
  kind: KIND,
  options: fileImportOptions,

  async poll(options: FileImportOptions, cursor: Cursor | null, ctx: PollContext): Promise<Page> {
    const match = compilePattern(options.pattern ?? DEFAULT_PATTERN);
    let root: string;
    let listing: Awaited<ReturnType<typeof listFolder>>;
    try {
      root = await realpath(options.dir);
      listing = await listFolder(root, match);
    } catch (err) {
      // Retryable: a folder on a mount that is not up yet, or created later by a sync job.
      throw new SourceError(KIND, `cannot read the folder ${options.dir}: ${errorText(err)}`, true, { cause: err });
    }
    const prev = readCursor(cursor, options.dir);
    const present = new Set([...listing.files.map((f) => f.key), ...listing.refused.map((f) => f.key)]);
    const done = new Set(prev.done.filter((k) => present.has(k)));
    const refused = new Set(prev.refused.filter((k) => present.has(k)));

    // A file is moved on the poll after its last mentions were read: the cursor
    // that says "done" was saved only once they were stored, so a failed store
    // cannot lose a moved file.
    if (options.moveTo !== undefined) {
      const target = resolve(root, options.moveTo);
      // Moved "into" the folder itself, a file would come back as a new one on every poll.
      if (target === root) throw new SourceError(KIND, `moveTo (${options.moveTo}) is the watched folder itself`, false);
      for (const file of listing.files) {
        if (!done.has(file.key)) continue;
        try {
          const dest = await moveOut(root, file.name, target);
          done.delete(file.key);
          ctx.log.info({ file: file.name, movedTo: dest }, "imported file moved");
        } catch (err) {
          ctx.log.warn({ file: file.name, err: errorText(err) }, "imported file could not be moved; it stays and is not read again");
        }
      }
    }

    for (const file of listing.refused) {
      if (refused.has(file.key)) continue;
      refused.add(file.key);
      ctx.log.warn({ file: file.name, reason: file.reason }, "file refused");
    }

    const nowMs = ctx.now().getTime();
    let current: { file: FolderFile; from: ReadFrom } | null = null;
    if (prev.current !== null) {
      const { key, name, offset, line } = prev.current;
      const file = listing.files.find((f) => f.key === key && f.name === name);
      if (file) current = { file, from: { offset, line } };
      else ctx.log.info({ file: name }, "file changed or removed before it was read to the end; a changed file is read again from its start");
    }
    const waiting = new Map<string, number>();
    const queue: { file: FolderFile; from: ReadFrom }[] = current ? [current] : [];
    for (const file of listing.files) {
      if (done.has(file.key) || refused.has(file.key) || file.key === current?.file.key) continue;
      const sizeBefore = prev.waiting.get(file.name);
      // A date in the future (a copy from a machine with a wrong clock) says nothing
      // about the writer: such a file is read once its size holds for one poll.
      const writing =
        file.mtimeMs > nowMs
          ? sizeBefore !== file.size
          : nowMs - file.mtimeMs < SETTLE_MS || (sizeBefore !== undefined && sizeBefore !== file.size);
      if (writing) {
        waiting.set(file.name, file.size);
        continue;
      }
      queue.push({ file, from: { offset: 0, line: 1 } });
    }

    const mentions: RawMention[] = [];
    const budget = { records: options.maxPerPoll, bytes: MAX_BYTES_PER_POLL, logged: 0 };
    let next: FileImportCursor["current"] = null;
    for (const entry of queue) {
      if (budget.records <= 0 || budget.bytes <= 0) break;
      try {
        const result = await readSome(entry.file, entry.from, options, budget, mentions, ctx);
        if (result.finished) {
          done.add(entry.file.key);
        } else {
          next = { key: entry.file.key, name: entry.file.name, ...result.at };
          break;
        }
      } catch (err) {
        if (ctx.signal.aborted) throw new SourceError(KIND, "poll aborted", true, { cause: ctx.signal.reason ?? err });
        if (isImportFileError(err)) {
          refused.add(entry.file.key);
          ctx.log.warn({ file: entry.file.name, reason: err.message }, "file refused");
        } else {
          // Kept out of `done`: a later poll tries again (from its start unless this file was the one in progress).
          ctx.log.warn({ file: entry.file.name, err: errorText(err) }, "file could not be read; it is tried again on the next poll");
          if (entry === current) next = { key: entry.file.key, name: entry.file.name, ...entry.from };
        }
      }
    }
    return { mentions, cursor: writeCursor({ dir: options.dir, done: [...done], refused: [...refused], waiting, current: next }) };
  },
};

/**
 * Reads one file from `from` until it ends or the poll's budget is spent, and
 * says where it stopped: always just after a whole record.
 */
async function readSome(
  file: FolderFile,
  from: ReadFrom,
  options: FileImportOptions,
  budget: { records: number; bytes: number; logged: number },
  mentions: RawMention[],
  ctx: PollContext,
): Promise<{ finished: true } | { finished: false; at: ReadFrom }> {
  const handle = await openListed(file);
  const counts = { mentions: 0, problems: 0 };
  try {
    const setup = await inspectImport(handle, file.name, file.size, { encoding: options.encoding });
    let at = from;
    for await (const items of importItems(handle, setup, from, { signal: ctx.signal, limit: file.size })) {
      for (const item of items) {
        if (item.kind === "mention") {
          mentions.push(item.mention);
          counts.mentions++;
        } else {
          counts.problems++;
          logProblem(ctx.log, budget, file.name, item.problem);
        }
        budget.records--;
        budget.bytes -= item.end - at.offset;
        at = { offset: item.end, line: item.nextLine };
        if ((budget.records <= 0 || budget.bytes <= 0) && at.offset < file.size) {
          ctx.log.info({ file: file.name, ...counts, offset: at.offset, size: file.size }, "import paused; continued on the next poll");
          return { finished: false, at };
        }
      }
    }
    ctx.log.info({ file: file.name, ...counts, format: setup.format, charset: setup.charset.charset }, "file imported");
    return { finished: true };
  } finally {
    await handle.close();
  }
}

function logProblem(log: Logger, budget: { logged: number }, file: string, problem: { line: number; reason: string }): void {
  budget.logged++;
  if (budget.logged <= MAX_LOGGED_PROBLEMS) log.warn({ file, line: problem.line, reason: problem.reason }, "line skipped");
  else if (budget.logged === MAX_LOGGED_PROBLEMS + 1) log.warn({ file }, `more than ${MAX_LOGGED_PROBLEMS} lines skipped in this poll; the rest are not logged`);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function readCursor(cursor: Cursor | null, dir: string): FileImportCursor {
  const empty: FileImportCursor = { dir, done: [], refused: [], waiting: new Map(), current: null };
  if (!cursor || cursor["dir"] !== dir) return empty;
  const strings = (v: unknown): string[] => {
    const parsed = parseJson(v);
    return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === "string") : [];
  };
  const waitingRaw = parseJson(cursor["waiting"]);
  const waiting = new Map<string, number>();
  if (Array.isArray(waitingRaw)) {
    for (const pair of waitingRaw) if (Array.isArray(pair) && typeof pair[0] === "string" && typeof pair[1] === "number") waiting.set(pair[0], pair[1]);
  }
  const { fileKey, file, offset, line } = cursor;
  const current =
    typeof fileKey === "string" && typeof file === "string" && typeof offset === "number" && typeof line === "number" && offset >= 0 && line >= 1
      ? { key: fileKey, name: file, offset, line }
      : null;
  return { dir, done: strings(cursor["done"]), refused: strings(cursor["refused"]), waiting, current };
}

function writeCursor(c: FileImportCursor): Cursor {
  return {
    dir: c.dir,
    done: JSON.stringify(c.done),
    refused: JSON.stringify(c.refused),
    waiting: JSON.stringify([...c.waiting]),
    fileKey: c.current?.key ?? null,
    file: c.current?.name ?? null,
    offset: c.current?.offset ?? null,
    line: c.current?.line ?? null,
  };
}

function parseJson(value: unknown): unknown {
  if (typeof value !== "string") return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}
