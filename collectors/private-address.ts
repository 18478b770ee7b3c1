import { lookup as systemLookup, type LookupAddress, type LookupOptions } from "node:dns";
import ipaddr from "ipaddr.js";
import { z } from "zod";

/**
 * The private-address guard shared by every collector request.
 *
 * A feed URL comes from configuration, but the hosts it redirects to, and the
 * addresses its name resolves to, come from the outside. Without this guard a
 * feed could point Earshot at the cloud metadata service (169.254.169.254), the
 * ClickHouse server next door, or the dashboard itself.
 */

/** Only these ipaddr.js ranges may be contacted; everything else is refused. */
const PUBLIC_RANGES: ReadonlySet<string> = new Set(["unicast"]);

/** Why an address was refused: the ipaddr.js range name, e.g. "loopback", "private", "linkLocal". */
export type AddressVerdict = { allowed: true } | { allowed: false; range: string };

/**
 * Which non-public addresses may still be reached: none (the default), all
 * (`true`, for a closed network or tests), or the listed CIDR ranges and
 * addresses, e.g. ["10.20.0.0/16", "192.168.1.5"] for one intranet feed.
 */
export type PrivateNetworkAllowance = boolean | readonly string[];

export type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** Whether `ip` lies in one of `ranges` (an IPv4 range never holds an IPv6 address, nor the reverse). */
const inAny = (ip: ipaddr.IPv4 | ipaddr.IPv6, ranges: readonly Cidr[]): boolean =>
  ranges.some(([net, bits]) => net.kind() === ip.kind() && ip.match(net, bits));

/** Whether `address` is a valid IP address in one of `ranges`; an IPv4-mapped IPv6 address counts as the IPv4 it carries. */
export function addressInRanges(address: string, ranges: readonly Cidr[]): boolean {
  return ipaddr.isValid(address) && inAny(ipaddr.process(address), ranges);
}

/**
 * Classifies one IP address. An allow-list, not a block-list: only ordinary
 * public unicast passes, plus whatever `allowed` lists. IPv4-mapped IPv6
 * (::ffff:127.0.0.1) is judged as the IPv4 address it carries; NAT64, 6to4 and
 * Teredo are refused because they can carry a private IPv4 address inside; the
 * deprecated IPv4-compatible form (::a.b.c.d) is refused for the same reason.
 */
export function classifyAddress(address: string, allowed: readonly Cidr[] = []): AddressVerdict {
  const bare = address.startsWith("[") && address.endsWith("]") ? address.slice(1, -1) : address;
  // A zone id (fe80::1%eth0) only appears on link-local addresses.
  const withoutZone = bare.split("%")[0] ?? bare;
  if (!ipaddr.isValid(withoutZone)) return { allowed: false, range: "invalid" };
  const ip = ipaddr.process(withoutZone);
  if (inAny(ip, allowed)) return { allowed: true };
  const range = ip.range();
  if (!PUBLIC_RANGES.has(range)) return { allowed: false, range };
  if (ip.kind() === "ipv6" && (ip as ipaddr.IPv6).parts.slice(0, 6).every((p) => p === 0)) {
    return { allowed: false, range: "ipv4Compatible" };
  }
  return { allowed: true };
}

/** Parses the listed ranges once; a bare address is a /32 or /128. Throws on a bad entry. */
export function parseAllowance(list: readonly string[]): Cidr[] {
  return list.map((entry) => {
    if (entry.includes("/")) return ipaddr.parseCIDR(entry);
    const ip = ipaddr.process(entry);
    return [ip, ip.kind() === "ipv4" ? 32 : 128];
  });
}

/** Whether `entry` is an address or CIDR range parseAllowance() takes. */
export function isAllowanceEntry(entry: string): boolean {
  try {
    parseAllowance([entry]);
    return true;
  } catch {
    return false;
  }
}

const allowanceEntry = z.string().trim().refine(isAllowanceEntry, {
  error: (issue) => `${JSON.stringify(issue.input)} is not an IP address or CIDR range (e.g. "10.20.0.0/16", "192.168.1.5", "fd00::/8")`,
});

/** Addresses and ranges as the configuration gives them: a list in the file, one comma-separated string from the environment. */
const addressListForms = [
  z.array(allowanceEntry),
  z
    .string()
    .transform((text) => text.split(",").map((e) => e.trim()).filter((e) => e !== ""))
    .pipe(z.array(allowanceEntry)),
] as const;

/** A list of addresses and ranges, every entry checked when the configuration loads (e.g. `dashboard.trustedProxies`). */
export const addressListSchema = z.union(addressListForms);

/**
 * `http.allowPrivateNetworks` in the configuration: false (the default: only
 * public addresses), true (everything: a closed network or tests), or the
 * private ranges and addresses that may be reached, as a list or, from an
 * environment variable, one comma-separated string ("10.20.0.0/16,192.168.1.5").
 * Every entry is checked when the configuration loads, not at the first request.
 */
export const privateNetworkAllowanceSchema = z.union([z.boolean(), ...addressListForms]) satisfies z.ZodType<PrivateNetworkAllowance>;

/** Thrown when a host is, or resolves to, an address the guard refuses. */
export class BlockedAddressError extends Error {
  override readonly name = "BlockedAddressError";
  constructor(
    readonly host: string,
    readonly address: string,
    readonly range: string,
  ) {
    super(`refused to connect to ${host} (${address} is ${range}); list it in allowPrivateNetworks to allow it`);
  }
}
export const isBlockedAddressError = (e: unknown): e is BlockedAddressError =>
  e instanceof Error && e.name === "BlockedAddressError";

export type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** The shape of `dns.lookup` that `net.connect({ lookup })` calls. */
export type LookupFunction = (hostname: string, options: LookupOptions, callback: LookupCallback) => void;

/** Resolves every address of a host, as the connection would. */
export function resolveAll(hostname: string, lookup: LookupFunction = systemLookup as LookupFunction): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => {
    lookup(hostname, { all: true, verbatim: true }, (err, addresses) => {
      if (err) reject(err);
      else resolve(Array.isArray(addresses) ? addresses : [{ address: addresses, family: addresses.includes(":") ? 6 : 4 }]);
    });
  });
}

/** Throws BlockedAddressError unless every address is public (or allowed). One bad address refuses the host. */
export function assertPublic(host: string, addresses: readonly LookupAddress[], allowed: readonly Cidr[] = []): void {
  for (const { address } of addresses) {
    const verdict = classifyAddress(address, allowed);
    if (!verdict.allowed) throw new BlockedAddressError(host, address, verdict.range);
  }
}

/**
 * A `lookup` for `net.connect`/`tls.connect` that resolves, checks and hands the
 * checked addresses straight to the socket. Because the addresses the socket
 * dials are the very ones that were checked, a DNS answer that changes between
 * an earlier check and the connect (DNS rebinding) cannot reach a private
 * address. Literal IPs never reach a lookup (Node skips it), so callers check
 * those before connecting.
 */
export function guardedLookup(lookup: LookupFunction = systemLookup as LookupFunction, allowed: readonly Cidr[] = []): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true, verbatim: true }, (err, result) => {
      if (err) return callback(err, []);
      const addresses = Array.isArray(result) ? result : [{ address: result, family: result.includes(":") ? 6 : 4 }];
      try {
        assertPublic(hostname, addresses, allowed);
      } catch (blocked) {
        return callback(blocked as NodeJS.ErrnoException, []);
      }
      const family = options.family === "IPv4" ? 4 : options.family === "IPv6" ? 6 : options.family;
      const wanted = family === 4 || family === 6 ? addresses.filter((a) => a.family === family) : addresses;
      if (options.all) return callback(null, wanted);
      const first = wanted[0];
      if (!first) return callback(Object.assign(new Error(`no IPv${String(family)} address for ${hostname}`), { code: "ENOTFOUND" }), []);
      callback(null, first.address, first.family);
    });
  };
}
