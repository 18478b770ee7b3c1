/**
 * Where one Mastodon stream (a hashtag timeline, or the status search) left
 * off, and which of a poll's statuses are new. Pure.
 *
 * Why not just "the newest id": Mastodon gives a status from another server
 * an id made from that status's own creation time (Mastodon::Snowflake.id_at),
 * not from when it arrived. A post federated a minute late lands *below*
 * statuses already read, and a plain min_id cursor would skip it for good.
 * So each poll reads again from a floor LOOKBACK_MS below the newest status,
 * and the ids already handed out above that floor are remembered and skipped.
 * Servers whose ids are not Mastodon snowflakes (ULIDs, flake ids) get a
 * floor at the newest id, which is the plain cursor.
 */

/** How late a federated status may arrive and still be collected. */
export const LOOKBACK_MS = 10 * 60_000;
/** Ids remembered above the floor: three pages' worth; past that the floor rises to the oldest one kept. */
export const MAX_SEEN = 120;

export interface StreamState {
  /** The newest id read. */
  newest: string;
  /** Ids at or below it are done. */
  floor: string;
  /** Ids above `floor` already read, ascending. */
  seen: string[];
  /**
   * Set when a newest-first read (the search) stopped at maxPages with more
   * to read: statuses with ids between `floor` and this one are not read yet.
   */
  gapBelow: string | null;
}

/**
 * Entries newer than the state, each once, and the state that covers them.
 * `entries` are everything read this poll (collected or not: a status that is
 * skipped or private still moves the cursor); `gapBelow` is where a
 * newest-first read stopped early, or null when it read down to the floor.
 */
export function advanceStream<T extends { id: string }>(
  prev: StreamState | null,
  entries: readonly T[],
  gapBelow: string | null,
): { fresh: T[]; next: StreamState | null } {
  const seen = new Set(prev?.seen ?? []);
  const fresh: T[] = [];
  let newest = prev?.newest ?? null;
  let lowest: string | null = null;
  for (const e of entries) {
    if (prev !== null && compareIds(e.id, prev.floor) <= 0) continue;
    if (seen.has(e.id)) continue;
    seen.add(e.id);
    fresh.push(e);
    if (newest === null || compareIds(e.id, newest) > 0) newest = e.id;
    if (lowest === null || compareIds(e.id, lowest) < 0) lowest = e.id;
  }
  if (newest === null) return { fresh, next: prev };

  let floor: string;
  if (prev === null) {
    // The first poll reads one page and starts there: older statuses are not
    // collected, only late arrivals near the top of that page.
    floor = maxId(lookbackFloor(newest), lowest ?? newest);
  } else if (gapBelow !== null) {
    // Statuses above the old floor are still to read below the gap: the floor stays.
    floor = prev.floor;
  } else {
    floor = maxId(prev.floor, lookbackFloor(newest));
  }

  let kept = [...seen].filter((id) => compareIds(id, floor) > 0).sort(compareIds);
  if (kept.length > MAX_SEEN) {
    const dropped = kept.slice(0, kept.length - MAX_SEEN);
    kept = kept.slice(-MAX_SEEN);
    floor = maxId(floor, dropped[dropped.length - 1] ?? floor);
  }
  const gap = gapBelow !== null && compareIds(gapBelow, floor) > 0 ? gapBelow : null;
  return { fresh: fresh.sort((a, b) => compareIds(a.id, b.id)), next: { newest, floor, seen: kept, gapBelow: gap } };
}

/**
 * Orders ids as the server does: Mastodon's are decimal integers (compared by
 * value), other servers' (ULIDs, flake ids) sort as strings.
 */
export function compareIds(a: string, b: string): number {
  if (DECIMAL.test(a) && DECIMAL.test(b)) {
    const x = a.replace(/^0+(?=\d)/, "");
    const y = b.replace(/^0+(?=\d)/, "");
    if (x.length !== y.length) return x.length - y.length;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The id LOOKBACK_MS below `id`, for a Mastodon snowflake; `id` itself for any other kind of id. */
export function lookbackFloor(id: string): string {
  const ms = snowflakeMs(id);
  return ms === undefined ? id : snowflakeAt(ms - LOOKBACK_MS);
}

/** Mastodon ids are `milliseconds << 16 | sequence`; anything that does not decode to a plausible time is not one. */
export function snowflakeMs(id: string): number | undefined {
  if (!/^\d{17,19}$/.test(id)) return undefined;
  const ms = Number(BigInt(id) >> 16n);
  return ms >= SNOWFLAKE_FROM && ms <= SNOWFLAKE_UNTIL ? ms : undefined;
}

/** The lowest snowflake of a millisecond. */
export function snowflakeAt(ms: number): string {
  return (BigInt(Math.max(0, Math.floor(ms))) << 16n).toString();
}

export function readStreamState(value: unknown): StreamState | null {
  if (typeof value !== "string") return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return null;
  }
  if (typeof parsed !== "object" || parsed === null) return null;
  const p = parsed as Record<string, unknown>;
  if (!isId(p["newest"]) || !isId(p["floor"])) return null;
  const seen = Array.isArray(p["seen"]) ? p["seen"].filter(isId) : [];
  return { newest: p["newest"], floor: p["floor"], seen, gapBelow: isId(p["gapBelow"]) ? p["gapBelow"] : null };
}

/** Cursor values are scalars, so a stream's state travels as a JSON string. */
export function writeStreamState(state: StreamState): string {
  return JSON.stringify(state);
}

const DECIMAL = /^\d+$/;
/** Mastodon 2.0 brought snowflake ids (October 2017). */
const SNOWFLAKE_FROM = Date.UTC(2017, 0, 1);
const SNOWFLAKE_UNTIL = Date.UTC(2200, 0, 1);

function maxId(a: string, b: string): string {
  return compareIds(a, b) >= 0 ? a : b;
}

function isId(value: unknown): value is string {
  return typeof value === "string" && value !== "" && value.length <= 64;
}
