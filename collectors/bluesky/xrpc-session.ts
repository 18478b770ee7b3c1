import { httpSourceError } from "../http-source-error";
import { SourceError, type PollContext } from "../source";
import { SOURCE_KIND } from "./parse";

/**
 * Signing in to Bluesky with an app password, over plain XRPC
 * (com.atproto.server.createSession / refreshSession), and keeping the
 * session between polls.
 *
 * createSession is rate-limited per account (about 30 per five minutes and
 * 300 a day), so a session is made once and kept: the access token (about
 * two hours) is renewed with the refresh token (about two months) shortly
 * before it expires, read from the token's own `exp`; when the server still
 * refuses it, the caller asks for a renewal once. A refresh token is single-use, so
 * concurrent polls share one renewal instead of racing to spend it.
 */

export const IDENTIFIER_ENV = "EARSHOT_BLUESKY_IDENTIFIER";
export const PASSWORD_ENV = "EARSHOT_BLUESKY_APP_PASSWORD";

/** Renew this long before the access token's `exp`, so a token does not expire mid-poll. */
const RENEW_BEFORE_MS = 60_000;

export interface Session {
  did: string;
  handle: string | undefined;
  accessJwt: string;
  refreshJwt: string;
  /** Epoch ms from the token's `exp`, or null when it cannot be read. */
  accessExpiresAt: number | null;
  refreshExpiresAt: number | null;
}

export interface Account {
  /** The PDS or entryway, without a trailing slash. */
  service: string;
  identifier: string;
  password: string;
}

export interface SessionCache {
  /** A session whose access token is good for at least another minute. */
  current(account: Account, ctx: PollContext): Promise<Session>;
  /** After the server refused `stale`'s access token: a renewed session (refreshed, or signed in afresh). */
  renew(account: Account, stale: Session, ctx: PollContext): Promise<Session>;
}

export function createSessionCache(): SessionCache {
  /**
   * Per service and identifier. The entry is set synchronously when a sign-in
   * or renewal starts, so whoever asks meanwhile waits for that one instead of
   * starting another; `session` is filled in once it has settled.
   */
  const sessions = new Map<string, { promise: Promise<Session>; session?: Session }>();
  const keyOf = (a: Account) => `${a.service}\n${a.identifier}`;

  function start(key: string, make: () => Promise<Session>): Promise<Session> {
    const entry: { promise: Promise<Session>; session?: Session } = { promise: make() };
    sessions.set(key, entry);
    entry.promise.then(
      (session) => {
        entry.session = session;
      },
      // A failed sign-in is not kept: the next poll tries again.
      () => {
        if (sessions.get(key) === entry) sessions.delete(key);
      },
    );
    return entry.promise;
  }

  const cache: SessionCache = {
    async current(account, ctx) {
      const key = keyOf(account);
      const entry = sessions.get(key);
      if (entry === undefined) return start(key, () => createSession(account, ctx));
      // A sign-in under way is shared, its failure too.
      const session = await entry.promise;
      if (goodFor(session.accessExpiresAt, ctx.now().getTime())) return session;
      return cache.renew(account, session, ctx);
    },

    async renew(account, stale, ctx) {
      const key = keyOf(account);
      const entry = sessions.get(key);
      // Someone is renewing it, or has: theirs is the one to use.
      if (entry !== undefined && entry.session !== stale) return entry.promise;
      return start(key, async () => {
        if (goodFor(stale.refreshExpiresAt, ctx.now().getTime())) {
          const refreshed = await refreshSession(account, stale, ctx);
          if (refreshed !== undefined) return refreshed;
        }
        return createSession(account, ctx);
      });
    },
  };
  return cache;
}

function goodFor(expiresAt: number | null, nowMs: number): boolean {
  return expiresAt === null || expiresAt - nowMs > RENEW_BEFORE_MS;
}

async function createSession(account: Account, ctx: PollContext): Promise<Session> {
  const reply = await xrpcPost(ctx, `${account.service}/xrpc/com.atproto.server.createSession`, {
    body: JSON.stringify({ identifier: account.identifier, password: account.password }),
  });
  if (reply.status === 200) return sessionFrom(reply.json, "createSession");
  throw signInError(reply, account);
}

/** A refreshed session, or undefined when the refresh token is spent or expired (sign in afresh then). */
async function refreshSession(account: Account, stale: Session, ctx: PollContext): Promise<Session | undefined> {
  const reply = await xrpcPost(ctx, `${account.service}/xrpc/com.atproto.server.refreshSession`, { bearer: stale.refreshJwt });
  if (reply.status === 200) return sessionFrom(reply.json, "refreshSession");
  // ExpiredToken / InvalidToken come as 400 or 401: the refresh token is done for, a new sign-in is the way on.
  if (reply.status === 400 || reply.status === 401) {
    ctx.log.info({ status: reply.status, error: reply.error }, "bluesky refresh token refused; signing in again");
    return undefined;
  }
  throw replyError(reply, "refreshSession");
}

interface XrpcReply {
  status: number;
  headers: Record<string, string>;
  json: unknown;
  /** The XRPC error name (`{ "error": "ExpiredToken" }`), when the body has one. */
  error: string | undefined;
  message: string | undefined;
}

async function xrpcPost(ctx: PollContext, url: string, request: { body?: string; bearer?: string }): Promise<XrpcReply> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (request.body !== undefined) headers["content-type"] = "application/json";
  if (request.bearer !== undefined) headers["authorization"] = `Bearer ${request.bearer}`;
  let response;
  try {
    response = await ctx.http.post(url, { body: request.body ?? "", headers, signal: ctx.signal });
  } catch (err) {
    throw httpSourceError(SOURCE_KIND, err);
  }
  let json: unknown;
  try {
    json = JSON.parse(response.text);
  } catch {
    json = undefined;
  }
  const body = typeof json === "object" && json !== null ? (json as Record<string, unknown>) : {};
  return { status: response.status, headers: response.headers, json, error: shortText(body["error"], 100), message: shortText(body["message"], 200) };
}

function sessionFrom(json: unknown, method: string): Session {
  const body = typeof json === "object" && json !== null ? (json as Record<string, unknown>) : {};
  const { did, handle, accessJwt, refreshJwt } = body;
  if (typeof did !== "string" || typeof accessJwt !== "string" || typeof refreshJwt !== "string" || accessJwt === "" || refreshJwt === "") {
    throw new SourceError(SOURCE_KIND, `${method} answered without the session's did and tokens`, false);
  }
  return {
    did,
    handle: typeof handle === "string" ? handle : undefined,
    accessJwt,
    refreshJwt,
    accessExpiresAt: jwtExpiry(accessJwt),
    refreshExpiresAt: jwtExpiry(refreshJwt),
  };
}

/**
 * The `exp` of a JWT, in epoch ms, read without checking the signature: it
 * only decides when to renew; the server remains the judge of the token.
 */
export function jwtExpiry(jwt: string): number | null {
  const payload = jwt.split(".")[1];
  if (payload === undefined) return null;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    const exp = typeof claims === "object" && claims !== null ? (claims as Record<string, unknown>)["exp"] : undefined;
    return typeof exp === "number" && Number.isFinite(exp) ? exp * 1000 : null;
  } catch {
    return null;
  }
}

function signInError(reply: XrpcReply, account: Account): SourceError {
  if (reply.error === "AuthFactorTokenRequired") {
    return new SourceError(
      SOURCE_KIND,
      `the account ${account.identifier} asks for an e-mail sign-in code: put an app password (Settings → Privacy and security → App passwords) in ${PASSWORD_ENV}`,
      false,
    );
  }
  if (reply.status === 401 || reply.status === 400) {
    return new SourceError(
      SOURCE_KIND,
      `Bluesky refused the sign-in of ${account.identifier}: ${reply.error ?? `HTTP ${reply.status}`}${reply.message === undefined ? "" : ` (${reply.message})`}; check ${IDENTIFIER_ENV} and ${PASSWORD_ENV}`,
      false,
    );
  }
  return replyError(reply, "createSession");
}

/** 429 and 5xx pass; any other refusal will not change by itself. */
function replyError(reply: XrpcReply, method: string): SourceError {
  const retryable = reply.status === 429 || reply.status >= 500;
  const reset = Number(reply.headers["ratelimit-reset"]);
  const when = reply.status === 429 && Number.isFinite(reset) && reset > 0 ? `; the limit resets at ${new Date(reset * 1000).toISOString()}` : "";
  const what = reply.error === undefined ? "" : `: ${reply.error}${reply.message === undefined ? "" : ` (${reply.message})`}`;
  return new SourceError(SOURCE_KIND, `${method} answered HTTP ${reply.status}${what}${when}`, retryable);
}

/** Text from the server for a message: one line, capped, since the server is not ours. */
function shortText(value: unknown, max: number): string | undefined {
  if (typeof value !== "string") return undefined;
  const clean = value.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
  return clean === "" ? undefined : clean.slice(0, max);
}
