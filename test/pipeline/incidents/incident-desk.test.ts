import { Subject, type Observable } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import { describe, expect, test } from "vitest";
import { IncidentDesk } from "../../../pipeline/incidents/incident-desk";
import type { IncidentChange } from "../../../pipeline/incidents/lifecycle";
import type { ScoredMention } from "../../../pipeline/mention";
import { SeriesJudge } from "../../../pipeline/spikes/judge-series";
import { MinuteJudge } from "../../../pipeline/spikes/judge-minutes";
import { minuteCounts } from "../../../pipeline/spikes/minute-counts";

/**
 * The incident half of pipeline/flow.ts — minute counts with their series,
 * the brand's judge and the series judge, the desk — run in virtual time: a
 * two-hour story in microseconds, the same on every run.
 */
const MINUTE = 60_000;
const SETTINGS = { minNegatives: 5, sensitivity: 4, warmupMinutes: 30 };

let seq = 0;
function mention(minute: number, source: string, negative: boolean, problems: string[] = []): ScoredMention {
  seq++;
  return {
    id: `${source}:${seq}`,
    brand: "Lumio",
    source,
    publishedAt: minute * MINUTE + (seq % 50) * 1_000,
    sentiment: { score: negative ? -0.8 : 0.6, label: negative ? "negative" : "positive", confidence: 0.9, terms: [] },
    problems: problems.map((type) => ({ type, terms: [] })),
  } as unknown as ScoredMention;
}

/** Each mention arrives at its own event time (no lateness), as the scheduler plays the story. */
function play(mentions: ScoredMention[], ts: TestScheduler): Observable<ScoredMention> {
  const feed = new Subject<ScoredMention>();
  for (const m of mentions) ts.schedule(() => feed.next(m), m.publishedAt);
  ts.schedule(() => feed.complete(), Math.max(...mentions.map((m) => m.publishedAt)) + 5 * MINUTE);
  return feed;
}

/** Wires what buildFlow() wires between the minute counts and the desk. */
function run(mentions: ScoredMention[], keepFiringMinutes: number): { changes: IncidentChange[]; desk: IncidentDesk } {
  const desk = new IncidentDesk(new Map(), { keepFiringMinutes });
  const changes: IncidentChange[] = [];
  desk.changes$.subscribe((c) => changes.push(c));
  const judge = new MinuteJudge(SETTINGS);
  const series = new SeriesJudge(SETTINGS);
  const ts = new TestScheduler((a, b) => expect(a).toEqual(b));
  ts.run(() => {
    play(mentions, ts)
      // a tick every half minute: VirtualAction chains its reschedules, and hours of 1-second ticks would nest too deep
      .pipe(minuteCounts(0, 30_000, ts, true))
      .subscribe((s) => {
        const judged = s.type === "closed" ? judge.closed(s.minute) : judge.running(s.count);
        if (judged !== null) desk.apply({ type: "minute", closed: judged.closed, judgement: judged.judgement, wallNow: ts.now() });
        if (s.type === "closed") desk.apply({ type: "signals", brand: "Lumio", minute: s.minute.minute, signals: series.closed(s.minute), wallNow: ts.now() });
      });
  });
  return { changes, desk };
}

function calm(from: number, to: number): ScoredMention[] {
  const out: ScoredMention[] = [];
  for (let m = from; m < to; m++) {
    out.push(mention(m, "news", false), mention(m, "news", false), mention(m, "forum", false));
    if (m % 15 === 0) out.push(mention(m, "forum", true));
  }
  return out;
}

describe("IncidentDesk in virtual time", () => {
  test("an outage reported on two sources is one incident with its signals; the sources' spikes are inhibited and page nobody", () => {
    const story = calm(0, 120);
    for (let m = 60; m < 75; m++) for (let i = 0; i < 10; i++) story.push(mention(m, "news", true, ["outage"]));
    for (let m = 65; m < 75; m++) for (let i = 0; i < 8; i++) story.push(mention(m, "forum", true, ["outage"]));
    const { changes, desk } = run(story, 10);
    expect(new Set(changes.map((c) => c.incident.key)).size).toBe(1);
    const paged = changes.filter((c) => !c.quiet && (c.kind === "firing" || c.kind === "resolved")).map((c) => c.kind);
    expect(paged).toEqual(["firing", "resolved"]);
    const joined = changes.flatMap((c) => c.joined ?? []).map((s) => `${s.kind}:${s.name}${s.inhibited ? " (inhibited)" : ""}`);
    expect(joined).toEqual(["brand:Lumio", "problem:outage", "source:news (inhibited)", "source:forum (inhibited)"]);
    // inhibited joins are "updated" changes: alerts/dispatch.ts pages nobody for them
    expect(changes.filter((c) => c.joined?.some((s) => s.inhibited)).every((c) => c.kind === "updated")).toBe(true);
    expect(desk.openIncidents()).toEqual([]);
  });

  test("a surge on one source alone, with no outage, opens the brand's incident from the source's signal", () => {
    const story = calm(0, 100);
    // the forum turns sour: its negatives jump while the brand's total hardly notices the share
    for (let m = 60; m < 80; m++) for (let i = 0; i < 6; i++) story.push(mention(m, "forum", true));
    const { changes } = run(story, 10);
    const firing = changes.find((c) => c.kind === "firing");
    expect(firing).toBeDefined();
    const names = changes.flatMap((c) => c.joined ?? []).map((s) => `${s.kind}:${s.name}${s.inhibited ? " (inhibited)" : ""}`);
    expect(names).toContain("source:forum");
    expect(names.some((n) => n.startsWith("problem:"))).toBe(false);
    expect(new Set(changes.map((c) => c.incident.key)).size).toBe(1);
  });
});
