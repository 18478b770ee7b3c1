import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { brotliDecompressSync, gunzipSync, gzipSync, inflateSync } from "node:zlib";
import type { RawInsertFormat } from "chdb";
import { leaseChdbSession, type ChdbLease } from "../../pipeline/store/chdb";

/**
 * A small ClickHouse-HTTP-compatible endpoint on 127.0.0.1, backed by this
 * process's chDB session: the real engine behind the real HTTP requests of
 * `@clickhouse/client`, for testing the server runner without a server
 * (Debian's clickhouse-server is 18.16: no query parameters, no DateTime64).
 *
 * What it implements was read from @clickhouse/client 1.23.1 in node_modules:
 * - dist/connection/node_base_connection.js: `ping()` is GET /ping; `query()`
 *   POSTs the SQL (with " \nFORMAT <fmt>" appended by dist/common/client.js)
 *   as the body; `command()` POSTs the SQL as the body; `insert()` puts
 *   "INSERT INTO t FORMAT JSONEachRow" in the `query` URL parameter and the
 *   rows in the body.
 * - dist/common/utils/url.js `toSearchParams`: `query_id`, `param_<name>`
 *   (values pre-formatted by dist/common/data_formatter/format_query_params.js:
 *   strings TSV-escaped with `\'`, arrays as `['a','b']`, null as `\N`), every
 *   ClickHouse setting as its own parameter, `database` unless "default".
 * - dist/connection/compression.js and socket_pool.js: the request body is
 *   gzip (or br) when `compression.request` is on, with Content-Encoding set;
 *   a response with Content-Encoding is decompressed; a non-2xx status or an
 *   X-ClickHouse-Exception-Code header is an error whose body is parsed by
 *   dist/common/error/error.js `parseError` ("Code: N. DB::Exception: msg (TYPE)").
 * - socket_pool.js `parseSummary` reads X-ClickHouse-Summary as JSON.
 * Multipart parameters (`use_multipart_params`, off by default) are not
 * implemented and answered with NOT_IMPLEMENTED.
 *
 * Requests run one at a time: `database` and settings parameters are applied
 * to the shared session (USE / SET) around the statement and put back after.
 */

export interface ClickHouseHttp {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  /** Stops listening, drops open connections, releases the chDB session. */
  close(): Promise<void>;
}

export interface ClickHouseHttpOptions {
  /** The chDB data directory (shared with any other user in this process). */
  dataDir: string;
  /** When set, requests must authenticate as this user (Basic or X-ClickHouse-User/Key). */
  auth?: { username: string; password: string };
}

/** URL parameters that are HTTP-interface options, not settings for the engine. */
const HTTP_ONLY = new Set([
  "query",
  "query_id",
  "database",
  "default_format",
  "user",
  "password",
  "session_id",
  "session_timeout",
  "session_check",
  "compress",
  "decompress",
  "enable_http_compression",
  "http_zlib_compression_level",
  "send_progress_in_http_headers",
  "http_headers_progress_interval_ms",
  "wait_end_of_query",
  "http_wait_end_of_query",
  "http_response_buffer_size",
  "buffer_size",
  "role",
  "quota_key",
  "add_http_cors_header",
  "cancel_http_readonly_queries_on_client_close",
  "http_native_compression_disable_checksumming_on_decompress",
]);

/** chdb's raw insert takes these formats (chdb index.d.ts `RawInsertFormat`). */
const RAW_INSERT_FORMATS = new Set<string>(["JSONEachRow", "JSONCompactEachRow", "CSV", "CSVWithNames", "TSV", "TabSeparated"]);

const CONTENT_TYPES: Record<string, string> = {
  JSONEachRow: "application/x-ndjson; charset=UTF-8",
  JSON: "application/json; charset=UTF-8",
  TabSeparated: "text/tab-separated-values; charset=UTF-8",
  CSV: "text/csv; charset=UTF-8; header=absent",
};

/** A failure answered the way ClickHouse answers: code, name, HTTP status. */
class HttpFailure extends Error {
  constructor(
    readonly code: number,
    readonly type: string,
    message: string,
    readonly status = 500,
  ) {
    super(message);
  }
}

/** A port on 127.0.0.1 that nobody listens on (bound once, then released): a server that is down. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startClickHouseHttp(options: ClickHouseHttpOptions): Promise<ClickHouseHttp> {
  const lease = await leaseChdbSession(options.dataDir);
  const version = await engineVersion(lease);
  let queue: Promise<void> = Promise.resolve();

  const server = createServer((req, res) => {
    const turn = queue.then(() => handle(req, res, lease, version, options.auth));
    queue = turn.catch(() => {});
    turn.catch((err: unknown) => {
      // Only a failure of the endpoint itself gets here (the statement's own
      // errors are answered in handle()).
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain; charset=UTF-8" });
      res.end(`Code: 1001. DB::Exception: ${err instanceof Error ? err.message : String(err)} (STD_EXCEPTION)\n`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await queue;
      await lease.release();
    },
  };
}

async function engineVersion(lease: ChdbLease): Promise<string> {
  const result = await lease.session.queryAsync("SELECT version()", { format: "TabSeparatedRaw" });
  return result.text().trim();
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  lease: ChdbLease,
  version: string,
  auth: ClickHouseHttpOptions["auth"],
): Promise<void> {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const queryId = url.searchParams.get("query_id") ?? randomUUID();
  const baseHeaders = {
    "X-ClickHouse-Query-Id": queryId,
    "X-ClickHouse-Timezone": "UTC",
    "X-ClickHouse-Server-Display-Name": "earshot-test-endpoint",
  };

  if (url.pathname === "/ping") {
    res.writeHead(200, { "Content-Type": "text/plain; charset=UTF-8" });
    res.end("Ok.\n");
    return;
  }
  if (url.pathname !== "/") {
    res.writeHead(404, { "Content-Type": "text/plain; charset=UTF-8" });
    res.end(`There is no handle ${url.pathname}\n`);
    return;
  }

  try {
    checkAuth(req, url, auth);
    const body = decodeBody(await readBody(req), req.headers["content-encoding"]);
    if ((req.headers["content-type"] ?? "").startsWith("multipart/form-data")) {
      throw new HttpFailure(48, "NOT_IMPLEMENTED", "multipart query parameters are not supported by this endpoint");
    }
    const urlQuery = url.searchParams.get("query");
    const bodyText = body.toString("utf8");
    const statement = urlQuery ?? bodyText;
    if (statement.trim() === "") throw new HttpFailure(62, "SYNTAX_ERROR", "Empty query", 400);

    const params = bindParams(statement, url.searchParams);
    const settings = engineSettings(url.searchParams);
    const database = url.searchParams.get("database");
    const outputFormat = trailingFormat(statement) ?? url.searchParams.get("default_format") ?? "TabSeparated";

    const run = await withContext(lease, database, settings, async () => {
      const insert = urlQuery === null ? null : rawInsert(urlQuery);
      if (insert !== null && body.length > 0) {
        const summary = await lease.session.insert({
          table: insert.table,
          values: body,
          format: insert.format,
          ...(insert.columns === undefined ? {} : { columns: insert.columns }),
        });
        return { bytes: new Uint8Array(0), readRows: 0, readBytes: 0, written: summary.rowsWritten, writtenBytes: summary.bytesWritten, elapsed: summary.elapsed };
      }
      // As a server does: data in the body follows the statement in the URL.
      const sql = urlQuery !== null && bodyText !== "" ? `${urlQuery}\n${bodyText}` : statement;
      const result =
        Object.keys(params).length === 0
          ? await lease.session.queryAsync(sql, { format: "TabSeparated" })
          : await lease.session.queryBindAsync(sql, params, { format: "TabSeparated" });
      return { bytes: result.bytes(), readRows: result.rowsRead, readBytes: result.bytesRead, written: 0, writtenBytes: 0, elapsed: result.elapsed };
    });

    const summary = {
      read_rows: String(run.readRows),
      read_bytes: String(run.readBytes),
      written_rows: String(run.written),
      written_bytes: String(run.writtenBytes),
      total_rows_to_read: String(run.readRows),
      result_rows: String(countLines(run.bytes)),
      result_bytes: String(run.bytes.length),
      elapsed_ns: String(Math.round(run.elapsed * 1e9)),
    };
    const compress =
      url.searchParams.get("enable_http_compression") === "1" && /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
    const payload = compress ? gzipSync(run.bytes) : Buffer.from(run.bytes);
    res.writeHead(200, {
      ...baseHeaders,
      "Content-Type": CONTENT_TYPES[outputFormat] ?? "text/plain; charset=UTF-8",
      "X-ClickHouse-Format": outputFormat,
      "X-ClickHouse-Summary": JSON.stringify(summary),
      ...(compress ? { "Content-Encoding": "gzip" } : {}),
    });
    res.end(payload);
  } catch (err) {
    const failure = await asFailure(err, lease);
    res.writeHead(failure.status, {
      ...baseHeaders,
      "Content-Type": "text/plain; charset=UTF-8",
      "X-ClickHouse-Exception-Code": String(failure.code),
    });
    const message = failure.message.startsWith("Code: ")
      ? failure.message
      : `Code: ${failure.code}. DB::Exception: ${failure.message}`;
    const typed = /\((?=[A-Z0-9_]*[A-Z]{3})[A-Z0-9_]+\)/.test(message) ? message : `${message} (${failure.type})`;
    res.end(`${typed} (version ${version})\n`);
  }
}

/** Rows of a line-per-row output format (the only kind the Store reads). */
function countLines(bytes: Uint8Array): number {
  let n = 0;
  for (const b of bytes) if (b === 10) n++;
  return n;
}

function checkAuth(req: IncomingMessage, url: URL, auth: ClickHouseHttpOptions["auth"]): void {
  if (auth === undefined) return;
  let user = req.headers["x-clickhouse-user"]?.toString() ?? url.searchParams.get("user") ?? "default";
  let password = req.headers["x-clickhouse-key"]?.toString() ?? url.searchParams.get("password") ?? "";
  const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? "");
  if (basic) {
    const decoded = Buffer.from(basic[1]!, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    user = decoded.slice(0, colon);
    password = decoded.slice(colon + 1);
  }
  if (user !== auth.username || password !== auth.password) {
    throw new HttpFailure(
      516,
      "AUTHENTICATION_FAILED",
      `${user}: Authentication failed: password is incorrect, or there is no user with such name.`,
      401,
    );
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function decodeBody(raw: Buffer, encoding: string | undefined): Buffer {
  if (raw.length === 0 || encoding === undefined || encoding === "identity") return raw;
  try {
    if (encoding === "gzip") return gunzipSync(raw);
    if (encoding === "deflate") return inflateSync(raw);
    if (encoding === "br") return brotliDecompressSync(raw);
  } catch (err) {
    throw new HttpFailure(354, "ZLIB_INFLATE_FAILED", `cannot decompress the request body: ${String(err)}`, 400);
  }
  throw new HttpFailure(48, "NOT_IMPLEMENTED", `Unknown HTTP request Content-Encoding: ${encoding}`, 400);
}

/** `INSERT INTO db.t [(a, b)] FORMAT Fmt` → chdb's raw insert, or null to run it as a statement. */
function rawInsert(query: string): { table: string; columns?: string[]; format: RawInsertFormat } | null {
  const m = /^\s*INSERT\s+INTO\s+(?:TABLE\s+)?([A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)?)\s*(?:\(([\w\s,]*)\))?\s*FORMAT\s+(\w+)\s*$/i.exec(query);
  if (m === null || !RAW_INSERT_FORMATS.has(m[3]!)) return null;
  const columns = m[2]?.split(",").map((c) => c.trim()).filter((c) => c !== "");
  return { table: m[1]!, format: m[3] as RawInsertFormat, ...(columns && columns.length > 0 ? { columns } : {}) };
}

function trailingFormat(statement: string): string | null {
  if (/^\s*INSERT\b/i.test(statement)) return null;
  return /\bFORMAT\s+([A-Za-z]+)\s*;?\s*$/i.exec(statement)?.[1] ?? null;
}

type BindValue = string | number | bigint | null | BindValue[];

/**
 * `param_<name>` values as chdb wants them. The client sends each value in
 * ClickHouse's escaped text form; chdb escapes a JS string itself, so the text
 * is decoded first: a scalar is unescaped, an array literal is parsed into a JS
 * array (chdb writes it back as a literal), `\N` is null.
 */
function bindParams(statement: string, search: URLSearchParams): Record<string, BindValue> {
  const types = new Map<string, string>();
  for (const m of statement.matchAll(/\{\s*([A-Za-z_]\w*)\s*:\s*([^{}]+?)\s*\}/g)) types.set(m[1]!, m[2]!);
  const bound: Record<string, BindValue> = {};
  for (const [key, raw] of search) {
    if (!key.startsWith("param_")) continue;
    const name = key.slice("param_".length);
    const type = unwrapType(types.get(name) ?? "String");
    if (raw === "\\N") bound[name] = null;
    else if (type.startsWith("Array(")) bound[name] = parseArrayLiteral(raw);
    else if (type.startsWith("Tuple(") || type.startsWith("Map(")) {
      throw new HttpFailure(48, "NOT_IMPLEMENTED", `parameter ${name}: ${type} is not supported by this endpoint`);
    } else bound[name] = unescapeText(raw);
  }
  return bound;
}

function unwrapType(type: string): string {
  const m = /^(?:Nullable|LowCardinality)\((.*)\)$/.exec(type.trim());
  return m ? unwrapType(m[1]!) : type.trim();
}

const ESCAPES: Record<string, string> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", "0": "\0" };

/** ClickHouse's escaped text: `\x` is the control char for b f n r t 0, else x itself. */
function unescapeText(s: string): string {
  return s.replace(/\\([\s\S])/g, (_m, c: string) => ESCAPES[c] ?? c);
}

/** `['a\'b',1,NULL,[2]]` → ["a'b", 1, null, [2]] */
function parseArrayLiteral(text: string): BindValue[] {
  let i = 0;
  const fail = (): never => {
    throw new HttpFailure(457, "BAD_QUERY_PARAMETER", `cannot parse array parameter ${JSON.stringify(text)}`, 400);
  };
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const value = (): BindValue => {
    skipSpace();
    const c = text[i];
    if (c === "[") {
      i++;
      const items: BindValue[] = [];
      skipSpace();
      if (text[i] === "]") {
        i++;
        return items;
      }
      for (;;) {
        items.push(value());
        skipSpace();
        if (text[i] === ",") i++;
        else if (text[i] === "]") {
          i++;
          return items;
        } else return fail();
      }
    }
    if (c === "'") {
      i++;
      let out = "";
      while (i < text.length && text[i] !== "'") {
        if (text[i] === "\\" && i + 1 < text.length) {
          out += ESCAPES[text[i + 1]!] ?? text[i + 1]!;
          i += 2;
        } else out += text[i++]!;
      }
      if (text[i] !== "'") return fail();
      i++;
      return out;
    }
    const token = /^[^,\]\s]+/.exec(text.slice(i))?.[0] ?? fail();
    i += token.length;
    if (/^null$/i.test(token)) return null;
    if (/^-?\d+$/.test(token)) {
      const n = Number(token);
      return Number.isSafeInteger(n) ? n : BigInt(token);
    }
    const n = Number(token);
    return Number.isFinite(n) ? n : token;
  };
  const result = value();
  skipSpace();
  if (!Array.isArray(result) || i !== text.length) fail();
  return result as BindValue[];
}

/** Settings from the URL, checked to be plain names and plain values. */
function engineSettings(search: URLSearchParams): Map<string, string> {
  const settings = new Map<string, string>();
  for (const [key, value] of search) {
    if (key.startsWith("param_") || HTTP_ONLY.has(key)) continue;
    if (!/^[a-z_][a-z0-9_]*$/i.test(key) || !/^[\w.:\-]*$/.test(value)) {
      throw new HttpFailure(36, "BAD_ARGUMENTS", `setting ${key} with value ${JSON.stringify(value)} is not accepted here`, 400);
    }
    settings.set(key, value);
  }
  return settings;
}

const literal = (v: string) => (/^-?\d+(\.\d+)?$/.test(v) ? v : `'${v.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`);

/** Runs `fn` with the request's database and settings applied, then puts the session back. */
async function withContext<T>(
  lease: ChdbLease,
  database: string | null,
  settings: Map<string, string>,
  fn: () => Promise<T>,
): Promise<T> {
  const { session } = lease;
  const restore: string[] = [];
  try {
    if (database !== null && database !== "default") {
      if (!/^[A-Za-z_]\w*$/.test(database)) throw new HttpFailure(81, "UNKNOWN_DATABASE", `Database ${database} does not exist`, 404);
      const [current] = (await session.queryAsync("SELECT currentDatabase()", { format: "TabSeparatedRaw" })).text().split("\n");
      await session.queryAsync(`USE ${database}`, { format: "TabSeparated" });
      restore.push(`USE ${current}`);
    }
    for (const [name, value] of settings) {
      const prior = await session.queryBindAsync(
        "SELECT value FROM system.settings WHERE name = {name:String}",
        { name },
        { format: "TabSeparatedRaw" },
      );
      const priorValue = prior.text().replace(/\n$/, "");
      await session.queryAsync(`SET ${name} = ${literal(value)}`, { format: "TabSeparated" });
      restore.push(`SET ${name} = ${literal(priorValue)}`);
    }
    return await fn();
  } finally {
    for (const statement of restore.reverse()) await session.queryAsync(statement, { format: "TabSeparated" });
  }
}

/** ClickHouse's HTTP statuses for the error codes a client most often meets; 500 otherwise. */
const STATUS_BY_CODE: Record<number, number> = {
  62: 400, // SYNTAX_ERROR
  36: 400, // BAD_ARGUMENTS
  53: 400, // TYPE_MISMATCH
  27: 400, // CANNOT_PARSE_INPUT_ASSERTION_FAILED
  117: 400, // INCORRECT_DATA
  456: 400, // UNKNOWN_QUERY_PARAMETER
  457: 400, // BAD_QUERY_PARAMETER
  16: 404, // NO_SUCH_COLUMN_IN_TABLE
  46: 404, // UNKNOWN_FUNCTION
  47: 404, // UNKNOWN_IDENTIFIER
  60: 404, // UNKNOWN_TABLE
  81: 404, // UNKNOWN_DATABASE
  115: 404, // UNKNOWN_SETTING
  516: 401, // AUTHENTICATION_FAILED
  497: 403, // ACCESS_DENIED
};

async function asFailure(err: unknown, lease: ChdbLease): Promise<HttpFailure> {
  if (err instanceof HttpFailure) return err;
  const fields = (typeof err === "object" && err !== null ? err : {}) as { clickhouseCode?: unknown };
  const message = err instanceof Error ? err.message : String(err);
  const code = typeof fields.clickhouseCode === "number" ? fields.clickhouseCode : 1001;
  let type = "STD_EXCEPTION";
  try {
    const r = await lease.session.queryBindAsync("SELECT errorCodeToName({code:Int32})", { code }, { format: "TabSeparatedRaw" });
    type = r.text().trim() || type;
  } catch {
    // keep STD_EXCEPTION
  }
  return new HttpFailure(code, type, message, STATUS_BY_CODE[code] ?? 500);
}
