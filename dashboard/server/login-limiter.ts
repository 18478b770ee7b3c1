import ipaddr from "ipaddr.js";

export interface LoginLimiterOptions {
  /** Failed logins allowed per address within `windowMs`. */
  maxFailures: number;
  windowMs: number;
  /** Addresses tracked at most; past this the stalest are forgotten (memory stays bounded under a spray). */
  maxAddresses?: number;
}

/**
 * Failed logins per client address in a sliding window. A success does not
 * clear the count: otherwise a user with one valid account could interleave
 * its own logins to keep guessing another's password.
 */
export class LoginLimiter {
  readonly #options: Required<LoginLimiterOptions>;
  readonly #now: () => number;
  // address → failure times, oldest first; Map order = least recently failed first
  readonly #failures = new Map<string, number[]>();

  constructor(options: LoginLimiterOptions, now: () => number) {
    this.#options = { maxAddresses: 10_000, ...options };
    this.#now = now;
  }

  /** 0 when `address` may try again; otherwise how long (ms) until it may. */
  retryAfterMs(address: string): number {
    const times = this.#recent(address);
    if (times.length < this.#options.maxFailures) return 0;
    // The attempt becomes possible when enough of the oldest failures age out.
    const freeing = times[times.length - this.#options.maxFailures]!;
    return Math.max(1, freeing + this.#options.windowMs - this.#now());
  }

  /** Counts one failure now; returns its time, which `forget()` takes to count it back. */
  recordFailure(address: string): number {
    const times = this.#recent(address);
    const at = this.#now();
    times.push(at);
    this.#failures.delete(address);
    this.#failures.set(address, times);
    for (const key of this.#failures.keys()) {
      if (this.#failures.size <= this.#options.maxAddresses) break;
      this.#failures.delete(key);
    }
    return at;
  }

  /**
   * Takes back one failure recorded at `at`. A caller counts an attempt as
   * failed before its slow check and forgets it when the check passes, so
   * attempts sent at once cannot all start before the first one fails.
   */
  forget(address: string, at: number): void {
    const times = this.#failures.get(address);
    const i = times?.lastIndexOf(at) ?? -1;
    if (times === undefined || i < 0) return;
    times.splice(i, 1);
    if (times.length === 0) this.#failures.delete(address);
  }

  #recent(address: string): number[] {
    const times = this.#failures.get(address);
    if (!times) return [];
    const from = this.#now() - this.#options.windowMs;
    const recent = times.filter((t) => t > from);
    if (recent.length === 0) this.#failures.delete(address);
    else this.#failures.set(address, recent);
    return recent;
  }
}

/**
 * The key a client's failures count under: an IPv4 address (also when the
 * socket shows it IPv4-mapped, ::ffff:a.b.c.d) as it is, an IPv6 address by
 * its /64. One home or server is usually given a whole /64 (RFC 6177), so
 * counting single IPv6 addresses would give one attacker 2^64 fresh allowances.
 */
export function clientKey(address: string | undefined): string {
  if (address === undefined || !ipaddr.isValid(address.split("%")[0]!)) return address ?? "unknown";
  const ip = ipaddr.process(address.split("%")[0]!);
  if (ip.kind() === "ipv4") return ip.toString();
  const parts = (ip as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16));
  return `${parts.join(":")}::/64`;
}
