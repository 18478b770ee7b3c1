/**
 * Every source's health, fetched from API.sources every 15 seconds while the
 * page is visible and something reads it (createSubscriber). A hidden tab
 * stops asking and catches up the moment it is shown again. A failed refresh
 * keeps the last list and says so; a 401 ends the session.
 */
import { createSubscriber } from "svelte/reactivity";
import type { SourceHealthView } from "../../protocol";
import { fetchSourceHealth, failureNotice, isUnauthorized } from "./api";
import type { Notice } from "./session.svelte";

export const SOURCE_HEALTH_REFRESH_MS = 15_000;

export interface SourceHealthPollOptions {
  /** Called once the server says the session is gone; polling stops. */
  onUnauthorized: () => void;
  /** Default SOURCE_HEALTH_REFRESH_MS. */
  intervalMs?: number;
  /** The request; fetchSourceHealth by default. */
  load?: () => Promise<SourceHealthView[]>;
}

export class SourceHealthPoll {
  #options: SourceHealthPollOptions;
  #sources: readonly SourceHealthView[] | null = $state.raw(null);
  #problem: Notice | null = $state(null);
  #subscribe: () => void;

  constructor(options: SourceHealthPollOptions) {
    this.#options = options;
    this.#subscribe = createSubscriber(() => this.#run());
  }

  /** The last list the server gave, or null before the first answer. */
  get sources(): readonly SourceHealthView[] | null {
    this.#subscribe();
    return this.#sources;
  }

  /** Why the last refresh failed, or null when it worked. */
  get problem(): Notice | null {
    this.#subscribe();
    return this.#problem;
  }

  /** One polling loop: runs while the list has readers; returns its teardown. */
  #run(): () => void {
    const { onUnauthorized } = this.#options;
    const load = this.#options.load ?? fetchSourceHealth;
    const intervalMs = this.#options.intervalMs ?? SOURCE_HEALTH_REFRESH_MS;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let inFlight = false;
    let stopped = false;

    const visible = (): boolean => document.visibilityState === "visible";

    // The next request is timed from the end of the last one, so slow answers never pile up.
    const scheduleNext = (): void => {
      clearTimeout(timer);
      timer = stopped || !visible() ? undefined : setTimeout(refresh, intervalMs);
    };

    const refresh = async (): Promise<void> => {
      clearTimeout(timer);
      timer = undefined;
      if (stopped || inFlight) return;
      inFlight = true;
      try {
        const sources = await load();
        if (stopped) return;
        this.#sources = sources;
        this.#problem = null;
      } catch (err) {
        if (stopped) return;
        if (isUnauthorized(err)) {
          stopped = true;
          onUnauthorized();
          return;
        }
        this.#problem = failureNotice(err, "sources.refreshFailed", "sources.refreshNetwork");
      } finally {
        inFlight = false;
        scheduleNext();
      }
    };

    const onVisibility = (): void => {
      if (visible()) void refresh();
      else {
        clearTimeout(timer);
        timer = undefined;
      }
    };
    document.addEventListener("visibilitychange", onVisibility);
    if (visible()) void refresh();

    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }
}
