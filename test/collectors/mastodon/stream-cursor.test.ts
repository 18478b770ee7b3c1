import { fc, test as prop } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import {
  advanceStream,
  compareIds,
  lookbackFloor,
  LOOKBACK_MS,
  MAX_SEEN,
  readStreamState,
  snowflakeAt,
  snowflakeMs,
  writeStreamState,
  type StreamState,
} from "../../../collectors/mastodon/stream-cursor";

/** A Mastodon id for a time, as the server makes it. */
const at = (iso: string, seq = 1) => ((BigInt(Date.parse(iso)) << 16n) | BigInt(seq)).toString();
const entries = (...ids: string[]) => ids.map((id) => ({ id }));
const ids = (list: readonly { id: string }[]) => list.map((e) => e.id);

describe("compareIds()", () => {
  test("compareIds() orders decimal ids by value and other ids as strings", () => {
    expect(["10", "9", "112439321034752017", "0100"].sort(compareIds)).toEqual(["9", "10", "0100", "112439321034752017"]);
    expect(["01HXZ2", "01HXZ10", "AbC"].sort(compareIds)).toEqual(["01HXZ10", "01HXZ2", "AbC"]);
  });
});

describe("snowflakeMs()", () => {
  test("snowflakeMs() reads the time of a Mastodon id and refuses ids that are not snowflakes", () => {
    expect(snowflakeMs(at("2024-05-14T11:58:02Z", 17))).toBe(Date.parse("2024-05-14T11:58:02Z"));
    expect(snowflakeMs(snowflakeAt(Date.parse("2024-05-14T11:48:02Z")))).toBe(Date.parse("2024-05-14T11:48:02Z"));
    expect(snowflakeMs("105")).toBeUndefined();
    expect(snowflakeMs("01HXZ9ABCDEFGHJKMNPQRSTVWX")).toBeUndefined();
    expect(snowflakeMs("9999999999999999999")).toBeUndefined();
  });

  test("lookbackFloor() is LOOKBACK_MS below a snowflake and the id itself otherwise", () => {
    expect(lookbackFloor(at("2024-05-14T11:58:02Z", 17))).toBe(snowflakeAt(Date.parse("2024-05-14T11:58:02Z") - LOOKBACK_MS));
    expect(lookbackFloor("01HXZ9ABCDEFGHJKMNPQRSTVWX")).toBe("01HXZ9ABCDEFGHJKMNPQRSTVWX");
  });
});

describe("advanceStream()", () => {
  const a = at("2024-05-14T11:42:10Z");
  const b = at("2024-05-14T11:48:33Z");
  const c = at("2024-05-14T11:55:00Z");
  const d = at("2024-05-14T11:58:02Z");

  test("advanceStream() starts at the first page: all of it is fresh, oldest first, and the floor is its lowest id or the lookback", () => {
    const { fresh, next } = advanceStream(null, entries(d, c, b, a), null);
    expect(ids(fresh)).toEqual([a, b, c, d]);
    expect(next).toEqual({ newest: d, floor: snowflakeAt(Date.parse("2024-05-14T11:48:02Z")), seen: [b, c, d], gapBelow: null });
  });

  test("advanceStream() returns nothing for the same statuses again and keeps the state", () => {
    const first = advanceStream(null, entries(d, c, b, a), null).next;
    const again = advanceStream(first, entries(d, c, b, a), null);
    expect(again.fresh).toEqual([]);
    expect(again.next).toEqual(first);
  });

  test("advanceStream() hands out a status federated late below the newest, once", () => {
    const first = advanceStream(null, entries(d, c, b, a), null).next;
    const late = at("2024-05-14T11:53:10Z");
    const newer = at("2024-05-14T11:59:30Z");
    const second = advanceStream(first, entries(newer, d, c, late, b), null);
    expect(ids(second.fresh)).toEqual([late, newer]);
    expect(second.next).toMatchObject({ newest: newer, floor: snowflakeAt(Date.parse("2024-05-14T11:49:30Z")), seen: [late, c, d, newer] });
    expect(advanceStream(second.next, entries(newer, d, c, late), null).fresh).toEqual([]);
  });

  test("advanceStream() ignores statuses at or below the floor, however new to it", () => {
    const first = advanceStream(null, entries(d, c, b), null).next as StreamState;
    const old = at("2024-05-14T11:30:00Z");
    expect(advanceStream(first, entries(old, first.floor), null).fresh).toEqual([]);
  });

  test("advanceStream() raises the floor past the oldest ids when more than MAX_SEEN are remembered", () => {
    const start = Date.parse("2024-05-14T11:55:00Z");
    const many = Array.from({ length: MAX_SEEN + 10 }, (_, i) => at(new Date(start + i * 1000).toISOString()));
    const { next } = advanceStream(null, entries(...many), null);
    expect(next?.seen).toHaveLength(MAX_SEEN);
    // The first poll starts at many[0]; of the 129 above it the oldest 9 no longer fit.
    expect(next?.floor).toBe(many[9]);
    expect(advanceStream(next, entries(...many), null).fresh).toEqual([]);
  });

  test("advanceStream() holds the floor while a gap is open and drops the gap once the floor passes it", () => {
    const first = advanceStream(null, entries(c, b), null).next as StreamState;
    const top = at("2024-05-14T12:30:00Z");
    const withGap = advanceStream(first, entries(top), top).next as StreamState;
    expect(withGap).toMatchObject({ newest: top, floor: first.floor, gapBelow: top });
    const closed = advanceStream(withGap, entries(d), null).next as StreamState;
    expect(closed).toMatchObject({ floor: snowflakeAt(Date.parse("2024-05-14T12:20:00Z")), gapBelow: null, seen: [top] });
  });

  test("advanceStream() with ids that are not snowflakes keeps the plain newest-id cursor", () => {
    const { next } = advanceStream(null, entries("01HXZ9B", "01HXZ9A"), null);
    expect(next).toEqual({ newest: "01HXZ9B", floor: "01HXZ9B", seen: [], gapBelow: null });
    expect(ids(advanceStream(next, entries("01HXZ9C", "01HXZ9B", "01HXZ9A"), null).fresh)).toEqual(["01HXZ9C"]);
  });

  test("advanceStream() with nothing read keeps the previous state", () => {
    expect(advanceStream(null, [], null).next).toBeNull();
    const first = advanceStream(null, entries(b), null).next;
    expect(advanceStream(first, [], null).next).toEqual(first);
  });

  // Statuses arrive in any order within the lookback window of the newest one
  // already there; every poll returns all that arrived above the floor, as
  // min_id does. Each status must come out exactly once.
  prop.prop([
    fc.array(fc.integer({ min: 0, max: LOOKBACK_MS / 1000 - 1 }), { minLength: 1, maxLength: 90 }),
    fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 40 }),
  ])("advanceStream() hands out every status that arrives within the lookback exactly once", (lateness, batches) => {
    const base = Date.parse("2024-05-14T10:00:00Z");
    let clock = base;
    const arrivals: string[] = [];
    lateness.forEach((lateSeconds, i) => {
      clock += 7_000;
      arrivals.push(at(new Date(clock - lateSeconds * 1000).toISOString(), i + 1));
    });
    let state: StreamState | null = null;
    const out: string[] = [];
    let arrived = 0;
    for (let poll = 0; arrived < arrivals.length; poll++) {
      arrived = Math.min(arrivals.length, arrived + (batches[poll % batches.length] ?? 1));
      const floor: string | undefined = state?.floor;
      const visible: string[] = arrivals.slice(0, arrived).filter((id) => floor === undefined || compareIds(id, floor) > 0);
      const step: ReturnType<typeof advanceStream<{ id: string }>> = advanceStream(state, entries(...visible.reverse()), null);
      out.push(...ids(step.fresh));
      state = step.next;
    }
    // The first poll starts at the lowest id it saw: anything that arrives later below it is history, not news.
    const firstPage = arrivals.slice(0, Math.min(arrivals.length, batches[0] ?? 1));
    const lowestFirst = [...firstPage].sort(compareIds)[0] as string;
    const expected = arrivals.filter((id, i) => i < firstPage.length || compareIds(id, lowestFirst) >= 0);
    return out.length === new Set(out).size && [...out].sort(compareIds).join() === [...expected].sort(compareIds).join();
  });
});

describe("readStreamState()", () => {
  test("readStreamState() reads what writeStreamState() wrote and refuses anything else", () => {
    const state: StreamState = { newest: "20", floor: "10", seen: ["15", "20"], gapBelow: "12" };
    expect(readStreamState(writeStreamState(state))).toEqual(state);
    expect(readStreamState("{not json")).toBeNull();
    expect(readStreamState(JSON.stringify({ newest: 5, floor: "1" }))).toBeNull();
    expect(readStreamState(42)).toBeNull();
    expect(readStreamState(JSON.stringify({ newest: "5", floor: "1", seen: [1, "3"] }))).toEqual({ newest: "5", floor: "1", seen: ["3"], gapBelow: null });
  });
});
