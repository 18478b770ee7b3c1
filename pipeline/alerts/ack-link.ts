import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * A link that acknowledges one incident without logging in:
 * `<base>/ack/<key>?exp=<epoch seconds>&sig=<hmac>`, where
 * sig = base64url(HMAC-SHA256(secret, "ack:<key>:<exp>")). The key and the
 * expiry are both signed, so neither can be changed; the expiry bounds how
 * long a forwarded e-mail or chat message can still act. The secret comes from
 * EARSHOT_ACK_LINK_SECRET (read in pipeline/config, passed in here).
 *
 * Pure: the clock is a parameter.
 */

/** Shorter secrets are refused: HMAC keys below the hash's output size weaken it (RFC 2104 §3). */
export const MIN_ACK_SECRET_LENGTH = 32;
/** A day: long enough for a night on call, short enough that an old message stops working. */
export const DEFAULT_ACK_TTL_MS = 24 * 60 * 60 * 1000;

export interface AckLinkOptions {
  /** The dashboard's public URL, e.g. https://earshot.example.com (a path prefix is kept). */
  baseUrl: string;
  secret: string;
  /** Epoch ms now. */
  now: number;
  ttlMs?: number;
}

export function makeAckLink(incidentKey: string, options: AckLinkOptions): string {
  assertSecret(options.secret);
  // URL parsers resolve "." and ".." segments (even as %2E), so such a key could not survive the trip
  if (incidentKey === "" || /^(\.|%2e){1,2}$/i.test(incidentKey)) throw new RangeError(`an incident key cannot be ${JSON.stringify(incidentKey)} in a link`);
  const exp = Math.floor((options.now + (options.ttlMs ?? DEFAULT_ACK_TTL_MS)) / 1000);
  const base = options.baseUrl.replace(/\/+$/, "");
  const sig = signAck(options.secret, incidentKey, exp);
  return `${base}/ack/${encodeURIComponent(incidentKey)}?exp=${exp}&sig=${sig}`;
}

export type AckVerdict =
  | { ok: true; key: string; expiresAt: number }
  | { ok: false; reason: "malformed" | "bad-signature" | "expired" };

/**
 * Checks the parts of an ack request as the HTTP route receives them: the
 * (already URL-decoded) key from the path and the `exp` and `sig` query
 * values. The signature is checked before the expiry, so an attacker learns
 * nothing about expiries from forged links; the comparison is constant-time.
 */
export function verifyAck(
  parts: { key: string; exp: string | null; sig: string | null },
  secret: string,
  now: number,
): AckVerdict {
  assertSecret(secret);
  const { key, exp, sig } = parts;
  if (key === "" || exp === null || sig === null || !/^\d{1,12}$/.test(exp) || !/^[A-Za-z0-9_-]{43}$/.test(sig))
    return { ok: false, reason: "malformed" };
  const expected = Buffer.from(signAck(secret, key, Number(exp)), "ascii");
  const given = Buffer.from(sig, "ascii");
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: "bad-signature" };
  const expiresAt = Number(exp) * 1000;
  if (now >= expiresAt) return { ok: false, reason: "expired" };
  return { ok: true, key, expiresAt };
}

/** verifyAck() over a whole link or request URL (`/ack/<key>?exp=…&sig=…`, absolute or relative). */
export function verifyAckLink(link: string, secret: string, now: number): AckVerdict {
  let url: URL;
  try {
    url = new URL(link, "http://earshot.invalid");
  } catch {
    return { ok: false, reason: "malformed" };
  }
  const match = /\/ack\/([^/]+)$/.exec(url.pathname);
  if (!match) return { ok: false, reason: "malformed" };
  let key: string;
  try {
    key = decodeURIComponent(match[1]!);
  } catch {
    return { ok: false, reason: "malformed" };
  }
  return verifyAck({ key, exp: url.searchParams.get("exp"), sig: url.searchParams.get("sig") }, secret, now);
}

function signAck(secret: string, key: string, exp: number): string {
  // the "ack:" prefix keeps these signatures apart from anything else signed with a shared secret
  return createHmac("sha256", secret).update(`ack:${key}:${exp}`).digest("base64url");
}

function assertSecret(secret: string): void {
  if (secret.length < MIN_ACK_SECRET_LENGTH)
    throw new RangeError(`the ack-link secret must have at least ${MIN_ACK_SECRET_LENGTH} characters`);
}
