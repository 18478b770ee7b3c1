/**
 * One brand's overview for one range: fetched from API.overview, refreshed
 * when its window moves on (the hour view each minute, the day view each
 * quarter hour, the week view each hour) and, in between, kept current from
 * the live feed's minute counts (`withLiveMinutes`), so the chart grows as
 * mentions arrive without asking the server. A failed refresh keeps the last
 * answer and says so; a 401 ends the session.
 */
import { untrack } from "svelte";
import type { MinutePoint, OverviewBucket, OverviewRange, OverviewView } from "../../protocol";
import { failureNotice, isUnauthorized } from "./api";
import { brandMinutes, withLiveMinutes } from "./chart-data";
import { fetchOverview } from "./overview-api";
import type { Notice } from "./session.svelte";

/** Never ask more often than this, even when a window edge is near. */
const MIN_REFRESH_MS = 5_000;
/** Breakdowns and authors come only from the server: ask again at least this often. */
const MAX_REFRESH_MS = 5 * 60_000;

export interface OverviewStateOptions {
  /** The live feed's minute counts (LiveFeed.timeline), read as they change. */
  timeline: () => readonly MinutePoint[];
  /** Server clock minus ours (LiveFeed.clockOffset): windows are in the server's time. */
  clockOffset: () => number;
  onUnauthorized: () => void;
  /** The request; fetchOverview by default. */
  load?: (brand: string, range: OverviewRange, signal: AbortSignal) => Promise<OverviewView>;
}

export class OverviewState {
  #options: OverviewStateOptions;
  #view: OverviewView | null = $state.raw(null);
  #baseline: ReadonlyMap<number, { total: number; negative: number }> = $state.raw(new Map());
  #problem: Notice | null = $state(null);
  #loading = $state(false);

  constructor(options: OverviewStateOptions) {
    this.#options = options;
  }

  /** The last answer, or null before the first (and after switching brand or range). */
  get view(): OverviewView | null {
    return this.#view;
  }

  get loading(): boolean {
    return this.#loading;
  }

  get problem(): Notice | null {
    return this.#problem;
  }

  /** The answer's buckets plus what the live feed counted since it came. */
  get buckets(): OverviewBucket[] {
    const view = this.#view;
    if (view === null) return [];
    return withLiveMinutes(view.buckets, view.bucketMs, this.#baseline, brandMinutes(this.#options.timeline(), view.brand));
  }

  /**
   * Keeps the overview of `brand` over `range` current until the returned stop
   * is called. Meant for an $effect: nothing it reads is tracked, so the
   * effect reruns only when the brand or the range changes.
   */
  watch(brand: string, range: OverviewRange): () => void {
    return untrack(() => this.#watch(brand, range));
  }

  #watch(brand: string, range: OverviewRange): () => void {
    const { timeline, clockOffset, onUnauthorized } = this.#options;
    const load = this.#options.load ?? fetchOverview;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let controller: AbortController | null = null;
    this.#view = null;
    this.#problem = null;

    const refresh = async (): Promise<void> => {
      clearTimeout(timer);
      if (stopped) return;
      controller?.abort();
      const mine = new AbortController();
      controller = mine;
      this.#loading = true;
      // The feed's counts as they are when we ask: what arrives later is added on top.
      const baseline = brandMinutes(timeline(), brand);
      let next = MAX_REFRESH_MS;
      try {
        const view = await load(brand, range, mine.signal);
        if (stopped || controller !== mine) return;
        this.#baseline = baseline;
        this.#view = view;
        this.#problem = null;
        const serverNow = Date.now() + clockOffset();
        next = Math.min(MAX_REFRESH_MS, Math.max(MIN_REFRESH_MS, view.to - serverNow + 1_000));
      } catch (err) {
        if (stopped || controller !== mine) return;
        if (isUnauthorized(err)) {
          stopped = true;
          onUnauthorized();
          return;
        }
        this.#problem = failureNotice(err, "overview.refreshFailed", "overview.refreshNetwork");
        next = 15_000;
      } finally {
        if (controller === mine) this.#loading = false;
      }
      if (!stopped) timer = setTimeout(() => void refresh(), next);
    };

    void refresh();
    return () => {
      stopped = true;
      clearTimeout(timer);
      controller?.abort();
    };
  }
}
