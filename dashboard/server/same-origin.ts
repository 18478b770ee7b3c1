import type { IncomingHttpHeaders } from "node:http";

/**
 * True when the request carries no Origin header (non-browser clients) or an
 * Origin whose host is the Host the request was sent to. Only the host is
 * compared: behind a TLS-terminating proxy the browser's scheme (https) differs
 * from the one this server sees (http), while another site can never make a
 * browser send our host as its Origin. An opaque origin ("null") is refused.
 */
export function isSameOrigin(headers: IncomingHttpHeaders): boolean {
  const origin = headers.origin;
  if (origin === undefined) return true;
  const host = headers.host;
  if (!host) return false;
  let originHost: string;
  try {
    const url = new URL(origin);
    if (url.protocol !== "http:" && url.protocol !== "https:") return false;
    originHost = url.host;
  } catch {
    return false;
  }
  return originHost === normaliseHost(host);
}

/** `new URL` drops default ports and lower-cases; do the same to the Host header. */
function normaliseHost(host: string): string {
  try {
    return new URL(`http://${host}`).host;
  } catch {
    return host.toLowerCase();
  }
}
