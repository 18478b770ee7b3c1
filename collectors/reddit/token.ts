import { httpSourceError } from "../http-source-error";
import { SourceError, type PollContext } from "../source";
import { SOURCE_KIND } from "./parse";

/**
 * Application-only OAuth for Reddit: the client credentials grant
 * (POST /api/v1/access_token with HTTP Basic client id:secret and
 * grant_type=client_credentials). The token is kept in memory per client id
 * until shortly before it expires, so every Reddit source sharing an app
 * shares one token, and a restart simply asks for a new one.
 */

const TOKEN_PATH = "api/v1/access_token";
/** Asked for again this long before it expires, so a poll never starts with a token about to die. */
const REFRESH_MARGIN_MS = 5 * 60_000;

export interface TokenRequest {
  /** Root of the token endpoint, e.g. https://www.reddit.com */
  authBaseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Extra request headers (a configured User-Agent). */
  headers?: Record<string, string>;
}

interface CachedToken {
  token: string;
  /** Epoch ms after which the token is not used any more (expiry minus the margin). */
  renewAt: number;
}

const cache = new Map<string, CachedToken>();

/** A bearer token for the app: the cached one while it is fresh, otherwise a new one. */
export async function accessToken(req: TokenRequest, ctx: PollContext): Promise<string> {
  const key = cacheKey(req);
  const now = ctx.now().getTime();
  const cached = cache.get(key);
  if (cached && now < cached.renewAt) return cached.token;
  const { token, expiresInSeconds } = await requestToken(req, ctx);
  const lifetimeMs = expiresInSeconds * 1000;
  // A short-lived token is renewed at half its life instead of never being used.
  cache.set(key, { token, renewAt: now + lifetimeMs - Math.min(REFRESH_MARGIN_MS, lifetimeMs / 2) });
  ctx.log.debug({ expiresInSeconds }, "reddit token obtained");
  return token;
}

/** Drops the cached token after Reddit refused it, unless another poll has already replaced it. */
export function forgetToken(req: Pick<TokenRequest, "authBaseUrl" | "clientId">, token: string): void {
  const key = cacheKey(req);
  if (cache.get(key)?.token === token) cache.delete(key);
}

async function requestToken(req: TokenRequest, ctx: PollContext): Promise<{ token: string; expiresInSeconds: number }> {
  const url = new URL(TOKEN_PATH, withSlash(req.authBaseUrl));
  const where = `${url.origin}${url.pathname}`;
  let res;
  try {
    // No request budget (`rate`) here: www.reddit.com also serves the feeds the rss
    // source reads, and the first budget given for a host is the one kept.
    res = await ctx.http.post(url, {
      body: new URLSearchParams({ grant_type: "client_credentials" }).toString(),
      headers: {
        ...req.headers,
        authorization: `Basic ${Buffer.from(`${req.clientId}:${req.clientSecret}`, "utf8").toString("base64")}`,
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json",
      },
      signal: ctx.signal,
    });
  } catch (err) {
    throw httpSourceError(SOURCE_KIND, err);
  }

  if (res.status === 401 || res.status === 403) {
    throw new SourceError(
      SOURCE_KIND,
      `HTTP ${res.status} from ${where}: Reddit refused the app's credentials; check EARSHOT_REDDIT_CLIENT_ID and EARSHOT_REDDIT_CLIENT_SECRET (a "script" or "web app" app)`,
      false,
    );
  }
  if (res.status !== 200) {
    // 429 and 5xx pass with time; anything else is a request Reddit will keep refusing.
    const retryable = res.status === 429 || res.status === 408 || res.status >= 500;
    throw new SourceError(SOURCE_KIND, `HTTP ${res.status} from ${where} while asking for a token`, retryable);
  }

  let doc: unknown;
  try {
    doc = JSON.parse(res.text);
  } catch (err) {
    throw new SourceError(SOURCE_KIND, `the token answer from ${where} is not JSON`, false, { cause: err });
  }
  const body = typeof doc === "object" && doc !== null && !Array.isArray(doc) ? (doc as Record<string, unknown>) : {};
  // Reddit reports a refused grant with 200 and { "error": "unsupported_grant_type" }.
  if (body["error"] !== undefined) {
    throw new SourceError(SOURCE_KIND, `Reddit refused the token request: ${String(body["error"]).slice(0, 200)}`, false);
  }
  const token = body["access_token"];
  const expiresIn = body["expires_in"];
  if (typeof token !== "string" || token === "") {
    throw new SourceError(SOURCE_KIND, `the token answer from ${where} has no access_token`, false);
  }
  // Reddit's app tokens last 24 hours; an answer without a lifetime is used for one poll's worth of time.
  const expiresInSeconds = typeof expiresIn === "number" && Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 60;
  return { token, expiresInSeconds };
}

function cacheKey(req: Pick<TokenRequest, "authBaseUrl" | "clientId">): string {
  return `${withSlash(req.authBaseUrl)} ${req.clientId}`;
}

function withSlash(base: string): string {
  return base.endsWith("/") ? base : `${base}/`;
}
