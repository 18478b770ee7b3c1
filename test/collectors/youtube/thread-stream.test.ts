import { describe, expect, test } from "vitest";
import type { ThreadEntry } from "../../../collectors/youtube/parse";
import { readStreamState, ThreadStream, writeStreamState, type StreamState } from "../../../collectors/youtube/thread-stream";

/** Minute `m` past 11:00Z on the test day, in epoch ms. */
const at = (m: number, s = 0) => Date.parse("2024-05-14T11:00:00Z") + m * 60_000 + s * 1000;
/** A thread read at minute `m`; the mention only needs to exist. */
const t = (id: string, m: number, s = 0): ThreadEntry => ({ id, at: at(m, s), mention: { source: "youtube", sourceId: id } });
const ids = (stream: ThreadStream) => stream.fresh.map((e) => e.id);
const state = (over: Partial<StreamState>): StreamState => ({ newest: null, seen: [], resume: null, commentsOff: false, ...over });

describe("ThreadStream", () => {
  test("ThreadStream takes the newest page only on a stream's first read", () => {
    const stream = new ThreadStream(null);
    expect(stream.pageToken).toBeUndefined();
    stream.accept([t("c", 50), t("b", 40), t("a", 30)], "more");
    expect(stream.done).toBe(true);
    expect(ids(stream)).toEqual(["c", "b", "a"]);
    expect(stream.state()).toEqual(state({ newest: at(50), seen: ["c"] }));
  });

  test("ThreadStream hands out only threads above the floor and stops at the first older one", () => {
    const stream = new ThreadStream(state({ newest: at(50), seen: ["c"] }));
    stream.accept([t("e", 58), t("d", 55), t("c", 50), t("b", 40)], "more");
    expect(stream.done).toBe(true);
    expect(ids(stream)).toEqual(["e", "d"]);
    expect(stream.state()).toEqual(state({ newest: at(58), seen: ["e"] }));
  });

  test("ThreadStream pages down while every thread is new and stops at the thread it handed out last", () => {
    const stream = new ThreadStream(state({ newest: at(10), seen: ["a"] }));
    stream.accept([t("e", 58), t("d", 55)], "p2");
    expect(stream.done).toBe(false);
    expect(stream.pageToken).toBe("p2");
    stream.accept([t("c", 30), t("a", 10)], "p3");
    expect(stream.done).toBe(true);
    expect(ids(stream)).toEqual(["e", "d", "c"]);
    expect(stream.state()).toEqual(state({ newest: at(58), seen: ["e"] }));
  });

  test("ThreadStream hands out a thread in the floor's second that was not seen", () => {
    const stream = new ThreadStream(state({ newest: at(50), seen: ["c"] }));
    stream.accept([t("c2", 50), t("c", 50)], "p2");
    expect(stream.done).toBe(true);
    expect(ids(stream)).toEqual(["c2"]);
    expect(stream.state()).toEqual(state({ newest: at(50), seen: ["c", "c2"] }));
  });

  test("ThreadStream ends the read when a page repeats threads it already read", () => {
    const stream = new ThreadStream(state({ newest: at(10), seen: ["a"] }));
    stream.accept([t("e", 58), t("d", 55)], "p2");
    stream.accept([t("e", 58), t("d", 55)], "p2");
    expect(stream.done).toBe(true);
    expect(stream.endedOnRepeat).toBe(true);
    expect(ids(stream)).toEqual(["e", "d"]);
    expect(stream.state()).toEqual(state({ newest: at(58), seen: ["e"] }));
  });

  test("ThreadStream ends at the end of the list", () => {
    const stream = new ThreadStream(state({ newest: at(10), seen: ["a"] }));
    stream.accept([t("b", 20)], undefined);
    expect(stream.done).toBe(true);
    expect(stream.state().newest).toBe(at(20));
  });

  test("ThreadStream stopped mid-list keeps the page token and the top it read, and leaves the floor", () => {
    const stream = new ThreadStream(state({ newest: at(10), seen: ["a"] }));
    stream.accept([t("e", 58), t("d", 55)], "p2");
    stream.stop();
    expect(stream.state()).toEqual(state({ newest: at(10), seen: ["a"], resume: { pageToken: "p2", topAt: at(58), topIds: ["e"] } }));
  });

  test("ThreadStream reads the gap below a kept token first, then the top down to the gap's edge", () => {
    const stream = new ThreadStream(state({ newest: at(10), seen: ["a"], resume: { pageToken: "p2", topAt: at(58), topIds: ["e"] } }));
    expect(stream.pageToken).toBe("p2");
    expect(stream.inGap).toBe(true);
    stream.accept([t("c", 30), t("b", 20), t("a", 10), t("z", 5)], "p3");
    expect(stream.done).toBe(false);
    expect(stream.inGap).toBe(false);
    expect(stream.pageToken).toBeUndefined();
    stream.accept([t("g", 59, 30), t("f", 59), t("e", 58), t("d", 55)], "q2");
    expect(stream.done).toBe(true);
    expect(ids(stream)).toEqual(["c", "b", "g", "f"]);
    expect(stream.state()).toEqual(state({ newest: at(59, 30), seen: ["g"] }));
  });

  test("ThreadStream cut again inside the gap keeps the gap's edge", () => {
    const stream = new ThreadStream(state({ newest: at(10), seen: ["a"], resume: { pageToken: "p2", topAt: at(58), topIds: ["e"] } }));
    stream.accept([t("c", 30)], "p3");
    stream.stop();
    expect(stream.state()).toEqual(state({ newest: at(10), seen: ["a"], resume: { pageToken: "p3", topAt: at(58), topIds: ["e"] } }));
  });

  test("ThreadStream cut in the top read after filling the gap makes the gap's edge the floor", () => {
    const stream = new ThreadStream(state({ newest: at(10), seen: ["a"], resume: { pageToken: "p2", topAt: at(58), topIds: ["e"] } }));
    stream.accept([t("c", 30), t("a", 10)], undefined);
    stream.accept([t("h", 59, 50), t("g", 59, 30)], "q2");
    stream.stop();
    expect(stream.state()).toEqual(state({ newest: at(58), seen: ["e"], resume: { pageToken: "q2", topAt: at(59, 50), topIds: ["h"] } }));
  });

  test("ThreadStream whose kept token is refused reads from the top, skipping the edge it handed out", () => {
    const stream = new ThreadStream(state({ newest: at(10), seen: ["a"], resume: { pageToken: "old", topAt: at(58), topIds: ["e"] } }));
    stream.restartFromTop();
    expect(stream.pageToken).toBeUndefined();
    stream.accept([t("f", 59), t("e", 58), t("d", 55), t("a", 10)], "q2");
    expect(stream.done).toBe(true);
    // d was handed out by the poll that was cut; it comes again, and the store keeps one row.
    expect(ids(stream)).toEqual(["f", "d"]);
    expect(stream.state()).toEqual(state({ newest: at(59), seen: ["f"] }));
  });

  test("ThreadStream that was never asked keeps its state", () => {
    const prev = state({ newest: at(10), seen: ["a"], resume: { pageToken: "p2", topAt: at(58), topIds: ["e"] } });
    const stream = new ThreadStream(prev);
    stream.stop();
    expect(stream.state()).toEqual(prev);
    expect(new ThreadStream(null).state()).toEqual(state({}));
  });

  test("ThreadStream remembers comments being off until a page is read", () => {
    const off = new ThreadStream(state({ newest: at(10), seen: ["a"] }));
    off.turnedOff();
    expect(off.done).toBe(true);
    expect(off.state()).toEqual(state({ newest: at(10), seen: ["a"], commentsOff: true }));
    const back = new ThreadStream(off.state());
    expect(back.commentsOff).toBe(true);
    back.accept([t("b", 20)], undefined);
    expect(back.state().commentsOff).toBe(false);
  });

  test("ThreadStream moves past a skipped thread without handing it out twice", () => {
    const skipped: ThreadEntry = { id: "s", at: at(30), mention: null, reason: "comment without text" };
    const first = new ThreadStream(state({ newest: at(10), seen: ["a"] }));
    first.accept([skipped, t("a", 10)], undefined);
    expect(first.fresh).toEqual([skipped]);
    const second = new ThreadStream(first.state());
    second.accept([skipped, t("a", 10)], undefined);
    expect(second.fresh).toEqual([]);
  });
});

describe("readStreamState()", () => {
  test("readStreamState() reads what writeStreamState() wrote", () => {
    const s = state({ newest: at(10), seen: ["a", "b"], resume: { pageToken: "p2", topAt: at(58), topIds: ["e"] }, commentsOff: true });
    expect(readStreamState(writeStreamState(s))).toEqual(s);
  });

  test.for([undefined, null, 42, "", "{", "[]", '"text"'])("readStreamState() returns null for %j", (value) => {
    expect(readStreamState(value)).toBeNull();
  });

  test("readStreamState() drops the parts it cannot read", () => {
    expect(readStreamState(JSON.stringify({ newest: "soon", seen: ["a", 1], resume: { pageToken: "", topAt: 5 }, commentsOff: "yes" }))).toEqual(state({ seen: ["a"] }));
  });
});
