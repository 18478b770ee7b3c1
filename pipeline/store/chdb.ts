import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import { Session, drainPending } from "chdb";
import { isTransientClickHouseCode } from "./error-codes";
import { StoreError, isStoreError, type SqlParams, type SqlRunner } from "./sql-runner";

/**
 * The embedded runner: ClickHouse inside this process through npm `chdb`.
 *
 * libchdb binds ONE data directory per process. So this module keeps the one
 * Session in a module-level registry: a second open of the same directory
 * shares it (closed when the last user closes), and an open of a different
 * directory is refused with a StoreError that says why, instead of the
 * engine's own message.
 *
 * Only async calls are used (`queryAsync`, `queryBindAsync`, `insert`): the
 * sync `query` runs on the event loop and would stall the pipeline and the
 * dashboard for as long as the statement takes.
 */

interface Shared {
  dir: string;
  session: Session;
  users: number;
}

let shared: Shared | null = null;
/** A session being closed: a different directory may open only after it is gone. */
let closing: Promise<void> | null = null;

/** One user's hold on the process's chDB session. */
export interface ChdbLease {
  readonly session: Session;
  readonly dataDir: string;
  /** Idempotent; the session closes when the last lease is released. */
  release(): Promise<void>;
}

// Settings fixed at connect so that every statement on the session reads the
// same way: 64-bit integers (counts, epoch milliseconds) as JSON numbers.
// chDB 3.4 already defaults to 0 here, but a server does not everywhere, and
// the Store relies on it, so it is said out loud.
const CONNECTION_ARGS = ["--output_format_json_quote_64bit_integers=0"];

/**
 * Takes a hold on the process's chDB session for `dataDir`, opening it on
 * first use. Exported for test support that must share the engine (the
 * ClickHouse-HTTP endpoint); the pipeline uses `openChdbRunner`.
 */
export async function leaseChdbSession(dataDir: string): Promise<ChdbLease> {
  const dir = resolve(dataDir);
  // A session still closing holds the process's one directory until it is gone.
  if (shared === null && closing !== null) await closing;
  if (shared === null) {
    await makeDataDir(dir);
    // Re-check after the await: a concurrent open may have got here first.
    shared ??= { dir, session: openSession(dir), users: 0 };
  }
  if (shared.dir !== dir) {
    throw new StoreError(
      `chDB is already open at ${shared.dir} in this process; it binds one data directory per process, ` +
        `so ${dir} cannot be opened as well (close the other store first, or use one data directory)`,
      false,
    );
  }
  const entry: Shared = shared;
  entry.users += 1;
  let released = false;
  return {
    session: entry.session,
    dataDir: dir,
    async release() {
      if (released) return;
      released = true;
      entry.users -= 1;
      if (entry.users > 0 || shared !== entry) return;
      shared = null;
      // close() defers the native teardown while statements are still running;
      // drainPending() waits for it, so a later open of another directory works.
      const done = (async () => {
        entry.session.close();
        await drainPending();
      })();
      closing = done;
      try {
        await done;
      } finally {
        if (closing === done) closing = null;
      }
    },
  };
}

/** The data directory, created if need be; a path that cannot be one is a StoreError naming it and saying why. */
async function makeDataDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? messageOf(err);
    const why =
      code === "ENOTDIR" || code === "EEXIST"
        ? "a file is in the way"
        : code === "EACCES" || code === "EPERM" || code === "EROFS"
          ? "no permission to write there"
          : code === "ENOSPC"
            ? "the disk is full"
            : "it cannot be created";
    throw new StoreError(`chDB data directory ${dir} is not usable: ${why} (${code}); set store.dataDir to a writable directory`, false, { cause: err });
  }
}

function openSession(dir: string): Session {
  try {
    return new Session(dir, { connectionArgs: CONNECTION_ARGS });
  } catch (err) {
    throw new StoreError(`chDB could not open ${dir}: ${messageOf(err)}`, false, { cause: err });
  }
}

export async function openChdbRunner({ dataDir }: { dataDir: string }): Promise<SqlRunner> {
  const lease = await leaseChdbSession(dataDir);
  const { session } = lease;
  return {
    async command(sql: string, params?: SqlParams): Promise<void> {
      try {
        if (params === undefined) await session.queryAsync(sql, { format: "TabSeparated" });
        else await session.queryBindAsync(sql, params, { format: "TabSeparated" });
      } catch (err) {
        throw toStoreError(err, "statement");
      }
    },

    async query<T>(sql: string, params?: SqlParams): Promise<T[]> {
      let text: string;
      try {
        // Parameterised calls are serialised process-wide by chdb (its binding
        // state is not per connection); plain ones are not, so use them when
        // there is nothing to bind.
        const result =
          params === undefined
            ? await session.queryAsync(sql, { format: "JSONEachRow" })
            : await session.queryBindAsync(sql, params, { format: "JSONEachRow" });
        text = result.text();
      } catch (err) {
        throw toStoreError(err, "query");
      }
      return parseJsonEachRow<T>(text);
    },

    async insert(table: string, rows: readonly object[]): Promise<void> {
      if (rows.length === 0) return;
      // The raw JSONEachRow path: the engine parses the text, so DateTime64
      // columns take epoch milliseconds exactly (the object-row path writes a
      // JS Date without its milliseconds).
      let values = "";
      for (const row of rows) values += JSON.stringify(row) + "\n";
      try {
        await session.insert({ table, values, format: "JSONEachRow" });
      } catch (err) {
        throw toStoreError(err, `insert into ${table}`);
      }
    },

    close: () => lease.release(),
  };
}

export function parseJsonEachRow<T>(text: string): T[] {
  const rows: T[] = [];
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    if (end > start) rows.push(JSON.parse(text.slice(start, end)) as T);
    start = end + 1;
  }
  return rows;
}

/** chdb's errors carry `code` ("CHDB_SYNTAX", "CHDB_TIMEOUT" …) and the ClickHouse `clickhouseCode`. */
function toStoreError(err: unknown, what: string): StoreError {
  if (isStoreError(err)) return err;
  const fields = (typeof err === "object" && err !== null ? err : {}) as { code?: unknown; clickhouseCode?: unknown };
  const clickhouseCode = typeof fields.clickhouseCode === "number" ? fields.clickhouseCode : undefined;
  const transient =
    clickhouseCode !== undefined ? isTransientClickHouseCode(clickhouseCode) : fields.code === "CHDB_TIMEOUT";
  return new StoreError(`chDB ${what} failed: ${messageOf(err)}`, transient, { cause: err });
}

/** Engine messages can quote whole statements or rows; keep log lines readable. */
const MAX_MESSAGE_CHARS = 600;
function messageOf(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.length > MAX_MESSAGE_CHARS ? `${message.slice(0, MAX_MESSAGE_CHARS)}…` : message;
}
