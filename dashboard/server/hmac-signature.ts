import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * The HMAC-SHA256 signatures that services sign their calls to Earshot with
 * (Slack's `v0=…`, PagerDuty's `v1=…`): hex of the MAC over the given parts,
 * fed in order (so a raw body is never copied into one string).
 */
export function hmacSha256Hex(secret: string, ...parts: readonly (string | Buffer)[]): string {
  const mac = createHmac("sha256", secret);
  for (const part of parts) mac.update(part);
  return mac.digest("hex");
}

/** Whether any candidate equals `expected`, each compared in constant time (a signature's length is public). */
export function matchesAny(expected: string, candidates: readonly string[]): boolean {
  const want = Buffer.from(expected, "utf8");
  let found = false;
  for (const candidate of candidates) {
    const given = Buffer.from(candidate.trim(), "utf8");
    if (given.length === want.length && timingSafeEqual(given, want)) found = true;
  }
  return found;
}
