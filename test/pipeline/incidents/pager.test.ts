import { describe, expect, test } from "vitest";
import { afterPaging, duePages, pageLogFrom, type EscalationStep, type PageLog } from "../../../pipeline/incidents/pager";

const MIN = 60_000;
const T = Date.UTC(2026, 10, 23, 14, 0);
const REPEAT = { repeatMs: 30 * MIN };
const PATH: EscalationStep[] = [
  { contact: "on-call", afterMs: 0 },
  { contact: "pr-lead", afterMs: 10 * MIN },
  { contact: "ceo", afterMs: 30 * MIN },
];
const sent = (over: Partial<PageLog> = {}): PageLog => ({ firstNoticeAt: T, lastNoticeAt: T, escalated: 1, ...over });
const firing = { state: "firing" as const };

describe("duePages()", () => {
  test("duePages() pages nothing before the first notice went out", () => {
    expect(duePages(firing, { firstNoticeAt: null, lastNoticeAt: null, escalated: 0 }, PATH, T, REPEAT)).toEqual({ repeat: false, escalate: [] });
  });

  test("duePages() pages the first step of the path with the first notice", () => {
    expect(duePages(firing, sent({ escalated: 0 }), PATH, T, REPEAT).escalate.map((s) => s.contact)).toEqual(["on-call"]);
  });

  test("duePages() walks the path as the incident stays unacknowledged", () => {
    expect(duePages(firing, sent(), PATH, T + 9 * MIN, REPEAT).escalate).toEqual([]);
    expect(duePages(firing, sent(), PATH, T + 10 * MIN, REPEAT).escalate.map((s) => s.contact)).toEqual(["pr-lead"]);
    expect(duePages(firing, sent({ escalated: 2 }), PATH, T + 29 * MIN, REPEAT).escalate).toEqual([]);
  });

  test("duePages() pages every step that fell due while it was not asked (e.g. after a restart), in order", () => {
    expect(duePages(firing, sent(), PATH, T + 45 * MIN, REPEAT).escalate.map((s) => s.contact)).toEqual(["pr-lead", "ceo"]);
  });

  test("duePages() repeats the notice once the repeat interval has passed since the last one", () => {
    expect(duePages(firing, sent({ escalated: 3 }), PATH, T + 29 * MIN, REPEAT).repeat).toBe(false);
    expect(duePages(firing, sent({ escalated: 3 }), PATH, T + 30 * MIN, REPEAT).repeat).toBe(true);
    expect(duePages(firing, sent({ escalated: 3, lastNoticeAt: T + 30 * MIN }), PATH, T + 45 * MIN, REPEAT).repeat).toBe(false);
  });

  test("duePages() never repeats with a repeat interval of 0", () => {
    expect(duePages(firing, sent({ escalated: 3 }), PATH, T + 1_000 * MIN, { repeatMs: 0 }).repeat).toBe(false);
  });

  test.each(["acknowledged", "resolved"] as const)("duePages() pages nothing about an %s incident", (state) => {
    expect(duePages({ state }, sent({ escalated: 0 }), PATH, T + 1_000 * MIN, REPEAT)).toEqual({ repeat: false, escalate: [] });
  });
});

describe("afterPaging()", () => {
  test("afterPaging() counts the steps paged and moves the repeat clock only on a repeat", () => {
    const due = { repeat: false, escalate: [PATH[1]!] };
    expect(afterPaging(sent(), due, T + 10 * MIN)).toEqual({ firstNoticeAt: T, lastNoticeAt: T, escalated: 2 });
    expect(afterPaging(sent(), { repeat: true, escalate: [] }, T + 30 * MIN)).toEqual({ firstNoticeAt: T, lastNoticeAt: T + 30 * MIN, escalated: 1 });
  });
});

describe("pageLogFrom()", () => {
  test("pageLogFrom() rebuilds first and last notice and the steps done from delivery records", () => {
    const records = [
      { target: "https://hooks.example.com/a", event: "firing", at: T },
      { target: "https://hooks.example.com/a", event: "firing", at: T + 1_000 }, // a retry of the same notice
      { target: "on-call@example.com", event: "escalation", at: T },
      { target: "pr-lead@example.com", event: "escalation", at: T + 10 * MIN },
      { target: "pr-lead@example.com", event: "escalation", at: T + 10 * MIN + 2_000 },
      { target: "https://hooks.example.com/a", event: "repeat", at: T + 30 * MIN },
      { target: "https://hooks.example.com/a", event: "acknowledged", at: T + 31 * MIN },
    ];
    expect(pageLogFrom(records)).toEqual({ firstNoticeAt: T, lastNoticeAt: T + 30 * MIN, escalated: 2 });
  });

  test("pageLogFrom() of no records is a log of nothing sent", () => {
    expect(pageLogFrom([])).toEqual({ firstNoticeAt: null, lastNoticeAt: null, escalated: 0 });
  });
});
