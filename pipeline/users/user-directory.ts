import type { Logger } from "../../collectors/source";
import type { UsersStore } from "../store/users-queries";
import type { UserRecord } from "./user-record";

/**
 * The users as the dashboard last read them from the store, for lookups on
 * every request without a query each time.
 *
 * Freshness: changes made through this process (the users API) call
 * `refresh()` before they answer, so they apply at once. Changes made by
 * another process (`earshot users …` on the same store) are picked up by a
 * re-read every `refreshMs` (default 5 s). We re-read on a timer rather than on
 * a failed lookup because a failed lookup only ever notices *new* users: a
 * removal, a disabling, a demotion or a new password leaves the stale entry
 * found, and those are the changes that must not wait. A re-read on a miss
 * would also make an unknown name answer slower than a known one (a timing
 * oracle for usernames) and let anyone drive store queries from the login form.
 * If a re-read fails (store away), the last list stays in use and a warning is
 * logged.
 */
export class UserDirectory {
  readonly #store: UsersStore;
  readonly #log: Logger;
  #byName = new Map<string, UserRecord>();
  #timer: ReturnType<typeof setInterval> | null = null;
  #inFlight: Promise<void> | null = null;

  constructor(store: UsersStore, log: Logger) {
    this.#store = store;
    this.#log = log;
  }

  /** Reads the users again. Reads run one after another, so an older answer never replaces a newer one. */
  async refresh(): Promise<void> {
    const previous = this.#inFlight;
    const next = (async () => {
      await previous?.catch(() => {});
      const users = await this.#store.users();
      this.#byName = new Map(users.map((u) => [u.username, u]));
    })();
    this.#inFlight = next;
    try {
      await next;
    } finally {
      if (this.#inFlight === next) this.#inFlight = null;
    }
  }

  /** Starts the periodic re-read (unref'd: it never keeps the process alive). */
  start(refreshMs = 5_000): void {
    if (this.#timer !== null) return;
    this.#timer = setInterval(() => {
      this.refresh().catch((err: unknown) => this.#log.warn({ err }, "users not re-read; keeping the last list"));
    }, refreshMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** The user by exact (NFC) name, or undefined. */
  get(username: string): UserRecord | undefined {
    return this.#byName.get(username.normalize("NFC"));
  }

  all(): UserRecord[] {
    return [...this.#byName.values()];
  }
}
