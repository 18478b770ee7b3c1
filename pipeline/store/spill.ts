import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ScoredMention } from "../mention";
import { isStoreError } from "./sql-runner";
import type { Store } from "./store";

/**
 * Mentions the store could not take, kept on disk until it can: a directory of
 * JSONL files, one per batch. The first line of a file says when and why it
 * was spilled; each further line is one mention. Nothing here is ever deleted
 * before the store has accepted it.
 *
 * Re-inserting is safe because inserts are idempotent (same id → one row), so
 * a crash between "stored" and "file deleted" only stores the batch again.
 */
export class Spill {
  #draining: Promise<DrainResult> | null = null;
  #seq = 0;

  constructor(readonly dir: string) {}

  /** Writes one batch to its own file; returns the file's path. */
  async put(batch: readonly ScoredMention[], error: unknown): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    const header: SpillHeader = {
      spilledAt: Date.now(),
      rows: batch.length,
      error: error instanceof Error ? error.message : String(error),
    };
    let body = JSON.stringify(header) + "\n";
    for (const mention of batch) body += JSON.stringify(mention) + "\n";
    // Time first so that drain() replays batches in the order they failed.
    const name = `${String(header.spilledAt).padStart(15, "0")}-${String(this.#seq++).padStart(6, "0")}-${randomBytes(4).toString("hex")}`;
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
   * - The store refusing one batch (any other error): its file stays and is
   *   counted in `refused`; the others go on, so one bad batch never holds
   *   up the rest.
   * - A file that is not valid JSONL is renamed to `.bad` and kept for a
   *   person to look at.
   * One drain at a time: a call during a drain gets the running one's result.
   */
  drain(store: Pick<Store, "insertMentions">): Promise<DrainResult> {
    this.#draining ??= this.#drain(store).finally(() => {
      this.#draining = null;
    });
    return this.#draining;
  }

  async #drain(store: Pick<Store, "insertMentions">): Promise<DrainResult> {
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
      let batch: ScoredMention[];
      try {
        batch = parseSpillFile(text);
      } catch {
        await rename(path, `${path}.bad`);
        result.bad += 1;
        continue;
      }
      try {
        await store.insertMentions(batch);
      } catch (err) {
        if (isStoreError(err) && err.transient) throw err;
        result.refused += 1;
        result.lastError = err instanceof Error ? err.message : String(err);
        continue;
      }
      await unlink(path);
      result.files += 1;
      result.rows += batch.length;
    }
    return result;
  }
}

export interface DrainResult {
  /** Files stored and deleted. */
  files: number;
  rows: number;
  /** Unreadable files set aside as `.bad`. */
  bad: number;
  /** Files the store refused this time; they stay for the next drain. */
  refused: number;
  /** Why the last refused file was refused. */
  lastError?: string;
}

interface SpillHeader {
  spilledAt: number;
  rows: number;
  error: string;
}

function parseSpillFile(text: string): ScoredMention[] {
  const lines = text.split("\n").filter((l) => l !== "");
  const header = JSON.parse(lines[0] ?? "null") as SpillHeader | null;
  if (header === null || typeof header.rows !== "number") throw new Error("spill file without a header");
  const batch = lines.slice(1).map((l) => JSON.parse(l) as ScoredMention);
  if (batch.length !== header.rows) throw new Error(`spill file holds ${batch.length} of ${header.rows} rows`);
  return batch;
}

const isNotFound = (err: unknown) =>
  typeof err === "object" && err !== null && "code" in err && (err as { code: unknown }).code === "ENOENT";
