import type { IncomingMessage } from "node:http";
import ipaddr from "ipaddr.js";
import { addressInRanges, parseAllowance, type Cidr } from "../../collectors/private-address";

/**
 * The address of the client behind a request, for the sign-in limit and the
 * logs. Behind a reverse proxy every request comes from the proxy, so one
 * attacker's failed guesses would lock everyone out; the proxy's
 * `X-Forwarded-For` names the client, but anyone can send that header, so it
 * is believed only from the proxies the configuration lists
 * (`dashboard.trustedProxies`), and then read from the right: each trusted
 * proxy appends the address it saw, so the first address from the right that
 * is not a trusted proxy is the client (MDN, "X-Forwarded-For: Selecting an IP
 * address"; the same rule as express's `trust proxy` with a list).
 */
export type TrustedProxies = readonly Cidr[];

/** Parses "10.0.0.5" or "10.0.0.0/8" entries (checked by the configuration schema), as the outbound guard parses its allowance. */
export const parseTrustedProxies = (entries: readonly string[]): TrustedProxies => parseAllowance(entries);

export function clientAddress(req: IncomingMessage, trusted: TrustedProxies): string {
  const peer = req.socket.remoteAddress ?? "unknown";
  if (trusted.length === 0 || !addressInRanges(peer, trusted)) return peer;
  const header = req.headers["x-forwarded-for"];
  const hops = (Array.isArray(header) ? header.join(",") : (header ?? ""))
    .split(",")
    .map((hop) => hop.trim())
    .filter((hop) => hop !== "");
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    // A hop that is not an address (a proxy that writes "unknown", or garbage) ends the trust: use what we know.
    if (!ipaddr.isValid(hop)) return i === hops.length - 1 ? peer : hops[i + 1]!;
    if (!addressInRanges(hop, trusted)) return hop;
  }
  return hops[0] ?? peer;
}
