import PQueue from "p-queue";

/**
 * A host's published request budget, e.g. Reddit 100 per minute, Mastodon 300
 * per 5 minutes, VK 3 per second.
 */
export interface RateLimit {
  requests: number;
  perMs: number;
  /** Requests in flight at once (default: the client's per-host default). */
  concurrency?: number;
}

/**
 * One queue per host, so every source that talks to the same host shares its
 * budget, however many are configured. p-queue (interval + intervalCap +
 * concurrency) does the counting: a small, well-kept library whose limits are
 * exactly these three numbers.
 *
 * The first limit given for a host is the one kept: sources of one kind state
 * the same limit, and a host never gets a looser budget by being asked twice.
 */
export class HostLimits {
  readonly #queues = new Map<string, PQueue>();
  readonly #defaultConcurrency: number;

  constructor(defaultConcurrency: number) {
    this.#defaultConcurrency = defaultConcurrency;
  }

  run<T>(host: string, limit: RateLimit | undefined, task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    let queue = this.#queues.get(host);
    if (queue === undefined) {
      queue = new PQueue(
        limit
          ? { concurrency: limit.concurrency ?? this.#defaultConcurrency, intervalCap: limit.requests, interval: limit.perMs }
          : { concurrency: this.#defaultConcurrency },
      );
      this.#queues.set(host, queue);
    }
    return queue.add(task, { signal, throwOnTimeout: true }) as Promise<T>;
  }

  /** Requests waiting or running per host (for health and the benchmark). */
  load(): Record<string, { pending: number; waiting: number }> {
    const out: Record<string, { pending: number; waiting: number }> = {};
    for (const [host, q] of this.#queues) out[host] = { pending: q.pending, waiting: q.size };
    return out;
  }
}
