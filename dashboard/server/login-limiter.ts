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

  recordFailure(address: string): void {
    const times = this.#recent(address);
    times.push(this.#now());
    this.#failures.delete(address);
    this.#failures.set(address, times);
    for (const key of this.#failures.keys()) {
      if (this.#failures.size <= this.#options.maxAddresses) break;
      this.#failures.delete(key);
    }
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
