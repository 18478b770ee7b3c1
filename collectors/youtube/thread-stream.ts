import type { ThreadEntry } from "./parse";

/**
 * Where one stream (a video's threads, or a channel's) left off, and the
 * reading of it in one poll. Pure: the source makes the requests and hands the
 * pages in.
 *
 * commentThreads with order=time lists the newest first and has no "since"
 * parameter, so a read starts at the top and pages down until it meets a
 * thread older than the newest one already handed out (the floor). A read cut
 * short by the poll's unit budget keeps the page token where it stopped: the
 * next poll goes on from there down to the floor before it reads the top
 * again, so nothing between is skipped and nothing is handed out twice.
 */

/** Ids remembered at the newest second; far more than one video gets comments in one second. */
const MAX_SEEN = 200;

export interface StreamState {
  /** publishedAt (epoch ms) of the newest thread handed out; null before the first read. */
  newest: number | null;
  /** Ids handed out at exactly `newest`. */
  seen: string[];
  /**
   * A read the budget cut short: the page to go on from, and the newest
   * thread that read handed out (the floor once the gap below it is read).
   */
  resume: { pageToken: string; topAt: number; topIds: string[] } | null;
  /** Set while the video has comments turned off, so that is logged once, not every poll. */
  commentsOff: boolean;
}

export class ThreadStream {
  /** Threads handed out by this poll, in the order read; skipped ones have a null mention. */
  readonly fresh: ThreadEntry[] = [];
  #done = false;
  #phase: "gap" | "top";
  /** The page the next request asks for; undefined for the top of the list. */
  #pageToken: string | undefined;
  #floor: number | null;
  #seen: Set<string>;
  /** The gap's upper edge: threads at exactly this time with these ids were handed out already. */
  #top: { at: number; ids: Set<string> } | null;
  /** The newest thread read from the top in this poll. */
  #readTop: { at: number; ids: Set<string> } | null = null;
  #taken = new Set<string>();
  readonly #first: boolean;
  #commentsOff: boolean;
  #endedOnRepeat = false;

  constructor(prev: StreamState | null) {
    this.#floor = prev?.newest ?? null;
    this.#seen = new Set(prev?.seen ?? []);
    this.#commentsOff = prev?.commentsOff ?? false;
    // The first read of a stream takes the newest page only: it is the starting point, not a backfill.
    this.#first = this.#floor === null && !prev?.resume;
    if (prev?.resume) {
      this.#phase = "gap";
      this.#pageToken = prev.resume.pageToken;
      this.#top = { at: prev.resume.topAt, ids: new Set(prev.resume.topIds) };
    } else {
      this.#phase = "top";
      this.#pageToken = undefined;
      this.#top = null;
    }
  }

  /** True when this poll has nothing more to ask for this stream. */
  get done(): boolean {
    return this.#done;
  }

  /** The pageToken of the next request; undefined asks for the newest page. */
  get pageToken(): string | undefined {
    return this.#pageToken;
  }

  /** True while reading the gap below a page token an earlier poll kept: only such a token can have expired. */
  get inGap(): boolean {
    return this.#phase === "gap";
  }

  /** True when the read ended because a page only repeated threads already read, above the floor. */
  get endedOnRepeat(): boolean {
    return this.#endedOnRepeat;
  }

  get commentsOff(): boolean {
    return this.#commentsOff;
  }

  /** Takes one page the request answered with. */
  accept(entries: readonly ThreadEntry[], nextPageToken: string | undefined): void {
    this.#commentsOff = false;
    let reachedFloor = false;
    let unseen = 0;
    for (const entry of entries) {
      if (this.#taken.has(entry.id)) continue;
      unseen++;
      this.#taken.add(entry.id);
      if (this.#floor !== null && (entry.at < this.#floor || (entry.at === this.#floor && this.#seen.has(entry.id)))) {
        // An older thread, or one handed out at the floor: everything below was read by an earlier poll.
        reachedFloor = true;
        continue;
      }
      if (this.#top !== null && entry.at === this.#top.at && this.#top.ids.has(entry.id)) continue;
      this.fresh.push(entry);
      if (this.#phase === "top") this.#readTop = raise(this.#readTop, entry);
    }

    // A page of nothing but threads already read (a token that leads back) would repeat until the budget ran out.
    const repeats = entries.length > 0 && unseen === 0;
    if (repeats && nextPageToken !== undefined && !reachedFloor) this.#endedOnRepeat = true;
    if (nextPageToken !== undefined && !reachedFloor && !this.#first && !repeats) {
      this.#pageToken = nextPageToken;
      return;
    }
    if (this.#phase === "gap" && this.#top !== null) {
      // The gap is read: its upper edge becomes the floor, and the top of the list is read next.
      this.#raiseFloorTo(this.#top);
      this.#top = null;
      this.#phase = "top";
      this.#pageToken = undefined;
      return;
    }
    if (this.#readTop !== null) this.#raiseFloorTo(this.#readTop);
    this.#readTop = null;
    this.#pageToken = undefined;
    this.#done = true;
  }

  /**
   * The kept page token was refused (expired): the gap is read from the top
   * instead. Threads in it that were handed out before may come again; the
   * store keeps one row per id.
   */
  restartFromTop(): void {
    if (this.#phase !== "gap") return;
    this.#phase = "top";
    this.#pageToken = undefined;
    // The old edge still counts toward the new floor, and its own ids are still skipped.
    this.#readTop = this.#top === null ? null : { at: this.#top.at, ids: new Set(this.#top.ids) };
  }

  /** Comments are off for this video: nothing to read this poll, the place kept. */
  turnedOff(): void {
    this.#commentsOff = true;
    this.#done = true;
  }

  /** Nothing more this poll (the video is gone, or the poll ends); the place is kept. */
  stop(): void {
    this.#done = true;
  }

  /** The state to store: where the reading stopped, whatever the reason. */
  state(): StreamState {
    const seen = [...this.#seen].slice(-MAX_SEEN);
    let resume: StreamState["resume"] = null;
    if (this.#pageToken !== undefined) {
      // Cut short mid-list: the gap's edge is the older read's top, or the newest this read took.
      const edge = this.#phase === "gap" ? this.#top : (this.#readTop ?? (this.#floor === null ? null : { at: this.#floor, ids: this.#seen }));
      if (edge !== null) resume = { pageToken: this.#pageToken, topAt: edge.at, topIds: [...edge.ids].slice(-MAX_SEEN) };
    }
    return { newest: this.#floor, seen, resume, commentsOff: this.#commentsOff };
  }

  #raiseFloorTo(edge: { at: number; ids: ReadonlySet<string> }): void {
    if (this.#floor === null || edge.at > this.#floor) {
      this.#floor = edge.at;
      this.#seen = new Set(edge.ids);
    } else if (edge.at === this.#floor) {
      for (const id of edge.ids) this.#seen.add(id);
    }
  }
}

/** The newest of what was read: its time and every id at that time. */
function raise(top: { at: number; ids: Set<string> } | null, entry: ThreadEntry): { at: number; ids: Set<string> } {
  if (top === null || entry.at > top.at) return { at: entry.at, ids: new Set([entry.id]) };
  if (entry.at === top.at) top.ids.add(entry.id);
  return top;
}

/** Reads a stored state; anything unreadable starts the stream afresh (costing at worst duplicates, which the store drops). */
export function readStreamState(value: unknown): StreamState | null {
  if (typeof value !== "string") return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return null;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return null;
  const o = parsed as Record<string, unknown>;
  const newest = typeof o["newest"] === "number" && Number.isFinite(o["newest"]) ? o["newest"] : null;
  const r = o["resume"];
  let resume: StreamState["resume"] = null;
  if (typeof r === "object" && r !== null) {
    const { pageToken, topAt, topIds } = r as Record<string, unknown>;
    if (typeof pageToken === "string" && pageToken !== "" && typeof topAt === "number" && Number.isFinite(topAt)) {
      resume = { pageToken, topAt, topIds: strings(topIds) };
    }
  }
  return { newest, seen: strings(o["seen"]), resume, commentsOff: o["commentsOff"] === true };
}

export function writeStreamState(state: StreamState): string {
  return JSON.stringify(state);
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((x): x is string => typeof x === "string") : [];
}
