import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

/**
 * Password hashes as self-describing strings: `scrypt$N$r$p$salt$hash` (salt
 * and hash base64url). The parameters travel with each hash, so raising them
 * later does not lock anyone out: old hashes still verify with their own
 * parameters and are rewritten with the new ones at the next sign-in
 * (`needsRehash`).
 *
 * scrypt is node:crypto's, which is OpenSSL's implementation (EVP_PBE_scrypt),
 * a well-kept and widely reviewed one; no hand-written KDF here.
 *
 * Parameters: RFC 7914 (The scrypt Password-Based Key Derivation Function)
 * defines N (CPU/memory cost), r (block size) and p (parallelism). The OWASP
 * Password Storage Cheat Sheet
 * (https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#scrypt)
 * lists equally strong settings, from N=2^17, r=8, p=1 to N=2^13, r=8, p=10.
 * We take its N=2^14, r=8, p=5: the same work as the first, but 16 MiB of
 * memory per hash instead of 128 MiB, so a burst of sign-ins (each one hash,
 * up to libuv's thread pool at once) cannot exhaust the server's memory, and it
 * fits node's default scrypt memory cap (32 MiB).
 */

export interface ScryptParams {
  /** CPU/memory cost, a power of two. */
  N: number;
  r: number;
  p: number;
}

export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 14, r: 8, p: 5 };
const KEY_BYTES = 32;
const SALT_BYTES = 16;
/** Refuse to run absurd parameters read from a damaged or hostile row (128·N·r bytes of memory). */
const MAX_MEMORY_BYTES = 256 * 1024 * 1024;

/** A new hash of `password` with a fresh random salt. */
export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, params, KEY_BYTES);
  return encode(params, salt, key);
}

/**
 * Whether `password` matches `encoded`, compared in constant time. A malformed
 * hash never matches, but still costs one derivation, so it does not answer
 * faster than a real one.
 */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const parsed = decode(encoded);
  if (parsed === null) {
    await derive(password, randomBytes(SALT_BYTES), DEFAULT_SCRYPT, KEY_BYTES);
    return false;
  }
  const key = await derive(password, parsed.salt, parsed.params, parsed.hash.length);
  return timingSafeEqual(key, parsed.hash);
}

/** True when the hash was made with other parameters than `params` (rewrite it at the next sign-in). */
export function needsRehash(encoded: string, params: ScryptParams = DEFAULT_SCRYPT): boolean {
  const parsed = decode(encoded);
  return parsed === null || parsed.params.N !== params.N || parsed.params.r !== params.r || parsed.params.p !== params.p;
}

/**
 * A hash nobody's password matches, with the default parameters: verified in
 * place of an unknown user so that a miss costs what a hit costs.
 */
export function decoyHash(params: ScryptParams = DEFAULT_SCRYPT): string {
  return encode(params, randomBytes(SALT_BYTES), randomBytes(KEY_BYTES));
}

function encode(params: ScryptParams, salt: Buffer, key: Buffer): string {
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

function decode(encoded: string): { params: ScryptParams; salt: Buffer; hash: Buffer } | null {
  const parts = encoded.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return null;
  const [N, r, p] = parts.slice(1, 4).map((s) => (/^\d{1,10}$/.test(s!) ? Number(s) : NaN)) as [number, number, number];
  const powerOfTwo = N > 1 && (N & (N - 1)) === 0;
  if (!powerOfTwo || !(r >= 1 && r <= 64) || !(p >= 1 && p <= 64) || 128 * N * r > MAX_MEMORY_BYTES) return null;
  const salt = Buffer.from(parts[4]!, "base64url");
  const hash = Buffer.from(parts[5]!, "base64url");
  if (salt.length < 8 || hash.length < 16 || hash.length > 64) return null;
  return { params: { N, r, p }, salt, hash };
}

/** Passwords are NFC-normalised so "ś" typed as one code point or two is the same password. */
function derive(password: string, salt: Buffer, params: ScryptParams, bytes: number): Promise<Buffer> {
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 128 * params.N * params.r * 2 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFC"), salt, bytes, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}
