/**
 * A health list — every source's (API.sources) or every alert channel's
 * (API.channels) — fetched every 15 seconds while the page is visible and
 * something reads it (createSubscriber). A hidden tab stops asking and
 * catches up the moment it is shown again. A failed refresh keeps the last
 * list and says so; a 401 ends the session. A view that has just changed what
 * the list shows (a silence made or ended) asks at once with refresh().
 */
import { createSubscriber } from "svelte/reactivity";
import type { ChannelHealthView, SourceHealthView } from "../../protocol";
import { fetchChannelHealth, fetchSourceHealth, failureNotice, isUnauthorized } from "./api";
import type { MessageKey } from "./messages";
import type { Notice } from "./session.svelte";

export const HEALTH_REFRESH_MS = 15_000;

export interface HealthPollOptions<T> {
  /** Called once the server says the session is gone; polling stops. */
  onUnauthorized: () => void;
  /** Default HEALTH_REFRESH_MS. */
  intervalMs?: number;
  /** The request. */
  load: () => Promise<T[]>;
  /** What a failed refresh says: the server answered an error, or could not be reached. */
  failed: { http: MessageKey; network: MessageKey };
}

/** Every source's health, from API.sources. */
export const sourceHealthPoll = (onUnauthorized: () => void): HealthPoll<SourceHealthView> =>
  new HealthPoll({ onUnauthorized, load: fetchSourceHealth, failed: { http: "sources.refreshFailed", network: "sources.refreshNetwork" } });

/** Every alert channel's deliveries, from API.channels. */
export const channelHealthPoll = (onUnauthorized: () => void): HealthPoll<ChannelHealthView> =>
  new HealthPoll({ onUnauthorized, load: fetchChannelHealth, failed: { http: "channels.refreshFailed", network: "channels.refreshNetwork" } });

export class HealthPoll<T> {
  #options: HealthPollOptions<T>;
  #items: readonly T[] | null = $state.raw(null);
  #problem: Notice | null = $state(null);
  #subscribe: () => void;
  /** Set while the polling loop runs (the list has readers). */
  #refreshNow: (() => Promise<void>) | null = null;

  constructor(options: HealthPollOptions<T>) {
    this.#options = options;
    this.#subscribe = createSubscriber(() => this.#run());
  }

  /** The last list the server gave, or null before the first answer. */
  get items(): readonly T[] | null {
    this.#subscribe();
    return this.#items;
  }

  /** Why the last refresh failed, or null when it worked. */
  get problem(): Notice | null {
    this.#subscribe();
    return this.#problem;
  }

  /**
   * Asks the server now instead of at the next tick; resolves once an answer
   * that was asked for after this call is in (or failed). A request already
   * on its way may predate the change, so another follows it. Resolves at
   * once when nothing reads the list (the next reader asks anyway).
   */
  refresh(): Promise<void> {
    return this.#refreshNow?.() ?? Promise.resolve();
  }

  /** One polling loop: runs while the list has readers; returns its teardown. */
  #run(): () => void {
    const { onUnauthorized } = this.#options;
    const { load, failed } = this.#options;
    const intervalMs = this.#options.intervalMs ?? HEALTH_REFRESH_MS;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let inFlight = false;
    let stopped = false;
    /** refresh() was called while a request was on its way: ask again when it ends. */
    let again = false;
    /** Callers of refresh() waiting for an answer asked after their call. */
    let waiting: (() => void)[] = [];
    const release = (): void => {
      const done = waiting;
      waiting = [];
      for (const resolve of done) resolve();
    };

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
        const items = await load();
        if (stopped) return;
        this.#items = items;
        this.#problem = null;
      } catch (err) {
        if (stopped) return;
        if (isUnauthorized(err)) {
          stopped = true;
          onUnauthorized();
          return;
        }
        this.#problem = failureNotice(err, failed.http, failed.network);
      } finally {
        inFlight = false;
        if (again && !stopped) {
          again = false;
          void refresh();
        } else {
          release();
          scheduleNext();
        }
      }
    };

    const refreshNow = (): Promise<void> =>
      new Promise<void>((resolve) => {
        if (stopped) return resolve();
        waiting.push(resolve);
        if (inFlight) again = true;
        else void refresh();
      });
    this.#refreshNow = refreshNow;

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
      if (this.#refreshNow === refreshNow) this.#refreshNow = null;
      release();
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }
}
