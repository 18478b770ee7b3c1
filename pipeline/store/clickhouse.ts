import { ClickHouseError, ClickHouseLogLevel, createClient } from "@clickhouse/client";
import { isTransientClickHouseCode } from "./error-codes";
import { StoreError, isStoreError, type SqlParams, type SqlRunner } from "./sql-runner";

export interface ServerRunnerOptions {
  /** e.g. http://clickhouse:8123 */
  url: string;
  username?: string;
  password?: string;
  /**
   * Default database for unqualified names. The Store qualifies every name
   * itself, and a server refuses every statement naming a database that does
   * not exist yet — including the CREATE DATABASE that makes it — so the
   * Store's own database is not passed here (see open-store.ts).
   */
  database?: string;
  /** Per request; a slow server beyond this is a transient failure. */
  requestTimeoutMs?: number;
}

/**
 * The server runner: the same SQL sent to a ClickHouse server over HTTP by
 * `@clickhouse/client` (query → `client.query`, DDL → `client.command`,
 * rows → `client.insert` as JSONEachRow).
 */
export async function openServerRunner(options: ServerRunnerOptions): Promise<SqlRunner> {
  const client = createClient({
    url: options.url,
    // Credentials may also come inside the URL (http://user:pass@host:8123).
    ...(options.username === undefined ? {} : { username: options.username }),
    ...(options.password === undefined ? {} : { password: options.password }),
    ...(options.database === undefined ? {} : { database: options.database }),
    request_timeout: options.requestTimeoutMs ?? 30_000,
    application: "earshot",
    // Insert bodies go gzip-compressed (mention text compresses well);
    // responses are small and stay plain.
    compression: { request: true, response: false },
    // 64-bit integers (counts, epoch ms) as JSON numbers, as the Store expects;
    // servers before 25.x quote them by default.
    clickhouse_settings: { output_format_json_quote_64bit_integers: 0 },
    // Failures reach the caller as StoreErrors and are logged there; the
    // client's own console logger would print each one a second time.
    log: { level: ClickHouseLogLevel.OFF },
  });
  const endpoint = new URL(options.url).host;

  return {
    async command(sql: string, params?: SqlParams): Promise<void> {
      try {
        await client.command({ query: sql, ...(params === undefined ? {} : { query_params: params }) });
      } catch (err) {
        throw toStoreError(err, "statement", endpoint);
      }
    },

    async query<T>(sql: string, params?: SqlParams): Promise<T[]> {
      try {
        const result = await client.query({
          query: sql,
          format: "JSONEachRow",
          ...(params === undefined ? {} : { query_params: params }),
        });
        return await result.json<T>();
      } catch (err) {
        throw toStoreError(err, "query", endpoint);
      }
    },

    async insert(table: string, rows: readonly object[]): Promise<void> {
      if (rows.length === 0) return;
      try {
        await client.insert({ table, values: rows, format: "JSONEachRow" });
      } catch (err) {
        throw toStoreError(err, `insert into ${table}`, endpoint);
      }
    },

    close: () => client.close(),
  };
}

/** Node's socket and DNS failures: the server is down, unreachable or restarting. */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "EAI_AGAIN",
  "ENOTFOUND",
  "ERR_STREAM_PREMATURE_CLOSE",
]);

/**
 * Which failures are worth a retry:
 * - a ClickHouse error (it carries a code) is not, unless the code says the
 *   server was only busy (TOO_MANY_SIMULTANEOUS_QUERIES, TIMEOUT_EXCEEDED …);
 * - a refused, reset or timed-out connection is;
 * - an error response without a ClickHouse code came from something in front
 *   of the server (a proxy's 502/503/504) and is treated as transient;
 * - a response we cannot parse is not.
 */
function toStoreError(err: unknown, what: string, endpoint: string): StoreError {
  if (isStoreError(err)) return err;
  if (err instanceof ClickHouseError) {
    const code = Number(err.code);
    return new StoreError(
      `ClickHouse ${what} failed at ${endpoint}: Code ${err.code}${err.type ? ` (${err.type})` : ""}: ${clip(err.message)}`,
      isTransientClickHouseCode(code),
      { cause: err },
    );
  }
  if (err instanceof SyntaxError) {
    return new StoreError(`ClickHouse ${what} at ${endpoint} returned unreadable JSON: ${err.message}`, false, {
      cause: err,
    });
  }
  const code = typeof err === "object" && err !== null && "code" in err ? String(err.code) : undefined;
  const message = err instanceof Error ? err.message : String(err);
  if (code !== undefined && NETWORK_CODES.has(code)) {
    return new StoreError(`ClickHouse at ${endpoint} is unreachable (${code}) during ${what}`, true, { cause: err });
  }
  return new StoreError(
    `ClickHouse ${what} failed at ${endpoint} without a ClickHouse error code: ${clip(message)}`,
    true,
    { cause: err },
  );
}

const MAX_MESSAGE_CHARS = 600;
const clip = (s: string) => (s.length > MAX_MESSAGE_CHARS ? `${s.slice(0, MAX_MESSAGE_CHARS)}…` : s);
