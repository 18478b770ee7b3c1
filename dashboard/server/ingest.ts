import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger, RawMention } from "../../collectors/source";
import { ingestItems, MAX_ITEMS, parseIngestBody, SOURCE_NAME, type IngestProblem } from "../../collectors/webhook/parse";
import { signWebhook } from "../../pipeline/alerts/webhook";
import { normalize } from "../../pipeline/stages/normalize";
import { HttpError, readCappedBody, sendJson } from "./http";
import { LoginLimiter } from "./login-limiter";

/**
 * POST /ingest/<source>: mentions pushed by other tools. Machine to machine,
 * so neither the session cookie nor the CSRF header applies; the request is
 * trusted only through its signature, the scheme Earshot's own outgoing
 * webhook uses (pipeline/alerts/webhook.ts): `X-Earshot-Timestamp` (epoch
 * seconds) and `X-Earshot-Signature: sha256=<hex HMAC-SHA256 of
 * "<timestamp>.<raw body>">` under the shared secret.
 *
 * A replay inside the timestamp window repeats mentions the store already
 * holds under the same sourceIds; older ones are refused.
 */

export const INGEST_PATH_PREFIX = "/ingest/";
export const TIMESTAMP_HEADER = "x-earshot-timestamp";
export const SIGNATURE_HEADER = "x-earshot-signature";
/** The signing key must be at least this long, as the session secret. */
export const MIN_INGEST_SECRET_CHARS = 32;
export const MAX_INGEST_BODY_BYTES = 1 << 20;
/** How far a request's timestamp may be from the server's clock, either way. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;
/** Signed requests per source path and window before 429. */
export const DEFAULT_INGEST_LIMIT = { maxRequests: 60, windowMs: 60 * 1000 };
/** How long a pusher should wait when the pipeline could not keep its mentions. */
const STORE_RETRY_AFTER_S = 30;

/** The sender's words for what the pipeline would quarantine (reasons of pipeline/stages/normalize.ts). */
const UNREADABLE: Readonly<Record<string, string>> = {
  "empty-text": "no readable text: the text, title or html holds only markup, scripts or white space",
  "bad-published-at": "unreadable date",
  "id-too-long": "the id is longer than 512 characters",
};

/** What the route needs from the pipeline; `pipeline/main.ts` wires it. */
export interface IngestDeps {
  /** The shared HMAC key (EARSHOT_INGEST_SECRET); at least 32 characters. */
  secret: string;
  /** Resolves once the mentions are durable; the route answers 202 only after it. */
  /** `source` is the <source> of the path the mentions came in on. */
  push(mentions: RawMention[], source: string): Promise<void>;
}

export interface IngestOptions {
  limit: { maxRequests: number; windowMs: number };
  log: Logger;
  /** Epoch ms. */
  now(): number;
}

/** The body of the 202 (and of the 422 when no record was usable). */
export interface IngestReply {
  accepted: number;
  rejected: number;
  problems: IngestProblem[];
}

export type IngestHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

export function createIngest(deps: IngestDeps, options: IngestOptions): IngestHandler {
  if (deps.secret.length < MIN_INGEST_SECRET_CHARS) {
    throw new Error(`[earshot] [dashboard] the ingest secret must have at least ${MIN_INGEST_SECRET_CHARS} characters`);
  }
  // The limiter counts events in a sliding window per key: here signed requests per source path.
  const limiter = new LoginLimiter({ maxFailures: options.limit.maxRequests, windowMs: options.limit.windowMs, maxAddresses: 1000 }, options.now);
  const { log } = options;

  return async (req, res, url) => {
    const source = url.pathname.slice(INGEST_PATH_PREFIX.length);
    if (!url.pathname.startsWith(INGEST_PATH_PREFIX) || !SOURCE_NAME.test(source)) {
      throw new HttpError(404, "no such ingest path: use /ingest/<source>, where <source> is 1–64 of a-z, 0-9, _ and -, starting with a letter or digit");
    }
    if (req.method !== "POST") throw new HttpError(405, "use POST here", { Allow: "POST" });

    // Only signed requests count, so nobody without the secret can use up a tool's allowance.
    refuseOverLimit();

    // Headers first: an unsigned or stale request is refused before its body is read.
    const timestamp = signedTimestamp(req, options.now(), (reason) => refuse(reason));
    const signature = req.headers[SIGNATURE_HEADER];
    if (typeof signature !== "string" || signature === "") refuse(`the ${SIGNATURE_HEADER} header is missing`);

    const bytes = await readBody(req, MAX_INGEST_BODY_BYTES);
    const text = utf8(bytes);
    if (!signatureMatches(signWebhook(deps.secret, timestamp, text), signature)) refuse("the signature does not match the body");
    // Checked again and counted in the same tick: requests whose bodies
    // arrive together all passed the first check before any was counted.
    refuseOverLimit();
    limiter.recordFailure(source);

    let json: unknown;
    try {
      json = JSON.parse(text.replace(/^\uFEFF/, "")) as unknown;
    } catch (err) {
      const at = /position (\d+)/.exec(err instanceof Error ? err.message : "");
      throw new HttpError(400, `the body is not valid JSON${at ? ` (near character ${Number(at[1]) + 1})` : ""}`);
    }
    const count = ingestItems(json).length;
    if (count > MAX_ITEMS) throw new HttpError(413, `${count} mentions in one request; send at most ${MAX_ITEMS} per request`);

    const parsed = parseIngestBody(source, json);
    // A record the pipeline could only quarantine (normalize.ts: markup with no
    // readable text, such as HTML holding nothing but a <script>; a date it
    // cannot read) is refused here with the same reason, so the sender learns
    // of it now rather than an operator later.
    const problems = [...parsed.problems];
    const mentions = parsed.mentions.filter((mention, i) => {
      const verdict = normalize(mention, { now: options.now(), maxTextChars: MAX_INGEST_BODY_BYTES });
      if (verdict.kind !== "quarantine") return true;
      problems.push({ index: parsed.indexes[i]!, reason: UNREADABLE[verdict.reason] ?? `not readable (${verdict.reason})` });
      return false;
    });
    problems.sort((a, b) => a.index - b.index);
    if (mentions.length > 0) {
      try {
        await deps.push(mentions, source);
      } catch (err) {
        log.error({ err, source, mentions: mentions.length }, "ingest failed: the mentions were not stored");
        throw new HttpError(503, "the mentions could not be stored; send them again later", { "Retry-After": String(STORE_RETRY_AFTER_S) });
      }
    }
    log.info({ source, accepted: mentions.length, rejected: problems.length }, "ingest");
    const body: IngestReply = { accepted: mentions.length, rejected: problems.length, problems };
    if (mentions.length === 0 && problems.length > 0) {
      // A tool that only looks at the status code must see that nothing was taken.
      sendJson(res, 422, { error: "no mention in the body could be used", ...body });
      return;
    }
    sendJson(res, 202, body);

    function refuseOverLimit(): void {
      const waitMs = limiter.retryAfterMs(source);
      if (waitMs === 0) return;
      log.warn({ source }, "ingest refused: too many requests");
      throw new HttpError(429, "too many requests for this source; try again later", { "Retry-After": String(Math.ceil(waitMs / 1000)) });
    }

    function refuse(reason: string): never {
      log.warn({ source, address: req.socket.remoteAddress, reason }, "ingest refused: not signed");
      throw new HttpError(401, reason, { "WWW-Authenticate": 'Signature realm="earshot-ingest"' });
    }
  };
}

/** The timestamp header as sent (it is part of what was signed), once it is known to be recent. */
function signedTimestamp(req: IncomingMessage, nowMs: number, refuse: (reason: string) => never): string {
  const value = req.headers[TIMESTAMP_HEADER];
  if (typeof value !== "string" || value === "") return refuse(`the ${TIMESTAMP_HEADER} header is missing`);
  if (!/^\d{1,12}$/.test(value)) return refuse(`the ${TIMESTAMP_HEADER} header must be epoch seconds`);
  if (Math.abs(Number(value) * 1000 - nowMs) > MAX_CLOCK_SKEW_MS) {
    return refuse(`the ${TIMESTAMP_HEADER} header is more than ${MAX_CLOCK_SKEW_MS / 60_000} minutes from the server's clock`);
  }
  return value;
}

/** Compared in constant time; the expected value's length is public (sha256= and 64 hex digits). */
function signatureMatches(expected: string, given: string): boolean {
  const a = Buffer.from(expected, "utf8");
  const b = Buffer.from(given.trim().toLowerCase(), "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}

const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * The body as text, exactly: signWebhook hashes the UTF-8 of a string, so the
 * bytes must round-trip (a lenient decode would map different bytes to one text).
 */
function utf8(bytes: Buffer): string {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    throw new HttpError(400, "the body is not valid UTF-8");
  }
}

/**
 * The raw body (the signature covers its exact bytes), at most `maxBytes`: a
 * declared or actual size over the cap is 413 and the connection is then
 * closed rather than drained. Only uncompressed application/json in UTF-8 is
 * taken (415 otherwise).
 */
async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const [type = "", ...params] = (req.headers["content-type"] ?? "").split(";").map((p) => p.trim().toLowerCase());
  if (type !== "application/json") throw new HttpError(415, "the body must be application/json");
  const charset = params.find((p) => p.startsWith("charset="))?.slice("charset=".length).replace(/^"|"$/g, "");
  if (charset !== undefined && charset !== "utf-8" && charset !== "utf8") throw new HttpError(415, "the body must be UTF-8 JSON");
  const encoding = (req.headers["content-encoding"] ?? "identity").trim().toLowerCase();
  if (encoding !== "identity") throw new HttpError(415, "compressed bodies are not accepted; send the JSON uncompressed");

  return readCappedBody(req, maxBytes);
}
