import { createHash } from "node:crypto";

/**
 * Where a Bluesky search left off, and which of a poll's posts are new. Pure.
 *
 * searchPosts has no "right after" paging: results come newest first, and
 * `since` (inclusive) / `until` (exclusive) filter by sortAt. A post can
 * appear below posts already read: its sortAt is the author's createdAt,
 * which an offline phone or a slow clock puts minutes in the past, and the
 * search index lags. So each poll asks `since` a floor LOOKBACK_MS below the
 * newest post and skips the posts already handed out above that floor; the
 * uris are remembered hashed, with their sortAt so the list can be pruned.
 */

export const LOOKBACK_MS = 15 * 60_000;
/** Posts remembered above the floor; past that the floor rises above the oldest one dropped. */
export const MAX_SEEN = 300;

export interface SearchState {
  /** sortAt (epoch ms) of the newest post read. */
  newest: number;
  /** Posts sorted before it are done. */
  floor: number;
  /** [sortAt, hashed uri] of the posts read at or above `floor`, ascending. */
  seen: [number, string][];
  /**
   * Set when a read stopped at maxPages with more to read: posts sorted from
   * `floor` up to and including this one are not all read yet.
   */
  gapBelow: number | null;
}

/**
 * Posts newer than the state, each once, oldest first, and the state that
 * covers them. `posts` are all read this poll (collected or not); `gapBelow`
 * is the lowest sortAt of a read that stopped early, or null. `nowMs` caps
 * `newest`, so a server clock ahead of ours cannot move the floor past posts
 * still to come.
 */
export function advanceSearch<T extends { uri: string; sortAt: number }>(
  prev: SearchState | null,
  posts: readonly T[],
  gapBelow: number | null,
  nowMs: number,
): { fresh: T[]; next: SearchState | null } {
  const seen = new Map<string, number>(prev?.seen.map(([at, key]) => [key, at]) ?? []);
  const fresh: T[] = [];
  let newest = prev?.newest ?? null;
  let lowest: number | null = null;
  for (const post of posts) {
    if (prev !== null && post.sortAt < prev.floor) continue;
    const key = uriKey(post.uri);
    if (seen.has(key)) continue;
    seen.set(key, post.sortAt);
    fresh.push(post);
    const at = Math.min(post.sortAt, nowMs);
    if (newest === null || at > newest) newest = at;
    if (lowest === null || post.sortAt < lowest) lowest = post.sortAt;
  }
  if (newest === null) return { fresh, next: prev };

  let floor: number;
  if (prev === null) floor = Math.max(newest - LOOKBACK_MS, lowest ?? newest);
  else if (gapBelow !== null) floor = prev.floor;
  else floor = Math.max(prev.floor, newest - LOOKBACK_MS);

  let kept = [...seen].map(([key, at]): [number, string] => [at, key]).filter(([at]) => at >= floor);
  kept.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  if (kept.length > MAX_SEEN) {
    const lastDropped = kept[kept.length - MAX_SEEN - 1];
    kept = kept.slice(-MAX_SEEN).filter(([at]) => lastDropped === undefined || at > lastDropped[0]);
    if (lastDropped !== undefined) floor = Math.max(floor, lastDropped[0] + 1);
  }
  const gap = gapBelow !== null && gapBelow >= floor ? gapBelow : null;
  return { fresh: fresh.sort((a, b) => a.sortAt - b.sortAt), next: { newest, floor, seen: kept, gapBelow: gap } };
}

/** The uri hashed: at:// uris run to 100 characters, and the cursor holds hundreds. */
export function uriKey(uri: string): string {
  return createHash("sha1").update(uri).digest("base64url").slice(0, 12);
}

export function readSearchState(cursor: Readonly<Record<string, unknown>>): SearchState | null {
  const newest = ms(cursor["newest"]);
  const floor = ms(cursor["floor"]);
  if (newest === undefined || floor === undefined) return null;
  let seen: [number, string][] = [];
  if (typeof cursor["seen"] === "string") {
    try {
      const parsed: unknown = JSON.parse(cursor["seen"]);
      if (Array.isArray(parsed)) {
        seen = parsed.filter(
          (e): e is [number, string] => Array.isArray(e) && e.length === 2 && Number.isSafeInteger(e[0]) && typeof e[1] === "string",
        );
      }
    } catch {
      seen = [];
    }
  }
  return { newest, floor, seen, gapBelow: ms(cursor["gapBelow"]) ?? null };
}

/** Times travel as ISO strings, readable in the cursor table; the list as JSON (cursor values are scalars). */
export function writeSearchState(state: SearchState): Record<string, string | null> {
  return {
    newest: new Date(state.newest).toISOString(),
    floor: new Date(state.floor).toISOString(),
    seen: JSON.stringify(state.seen),
    gapBelow: state.gapBelow === null ? null : new Date(state.gapBelow).toISOString(),
  };
}

function ms(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : at;
}
