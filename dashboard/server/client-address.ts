import type { IncomingMessage } from "node:http";
import ipaddr from "ipaddr.js";

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
export type TrustedProxies = readonly (readonly [ipaddr.IPv4 | ipaddr.IPv6, number])[];

/** Parses "10.0.0.5" or "10.0.0.0/8" entries (checked by the configuration schema). */
export function parseTrustedProxies(entries: readonly string[]): TrustedProxies {
  return entries.map((entry) => {
    if (entry.includes("/")) return ipaddr.parseCIDR(entry);
    const ip = ipaddr.process(entry);
    return [ip, ip.kind() === "ipv4" ? 32 : 128] as const;
  });
}

const isTrusted = (address: string, trusted: TrustedProxies): boolean => {
  if (!ipaddr.isValid(address)) return false;
  const ip = ipaddr.process(address); // an IPv4-mapped IPv6 address is judged as the IPv4 it carries
  return trusted.some(([range, bits]) => range.kind() === ip.kind() && ip.match([range, bits] as [typeof ip, number]));
};

export function clientAddress(req: IncomingMessage, trusted: TrustedProxies): string {
  const peer = req.socket.remoteAddress ?? "unknown";
  if (trusted.length === 0 || !isTrusted(peer, trusted)) return peer;
  const header = req.headers["x-forwarded-for"];
  const hops = (Array.isArray(header) ? header.join(",") : (header ?? ""))
    .split(",")
    .map((hop) => hop.trim())
    .filter((hop) => hop !== "");
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    // A hop that is not an address (a proxy that writes "unknown", or garbage) ends the trust: use what we know.
    if (!ipaddr.isValid(hop)) return i === hops.length - 1 ? peer : hops[i + 1]!;
    if (!isTrusted(hop, trusted)) return hop;
  }
  return hops[0] ?? peer;
}
