import { fc, test as prop } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import { advanceSearch, LOOKBACK_MS, MAX_SEEN, readSearchState, uriKey, writeSearchState, type SearchState } from "../../../collectors/bluesky/search-cursor";

const NOW = Date.parse("2024-05-14T12:00:00Z");
const post = (rkey: string, iso: string) => ({ uri: `at://did:plc:abc/app.bsky.feed.post/${rkey}`, sortAt: Date.parse(iso) });
const rkeys = (list: readonly { uri: string }[]) => list.map((p) => p.uri.split("/").pop());

describe("advanceSearch()", () => {
  const a = post("a", "2024-05-14T11:45:10Z");
  const b = post("b", "2024-05-14T11:48:33Z");
  const c = post("c", "2024-05-14T11:55:00Z");
  const d = post("d", "2024-05-14T11:58:02.120Z");

  test("advanceSearch() starts at the first page, oldest first, with the floor at its lowest post or the lookback", () => {
    const { fresh, next } = advanceSearch(null, [d, c, b, a], null, NOW);
    expect(rkeys(fresh)).toEqual(["a", "b", "c", "d"]);
    expect(next).toEqual({
      newest: d.sortAt,
      floor: Math.max(d.sortAt - LOOKBACK_MS, a.sortAt),
      seen: [a, b, c, d].map((p) => [p.sortAt, uriKey(p.uri)]),
      gapBelow: null,
    });
  });

  test("advanceSearch() hands out a post sorted below the newest once, and nothing twice", () => {
    const first = advanceSearch(null, [d, c, b, a], null, NOW).next;
    const late = post("late", "2024-05-14T11:50:00Z");
    const newer = post("e", "2024-05-14T11:59:30Z");
    const second = advanceSearch(first, [newer, d, c, late, b], null, NOW);
    expect(rkeys(second.fresh)).toEqual(["late", "e"]);
    // The lookback below the new newest (11:44:30) is under the first page's lowest post: the floor stays.
    expect(second.next?.floor).toBe(a.sortAt);
    expect(advanceSearch(second.next, [newer, d, c, late], null, NOW).fresh).toEqual([]);
  });

  test("advanceSearch() ignores posts sorted before the floor", () => {
    const first = advanceSearch(null, [d, c], null, NOW).next as SearchState;
    expect(advanceSearch(first, [post("old", "2024-05-14T11:00:00Z")], null, NOW).fresh).toEqual([]);
  });

  test("advanceSearch() caps newest at the clock, so a server clock ahead cannot lift the floor over posts to come", () => {
    const ahead = post("ahead", "2024-05-14T12:40:00Z");
    const { next } = advanceSearch(null, [ahead, d], null, NOW);
    expect(next).toMatchObject({ newest: NOW, floor: d.sortAt });
  });

  test("advanceSearch() drops the oldest remembered posts past MAX_SEEN and lifts the floor over them", () => {
    const start = Date.parse("2024-05-14T11:55:00Z");
    const many = Array.from({ length: MAX_SEEN + 5 }, (_, i) => post(`p${i}`, new Date(start + i * 100).toISOString()));
    const { next } = advanceSearch(null, many, null, NOW);
    expect(next?.seen).toHaveLength(MAX_SEEN);
    expect(next?.floor).toBe((many[4] as { sortAt: number }).sortAt + 1);
    expect(advanceSearch(next, many, null, NOW).fresh).toEqual([]);
  });

  test("advanceSearch() holds the floor while a gap is open", () => {
    const later = Date.parse("2024-05-14T12:30:00Z");
    const first = advanceSearch(null, [c, b], null, later).next as SearchState;
    const top = post("top", "2024-05-14T12:20:00Z");
    const open = advanceSearch(first, [top], top.sortAt, later).next as SearchState;
    expect(open).toMatchObject({ floor: first.floor, gapBelow: top.sortAt, newest: top.sortAt });
    const closed = advanceSearch(open, [d], null, later).next as SearchState;
    expect(closed).toMatchObject({ floor: top.sortAt - LOOKBACK_MS, gapBelow: null });
  });

  prop.prop([
    fc.array(fc.integer({ min: 0, max: LOOKBACK_MS / 1000 - 1 }), { minLength: 1, maxLength: 120 }),
    fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 30 }),
  ])("advanceSearch() hands out every post that shows up within the lookback exactly once", (lateness, batches) => {
    let clock = Date.parse("2024-05-14T09:00:00Z");
    const arrivals = lateness.map((late, i) => {
      clock += 5_000;
      return post(`p${i}`, new Date(clock - late * 1000).toISOString());
    });
    let state: SearchState | null = null;
    const out: string[] = [];
    let shown = 0;
    for (let poll = 0; shown < arrivals.length; poll++) {
      shown = Math.min(arrivals.length, shown + (batches[poll % batches.length] ?? 1));
      const since: number | undefined = state?.floor;
      const page = arrivals.slice(0, shown).filter((p) => since === undefined || p.sortAt >= since);
      const step: ReturnType<typeof advanceSearch<{ uri: string; sortAt: number }>> = advanceSearch(state, page.reverse(), null, clock);
      out.push(...step.fresh.map((p) => p.uri));
      state = step.next;
    }
    const firstPage = arrivals.slice(0, Math.min(arrivals.length, batches[0] ?? 1));
    const lowestFirst = Math.min(...firstPage.map((p) => p.sortAt));
    const expected = arrivals.filter((p, i) => i < firstPage.length || p.sortAt >= lowestFirst).map((p) => p.uri);
    return out.length === new Set(out).size && [...out].sort().join() === [...expected].sort().join();
  });
});

describe("readSearchState()", () => {
  test("readSearchState() reads what writeSearchState() wrote and refuses a cursor without times", () => {
    const state: SearchState = { newest: NOW, floor: NOW - LOOKBACK_MS, seen: [[NOW, "abc"]], gapBelow: NOW - 1000 };
    expect(readSearchState(writeSearchState(state))).toEqual(state);
    expect(writeSearchState(state)).toMatchObject({ newest: "2024-05-14T12:00:00.000Z", floor: "2024-05-14T11:45:00.000Z" });
    expect(readSearchState({ newest: "x", floor: "2024-05-14T11:45:00Z" })).toBeNull();
    expect(readSearchState({ newest: "2024-05-14T12:00:00Z", floor: "2024-05-14T11:45:00Z", seen: "[[1,2],[3,\"k\"]]" })?.seen).toEqual([[3, "k"]]);
  });
});
