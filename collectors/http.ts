import { HostLimits, type RateLimit } from "./host-limits";
export type { RateLimit } from "./host-limits";
import { isIP } from "node:net";
import { createRequire } from "node:module";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { Agent, request, type Dispatcher } from "undici";
import { decodeText } from "./decode-text";
import {
  assertPublic,
  BlockedAddressError,
  classifyAddress,
  guardedLookup,
  isBlockedAddressError,
  parseAllowance,
  resolveAll,
  type LookupFunction,
  type PrivateNetworkAllowance,
} from "./private-address";

/**
 * The one HTTP client every collector uses.
 *
 * Built on undici's `request` with a dedicated `Agent`, not on `fetch`:
 * - `request` hands over the raw, still-compressed body, so the size cap counts
 *   the bytes on the wire and, separately, the bytes after decompression. A
 *   small gzip bomb cannot get past it, which `fetch`'s transparent decoding
 *   would allow.
 * - the Agent's `connect.lookup` is where the private-address guard resolves and
 *   checks a host; the socket then dials exactly the checked addresses, so DNS
 *   rebinding between check and connect cannot reach a private address.
 * - redirects are not followed by undici at all: every hop goes back through
 *   the guard and the protocol check here.
 * - using the installed undici 7 (not Node 20's bundled copy behind the global
 *   `fetch`) keeps the dispatcher and the request API from the same version.
 */

const VERSION = readVersion();
export const DEFAULT_USER_AGENT = `Earshot/${VERSION} (+https://github.com/earshot; social listening)`;

/** A feed page is well under a megabyte; 5 MiB leaves room and still bounds memory per poll. */
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
/** Per request (all redirect hops and the body); a slow feed must not hold a poll for minutes. */
export const DEFAULT_TIMEOUT_MS = 15_000;
/** Three tries in all: enough to ride out a blip, few enough not to hammer a struggling server. */
export const DEFAULT_MAX_ATTEMPTS = 3;
const DEFAULT_BASE_RETRY_DELAY_MS = 1_000;
/** A Retry-After longer than this is not waited out inside a poll: the error says so and the next tick retries. */
const DEFAULT_MAX_RETRY_DELAY_MS = 30_000;
const DEFAULT_MAX_REDIRECTS = 5;

/** 408, 425 and 429 say "later"; 500/502/503/504 are the server's own trouble. 501 and 505 will not change. */
const RETRYABLE_STATUS: ReadonlySet<number> = new Set([408, 425, 429, 500, 502, 503, 504]);
const REDIRECT_STATUS: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
/** Dropped when a redirect leaves the origin, as browsers do. */
const CROSS_ORIGIN_STRIPPED = ["authorization", "cookie", "proxy-authorization"];

/** Requests in flight at once to one host when its source states no budget: polite by default. */
export const DEFAULT_PER_HOST_CONCURRENCY = 4;

export interface SafeHttpOptions {
  /** Requests in flight at once per host (default 4). */
  perHostConcurrency?: number;
  /** Default DEFAULT_USER_AGENT. */
  userAgent?: string;
  /** Per request, covering redirects and the body. Default 15 s. */
  timeoutMs?: number;
  /** Largest body accepted, both as sent and after decompression. Default 5 MiB. */
  maxBytes?: number;
  /** Tries per request, first included, for 408/425/429/5xx and network errors. Default 3. */
  maxAttempts?: number;
  /** First backoff delay; doubles per retry. Default 1 s. */
  baseRetryDelayMs?: number;
  /** Cap on any single wait; a longer Retry-After ends the request instead. Default 30 s. */
  maxRetryDelayMs?: number;
  /** Default 5. */
  maxRedirects?: number;
  /**
   * Lets requests reach loopback, private, link-local … addresses: all of them
   * (true), or only the listed CIDR ranges/addresses. Default false.
   */
  allowPrivateNetworks?: PrivateNetworkAllowance;
  /** DNS resolution, `dns.lookup`-shaped. Default `dns.lookup`. */
  lookup?: LookupFunction;
  /** Told before each wait between tries; collectors log it. */
  onRetry?: (event: RetryEvent) => void;
}

export interface RetryEvent {
  url: string;
  /** The try that failed, starting at 1. */
  attempt: number;
  delayMs: number;
  /** True when the delay came from the server's Retry-After. */
  fromRetryAfter: boolean;
  error: HttpError;
}

export interface GetOptions {
  /** The host's request budget (the first one given for a host is kept); see host-limits.ts. */
  rate?: RateLimit;
  headers?: Record<string, string>;
  /** Sets the Accept header. */
  accept?: string;
  /** Sent as If-None-Match. */
  etag?: string | null;
  /** Sent as If-Modified-Since. */
  lastModified?: string | null;
  /** Usually the poll's ctx.signal; aborting it ends the request and any wait between tries. */
  signal?: AbortSignal;
  timeoutMs?: number;
  maxBytes?: number;
}

interface ResponseBase {
  /** The final URL, after redirects. */
  url: string;
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The validator to send next time: the response's, or the request's own on a 304 that omits it. */
  etag: string | null;
  lastModified: string | null;
}

export interface NotModifiedResponse extends ResponseBase {
  notModified: true;
}

export interface BodyResponse extends ResponseBase {
  notModified: false;
  contentType: string | null;
  /** The decompressed bytes. */
  body: Buffer;
  /** The body decoded with the detected charset. */
  text: string;
  /** The charset `text` was decoded with, e.g. "windows-1251". */
  charset: string;
}

export type HttpResponse = NotModifiedResponse | BodyResponse;

export interface PostOptions {
  /** The host's request budget, as for GET. */
  rate?: RateLimit;
  body: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  timeoutMs?: number;
  /**
   * Read the reply up to this many bytes, for an API whose answer is the point
   * (a larger reply is an HttpError "too-large"). Without it the reply is read
   * up to 64 KiB for error messages only, and a larger one arrives empty.
   */
  maxBytes?: number;
}

/** What a POST answered; the body is read up to a small cap, for error messages. */
export interface PostResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

export interface SafeHttp {
  /** GET with the guard, the caps, retries and decoding described above. Throws HttpError. */
  get(url: string | URL, options?: GetOptions): Promise<HttpResponse>;
  /**
   * One POST with the same guard and timeout, no redirects followed (a
   * notice must not be re-sent somewhere else) and no retries: whoever posts
   * owns its retries and records them (pipeline/alerts/deliver.ts). Any
   * status is returned; only transport failures throw HttpError.
   */
  post(url: string | URL, options: PostOptions): Promise<PostResponse>;
  /** Closes pooled connections. */
  close(): Promise<void>;
}

export type HttpErrorCode =
  | "status" // the server answered 4xx/5xx
  | "timeout" // timeoutMs passed
  | "aborted" // the caller's signal fired
  | "too-large" // body above maxBytes
  | "network" // connect, reset, DNS …
  | "blocked-address" // the private-address guard refused the host
  | "too-many-redirects"
  | "bad-url" // not http(s), or unparseable
  | "decode"; // unknown or corrupt Content-Encoding

/**
 * What SafeHttp throws. Carries what a SourceError needs (see
 * http-source-error.ts): a message that names the URL, and whether trying
 * again later can help. `url` is origin + path only:
 * query strings can hold API keys and must not reach logs.
 */
export class HttpError extends Error {
  override readonly name = "HttpError";
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  /** The start of an error response's body (APIs explain a 400 or 403 there); "" when none. */
  readonly bodyExcerpt: string;
  constructor(
    readonly code: HttpErrorCode,
    message: string,
    readonly url: string,
    readonly retryable: boolean,
    options: ErrorOptions & { status?: number; retryAfterMs?: number; bodyExcerpt?: string } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.bodyExcerpt = options.bodyExcerpt ?? "";
  }
}
export const isHttpError = (e: unknown): e is HttpError => e instanceof Error && e.name === "HttpError";

export function createSafeHttp(options: SafeHttpOptions = {}): SafeHttp {
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
  const defaultTimeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const defaultMaxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
  const baseDelayMs = options.baseRetryDelayMs ?? DEFAULT_BASE_RETRY_DELAY_MS;
  const maxDelayMs = options.maxRetryDelayMs ?? DEFAULT_MAX_RETRY_DELAY_MS;
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const guard = options.allowPrivateNetworks !== true;
  const allowed = Array.isArray(options.allowPrivateNetworks) ? parseAllowance(options.allowPrivateNetworks) : [];
  const lookup = options.lookup;

  const limits = new HostLimits(options.perHostConcurrency ?? DEFAULT_PER_HOST_CONCURRENCY);
  const agent = new Agent({
    connect: guard ? { lookup: guardedLookup(lookup, allowed) } : lookup ? { lookup } : {},
  });

  /** The early check: clear errors before any socket, and the only check literal IPs get. */
  async function checkTarget(url: URL): Promise<void> {
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new HttpError("bad-url", `only http and https URLs are fetched, not ${url.protocol}`, redact(url), false);
    }
    if (!guard) return;
    const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
    if (isIP(host)) {
      const verdict = classifyAddress(host, allowed);
      if (!verdict.allowed) throw blocked(url, new BlockedAddressError(host, host, verdict.range));
      return;
    }
    let addresses;
    try {
      addresses = await resolveAll(host, lookup);
    } catch (err) {
      throw new HttpError("network", `cannot resolve ${host}: ${errorText(err)}`, redact(url), true, { cause: err });
    }
    try {
      assertPublic(host, addresses, allowed);
    } catch (err) {
      throw blocked(url, err as BlockedAddressError);
    }
  }

  async function attempt(start: URL, init: GetOptions, signal: AbortSignal, maxBytes: number): Promise<HttpResponse> {
    const headers: Record<string, string> = {
      "user-agent": userAgent,
      "accept-encoding": "gzip, deflate, br",
      accept: init.accept ?? "*/*",
    };
    for (const [name, value] of Object.entries(init.headers ?? {})) headers[name.toLowerCase()] = value;
    if (init.etag) headers["if-none-match"] = init.etag;
    if (init.lastModified) headers["if-modified-since"] = init.lastModified;

    let url = start;
    for (let hop = 0; ; hop++) {
      await checkTarget(url);
      const res = await request(url, { dispatcher: agent, method: "GET", headers, signal });
      const resHeaders = flattenHeaders(res.headers);

      const location = resHeaders["location"];
      if (REDIRECT_STATUS.has(res.statusCode) && location) {
        await discard(res);
        if (hop >= maxRedirects) {
          throw new HttpError("too-many-redirects", `more than ${maxRedirects} redirects from ${redact(start)}`, redact(url), false);
        }
        let next: URL;
        try {
          next = new URL(location, url);
        } catch (err) {
          throw new HttpError("bad-url", `bad redirect location from ${redact(url)}`, redact(url), false, { cause: err });
        }
        if (next.origin !== url.origin) for (const name of CROSS_ORIGIN_STRIPPED) delete headers[name];
        url = next;
        continue;
      }

      const etag = resHeaders["etag"] ?? null;
      const lastModified = resHeaders["last-modified"] ?? null;
      if (res.statusCode === 304) {
        await discard(res);
        return {
          notModified: true,
          url: url.href,
          status: 304,
          headers: resHeaders,
          etag: etag ?? init.etag ?? null,
          lastModified: lastModified ?? init.lastModified ?? null,
        };
      }
      if (res.statusCode >= 300) {
        const bodyExcerpt = await excerpt(res);
        const retryAfterMs = retryDelayFromHeaders(res.statusCode, resHeaders, Date.now());
        throw new HttpError("status", `HTTP ${res.statusCode} from ${redact(url)}`, redact(url), RETRYABLE_STATUS.has(res.statusCode), {
          status: res.statusCode,
          bodyExcerpt,
          ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        });
      }

      const wire = await readCapped(res, url, maxBytes);
      const body = await decompress(wire, resHeaders["content-encoding"], url, maxBytes);
      const contentType = resHeaders["content-type"] ?? null;
      const decoded = decodeText(body, contentType ?? undefined);
      return {
        notModified: false,
        url: url.href,
        status: res.statusCode,
        headers: resHeaders,
        etag,
        lastModified,
        contentType,
        body,
        text: decoded.text,
        charset: decoded.charset,
      };
    }
  }

  async function attemptWithTimeout(url: URL, init: GetOptions, maxBytes: number): Promise<HttpResponse> {
    const timeoutMs = init.timeoutMs ?? defaultTimeoutMs;
    const timer = new AbortController();
    const handle = setTimeout(() => timer.abort(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, timer.signal]) : timer.signal;
    try {
      return await attempt(url, init, signal, maxBytes);
    } catch (err) {
      // Judge by which signal fired, not by the error's type: undici, zlib and
      // streams each report an abort differently.
      if (init.signal?.aborted) throw new HttpError("aborted", `request to ${redact(url)} aborted`, redact(url), true, { cause: err });
      if (timer.signal.aborted) {
        throw new HttpError("timeout", `no complete response from ${redact(url)} within ${timeoutMs} ms`, redact(url), true, { cause: err });
      }
      throw toHttpError(err, url);
    } finally {
      clearTimeout(handle);
    }
  }

  return {
    async get(input, init = {}) {
      let url: URL;
      try {
        url = new URL(input);
      } catch (err) {
        throw new HttpError("bad-url", `not a URL: ${String(input).slice(0, 200)}`, "", false, { cause: err });
      }
      const maxBytes = init.maxBytes ?? defaultMaxBytes;
      for (let tryNo = 1; ; tryNo++) {
        let error: HttpError;
        try {
          // Every try is a request: each one takes its turn in the host's budget.
          return await limits.run(url.host, init.rate, () => attemptWithTimeout(url, init, maxBytes), init.signal);
        } catch (err) {
          error = isHttpError(err) ? err : toHttpError(err, url);
        }
        // A timeout is not retried here: the poll already waited the whole
        // timeout once, and the next scheduled tick is the retry.
        const retryHere = error.retryable && (error.code === "status" || error.code === "network");
        if (!retryHere || tryNo >= maxAttempts) throw error;
        const fromRetryAfter = error.retryAfterMs !== undefined;
        const delayMs = fromRetryAfter ? (error.retryAfterMs ?? 0) : backoffDelay(tryNo, baseDelayMs, maxDelayMs);
        if (delayMs > maxDelayMs) {
          throw new HttpError(error.code, `${error.message}; Retry-After ${Math.ceil(delayMs / 1000)} s is longer than this poll waits`, error.url, true, {
            cause: error,
            ...(error.status === undefined ? {} : { status: error.status }),
            retryAfterMs: delayMs,
          });
        }
        options.onRetry?.({ url: redact(url), attempt: tryNo, delayMs, fromRetryAfter, error });
        try {
          await sleep(delayMs, undefined, init.signal ? { signal: init.signal } : undefined);
        } catch (err) {
          throw new HttpError("aborted", `request to ${redact(url)} aborted while waiting to retry`, redact(url), true, { cause: err });
        }
      }
    },
    async post(input, init) {
      let url: URL;
      try {
        url = new URL(input);
      } catch (err) {
        throw new HttpError("bad-url", `not a URL: ${String(input).slice(0, 200)}`, "", false, { cause: err });
      }
      const timeoutMs = init.timeoutMs ?? defaultTimeoutMs;
      const timer = AbortSignal.timeout(timeoutMs);
      const signal = init.signal ? AbortSignal.any([init.signal, timer]) : timer;
      const headers: Record<string, string> = { "user-agent": userAgent };
      for (const [name, value] of Object.entries(init.headers ?? {})) headers[name.toLowerCase()] = value;
      try {
        return await limits.run(
          url.host,
          init.rate,
          async () => {
            await checkTarget(url);
            const res = await request(url, { dispatcher: agent, method: "POST", headers, body: init.body, signal });
            const wire =
              init.maxBytes === undefined
                ? await readCapped(res, url, POST_REPLY_MAX_BYTES).catch(() => Buffer.alloc(0))
                : await readCapped(res, url, init.maxBytes);
            return { status: res.statusCode, headers: flattenHeaders(res.headers), text: wire.toString("utf8") };
          },
          signal,
        );
      } catch (err) {
        if (isHttpError(err)) throw err;
        if (timer.aborted) throw new HttpError("timeout", `no response from ${redact(url)} within ${timeoutMs} ms`, redact(url), true, { cause: err });
        if (init.signal?.aborted) throw new HttpError("aborted", `request to ${redact(url)} aborted`, redact(url), true, { cause: err });
        throw toHttpError(err, url);
      }
    },
    close: () => agent.close(),
  };
}

/** A POST's reply is only read for error messages. */
const POST_REPLY_MAX_BYTES = 64 * 1024;

/**
 * Retry-After as milliseconds from `nowMs`: either delta-seconds ("120") or an
 * HTTP date. Undefined when absent or unreadable; never negative.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/**
 * How long the server asks us to wait: Retry-After first; on a 429 without it,
 * the rate-limit reset headers (IETF `RateLimit-Reset`, Reddit's
 * `X-RateLimit-Reset` in seconds; GitHub's in epoch seconds; Mastodon's as an ISO 8601 time).
 */
export function retryDelayFromHeaders(status: number, headers: Record<string, string>, nowMs: number): number | undefined {
  const retryAfter = parseRetryAfter(headers["retry-after"], nowMs);
  if (retryAfter !== undefined || status !== 429) return retryAfter;
  const reset = headers["ratelimit-reset"] ?? headers["x-ratelimit-reset"];
  if (reset === undefined) return undefined;
  // Mastodon sends the reset as an ISO 8601 time ("2026-11-23T12:05:00.000Z"),
  // https://docs.joinmastodon.org/api/rate-limits/
  if (/^\d{4}-\d{2}-\d{2}T/.test(reset.trim())) {
    const at = Date.parse(reset.trim());
    return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
  }
  if (!/^\d+(\.\d+)?$/.test(reset.trim())) return undefined;
  const seconds = Number(reset);
  // Values past 2001-09-09 in epoch seconds are timestamps, not durations.
  return seconds > 1e9 ? Math.max(0, seconds * 1000 - nowMs) : Math.ceil(seconds * 1000);
}

/** Exponential with full jitter, so many sources failing together do not retry in step. */
export function backoffDelay(failedTry: number, baseMs: number, capMs: number): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** (failedTry - 1));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

async function readCapped(res: Dispatcher.ResponseData, url: URL, maxBytes: number): Promise<Buffer> {
  const declared = Number(res.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) {
    abandon(res);
    throw tooLarge(url, maxBytes, `declares ${declared} bytes`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res.body) {
    const buf = chunk as Buffer;
    total += buf.length;
    if (total > maxBytes) {
      abandon(res);
      throw tooLarge(url, maxBytes, "streamed past the limit");
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks, total);
}

const gunzip = promisify<zlib.InputType, zlib.ZlibOptions, Buffer>(zlib.gunzip);
const inflate = promisify<zlib.InputType, zlib.ZlibOptions, Buffer>(zlib.inflate);
const inflateRaw = promisify<zlib.InputType, zlib.ZlibOptions, Buffer>(zlib.inflateRaw);
const brotli = promisify<zlib.InputType, zlib.BrotliOptions, Buffer>(zlib.brotliDecompress);

/** Undoes Content-Encoding, last-applied first, with the output capped at maxBytes. */
async function decompress(wire: Buffer, encodingHeader: string | undefined, url: URL, maxBytes: number): Promise<Buffer> {
  if (!encodingHeader || wire.length === 0) return wire;
  const codings = encodingHeader.split(",").map((c) => c.trim().toLowerCase()).filter((c) => c !== "" && c !== "identity");
  let body = wire;
  for (const coding of codings.reverse()) {
    const opts = { maxOutputLength: maxBytes };
    try {
      if (coding === "gzip" || coding === "x-gzip") body = await gunzip(body, opts);
      else if (coding === "br") body = await brotli(body, opts);
      else if (coding === "deflate") {
        // "deflate" is meant to be zlib-wrapped, but some servers send it raw.
        body = body[0] !== undefined && (body[0] & 0x0f) === 8 ? await inflate(body, opts) : await inflateRaw(body, opts);
      } else {
        throw new HttpError("decode", `unsupported Content-Encoding "${coding}" from ${redact(url)}`, redact(url), false);
      }
    } catch (err) {
      if (isHttpError(err)) throw err;
      if ((err as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") throw tooLarge(url, maxBytes, `decompresses past the limit`);
      throw new HttpError("decode", `corrupt ${coding} body from ${redact(url)}`, redact(url), false, { cause: err });
    }
  }
  return body;
}

/** Closes a body we stopped reading; the abort error it then emits is expected, not news. */
function abandon(res: Dispatcher.ResponseData): void {
  res.body.on("error", () => {});
  res.body.destroy();
}

/** Reads and drops a body we will not use, so the connection can be reused; a huge one is cut off instead. */
/** Error bodies are read only this far: enough for an API's reason, never a whole page. */
const ERROR_EXCERPT_BYTES = 2_048;

/** The start of an error body as text (for messages and logs); the rest is dropped. */
async function excerpt(res: Dispatcher.ResponseData): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res.body) {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
      chunks.push(buf);
      size += buf.length;
      if (size >= ERROR_EXCERPT_BYTES) break;
    }
  } catch {
    // a broken error body: what was read is enough
  }
  if (size >= ERROR_EXCERPT_BYTES) await discard(res);
  if (res.headers["content-encoding"]) return ""; // compressed: not worth inflating for a message
  return Buffer.concat(chunks).subarray(0, ERROR_EXCERPT_BYTES).toString("utf8").replace(/\s+/g, " ").trim();
}

async function discard(res: Dispatcher.ResponseData): Promise<void> {
  try {
    await res.body.dump({ limit: 64 * 1024 });
  } catch {
    // The body is not needed; an error while dropping it changes nothing.
  }
}

function flattenHeaders(headers: Dispatcher.ResponseData["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

function toHttpError(err: unknown, url: URL): HttpError {
  if (isHttpError(err)) return err;
  const blockedErr = findInCauses(err, isBlockedAddressError);
  if (blockedErr) return blocked(url, blockedErr);
  return new HttpError("network", `request to ${redact(url)} failed: ${errorText(err)}`, redact(url), true, { cause: err });
}

function blocked(url: URL, err: BlockedAddressError): HttpError {
  return new HttpError("blocked-address", err.message, redact(url), false, { cause: err });
}

function tooLarge(url: URL, maxBytes: number, how: string): HttpError {
  return new HttpError("too-large", `response from ${redact(url)} ${how} (limit ${maxBytes} bytes)`, redact(url), false);
}

function findInCauses<T>(err: unknown, match: (e: unknown) => e is T): T | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    if (match(current)) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as NodeJS.ErrnoException).code;
  return code && !err.message.includes(code) ? `${code} ${err.message}` : err.message;
}

/** Origin and path: what a log line needs, without a query string that may carry a key. */
function redact(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

function readVersion(): string {
  try {
    const pkg = createRequire(import.meta.url)("../package.json") as { version?: unknown };
    return typeof pkg.version === "string" ? pkg.version : "0.0.0";
  } catch {
    return "0.0.0";
  }
}
