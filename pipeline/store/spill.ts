import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ScoredMention } from "../mention";
import { isStoreError } from "./sql-runner";
import type { QuarantineRecord, Store } from "./store";

/**
 * Mentions the store could not take, kept on disk until it can: a directory of
 * JSONL files, one per batch. The first line of a file says when and why it
 * was spilled; each further line is one mention. Quarantined items the store
 * could not take are kept the same way (a header with `kind: "quarantine"`,
 * then one QuarantineRecord a line), so a store that is down costs neither
 * the mentions nor the record of what was wrong with the bad ones. Nothing
 * here is ever deleted before the store has accepted it.
 *
 * Re-inserting is safe because inserts are idempotent (same id → one row), so
 * a crash between "stored" and "file deleted" only stores the batch again.
 */
export class Spill {
  #draining: Promise<DrainResult> | null = null;
  #seq = 0;

  constructor(readonly dir: string) {}

  /** Writes one batch to its own file; returns the file's path. */
  put(batch: readonly ScoredMention[], error: unknown): Promise<string> {
    return this.#write("mentions", batch, error);
  }

  /** Writes quarantine records the store did not take to their own file; returns its path. */
  putQuarantine(records: readonly QuarantineRecord[], error: unknown): Promise<string> {
    return this.#write("quarantine", records, error);
  }

  async #write(kind: SpillHeader["kind"], rows: readonly object[], error: unknown): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    const spilledAt = Date.now();
    const body = spillFileText(kind, rows, error, spilledAt);
    // Time first so that drain() replays batches in the order they failed.
    const name = `${String(spilledAt).padStart(15, "0")}-${String(this.#seq++).padStart(6, "0")}-${randomBytes(4).toString("hex")}`;
    const path = join(this.dir, `${name}.jsonl`);
    // Written aside and renamed: drain() never sees half a file.
    await writeFile(join(this.dir, `${name}.tmp`), body, { flag: "wx" });
    await rename(join(this.dir, `${name}.tmp`), path);
    return path;
  }

  /** Files waiting to be stored. */
  async pending(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (err) {
      if (isNotFound(err)) return [];
      throw err;
    }
    return names.filter((n) => n.endsWith(".jsonl")).sort();
  }

  /**
   * Stores the spilled batches, oldest first, deleting each file once the
   * store has it.
   * - The store down or busy (a transient StoreError): stops and throws; that
   *   file and the later ones stay for the next drain.
   * - The store refusing one batch (any other error): its rows are tried one
   *   by one, the ones it takes are stored and counted in `rows`, and the file
   *   stays with only the refused ones, counted in `refused`; the other files
   *   go on, so one bad row never holds up the rest.
   * - A file that is not valid JSONL is renamed to `.bad` and kept for a
   *   person to look at.
   * One drain at a time: a call during a drain gets the running one's result.
   */
  drain(store: Pick<Store, "insertMentions" | "quarantine">): Promise<DrainResult> {
    this.#draining ??= this.#drain(store).finally(() => {
      this.#draining = null;
    });
    return this.#draining;
  }

  async #drain(store: Pick<Store, "insertMentions" | "quarantine">): Promise<DrainResult> {
    const result: DrainResult = { files: 0, rows: 0, bad: 0, refused: 0 };
    for (const name of await this.pending()) {
      const path = join(this.dir, name);
      let text: string;
      try {
        text = await readFile(path, "utf8");
      } catch (err) {
        if (isNotFound(err)) continue; // taken by another process's drain
        throw err;
      }
      let batch: SpilledBatch;
      try {
        batch = parseSpillFile(text);
      } catch {
        await rename(path, `${path}.bad`);
        result.bad += 1;
        continue;
      }
      try {
        await insertBatch(store, batch);
      } catch (err) {
        if (isStoreError(err) && err.transient) throw err;
        // One row the store refuses must not hold up the rest of its batch:
        // the rows go in one by one and the file keeps only the refused ones.
        const refused = batch.rows.length > 1 ? await this.#storeRowByRow(store, batch, path) : batch.rows.length;
        result.rows += batch.rows.length - refused;
        result.refused += 1;
        result.lastError = err instanceof Error ? err.message : String(err);
        continue;
      }
      await unlink(path);
      result.files += 1;
      result.rows += batch.rows.length;
    }
    return result;
  }

  /** Stores the rows of a refused batch one at a time and rewrites its file with those still refused; returns how many. */
  async #storeRowByRow(store: Pick<Store, "insertMentions" | "quarantine">, batch: SpilledBatch, path: string): Promise<number> {
    const kept: object[] = [];
    let lastError: unknown;
    for (const row of batch.rows) {
      try {
        await insertBatch(store, { kind: batch.kind, rows: [row] } as SpilledBatch);
      } catch (err) {
        // The store went down meanwhile: the file stays whole; rows stored already are stored again later, harmlessly.
        if (isStoreError(err) && err.transient) throw err;
        kept.push(row);
        lastError = err;
      }
    }
    if (kept.length < batch.rows.length) {
      await writeFile(`${path}.tmp`, spillFileText(batch.kind, kept, lastError, Date.now()));
      await rename(`${path}.tmp`, path);
    }
    return kept.length;
  }
}

/** A spill file's text: the header line (when, how many, why), then one row a line. */
function spillFileText(kind: SpillHeader["kind"], rows: readonly object[], error: unknown, spilledAt: number): string {
  const header: SpillHeader = {
    spilledAt,
    rows: rows.length,
    error: error instanceof Error ? error.message : String(error),
    // Files written before quarantine records were kept have no kind: they hold mentions.
    ...(kind === "quarantine" ? { kind } : {}),
  };
  return [header, ...rows].map((row) => JSON.stringify(row) + "\n").join("");
}

function insertBatch(store: Pick<Store, "insertMentions" | "quarantine">, batch: SpilledBatch): Promise<void> {
  return batch.kind === "quarantine" ? store.quarantine(batch.rows) : store.insertMentions(batch.rows);
}

export interface DrainResult {
  /** Files stored and deleted (mentions and quarantine records). */
  files: number;
  rows: number;
  /** Unreadable files set aside as `.bad`. */
  bad: number;
  /** Files the store refused this time; they stay for the next drain, holding only the rows it refused. */
  refused: number;
  /** Why the last refused file was refused. */
  lastError?: string;
}

interface SpillHeader {
  spilledAt: number;
  rows: number;
  error: string;
  /** Absent for mentions. */
  kind?: "mentions" | "quarantine";
}

type SpilledBatch = { kind: "mentions"; rows: ScoredMention[] } | { kind: "quarantine"; rows: QuarantineRecord[] };

function parseSpillFile(text: string): SpilledBatch {
  const lines = text.split("\n").filter((l) => l !== "");
  const header = JSON.parse(lines[0] ?? "null") as SpillHeader | null;
  if (header === null || typeof header.rows !== "number") throw new Error("spill file without a header");
  const rows = lines.slice(1).map((l) => JSON.parse(l) as unknown);
  if (rows.length !== header.rows) throw new Error(`spill file holds ${rows.length} of ${header.rows} rows`);
  return header.kind === "quarantine"
    ? { kind: "quarantine", rows: rows as QuarantineRecord[] }
    : { kind: "mentions", rows: rows as ScoredMention[] };
}

const isNotFound = (err: unknown) =>
  typeof err === "object" && err !== null && "code" in err && (err as { code: unknown }).code === "ENOENT";
