import { Subject, firstValueFrom, toArray } from "rxjs";
import { testFlowDeps } from "../support/flow-deps";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { RawMention } from "../../collectors/source";
import { buildFlow, type Flow } from "../../pipeline/flow";
import { IncidentDesk } from "../../pipeline/incidents/incident-desk";
import { bookFromStored, type IncidentChange } from "../../pipeline/incidents/lifecycle";
import type { LiveEvent } from "../../pipeline/mention";
import { planWarmStart, type WarmStart } from "../../pipeline/spikes/warm-start";
import { openStore } from "../../pipeline/store/open-store";
import { Spill } from "../../pipeline/store/spill";
import type { Store } from "../../pipeline/store/store";
import { freshDatabase } from "../contracts/store.contract";
import { tempDirs } from "../support/temp-dir";

/**
 * The whole graph with real stages and a real chDB store. Event times are in
 * the past, so minutes close as soon as later mentions arrive: a two-hour
 * story runs in a moment without faking any clock.
 */
const dirs = tempDirs();
const dataDir = dirs.make("earshot-flow-");
const MINUTE = 60_000;
const START = Date.now() - 3 * 60 * MINUTE - (Date.now() % MINUTE);

let store: Store;
beforeAll(async () => {
  store = await openStore({ kind: "embedded", dataDir, database: freshDatabase() });
});
afterAll(() => store.close());

function run(raws: RawMention[]) {
  const raw$ = new Subject<RawMention>();
  const desk = new IncidentDesk(new Map(), { keepFiringMinutes: 5 });
  const notices: IncidentChange[] = [];
  const flow: Flow = buildFlow(
    raw$,
    testFlowDeps({
      store,
      spill: new Spill(dirs.make("earshot-spill-")),
      terms: ["Lumio", "Люмио*"],
      desk,
      notify: async (change) => void notices.push(change),
    }),
  );
  const live = firstValueFrom(flow.live$.pipe(toArray()));
  const subscription = flow.start();
  for (const r of raws) raw$.next(r);
  raw$.complete();
  return { flow, live, notices, subscription };
}

let seq = 0;
const post = (minute: number, text: string, extra: Partial<RawMention> = {}): RawMention => ({
  source: "test",
  sourceId: `p${seq++}`,
  text,
  publishedAt: START + minute * MINUTE + 1_000,
  ...extra,
});

function crisis(): RawMention[] {
  const raws: RawMention[] = [];
  for (let m = 0; m < 60; m++) {
    raws.push(post(m, "Lumio ma fajną nową ofertę, polecam"));
    if (m % 10 === 0) raws.push(post(m, "Lumio support was slow today, annoying"));
  }
  for (let m = 60; m < 70; m++)
    for (let i = 0; i < 25; i++)
      raws.push(post(m, i % 2 ? "Lumio znowu nie działa, awaria, masakra!!!" : "Люмио опять не работает, ужасно 😡"));
  for (let m = 70; m < 90; m++) raws.push(post(m, "Lumio works again, thanks"));
  return raws;
}

describe("buildFlow()", () => {
  test("buildFlow() stores every matched mention, opens one incident on the surge and resolves it after", async () => {
    const { flow, live, notices } = run(crisis());
    const events = await live;
    await flow.settled();
    expect(await store.countMentions({ brand: "Lumio" })).toBe(60 + 6 + 250 + 20);

    expect(notices.map((n) => n.kind).filter((k) => k !== "updated")).toEqual(["firing", "resolved"]);
    const opened = notices[0]!.incident;
    expect(opened.startedAt).toBe(START + 60 * MINUTE);
    expect(opened.firstMentionId).toMatch(/^test:p/);
    expect((await store.incident(opened.key))?.state).toBe("resolved");
    const timeline = (await store.incidentEvents(opened.key)).map((e) => [e.type, e.actor]);
    expect(timeline[0]).toEqual(["firing", "earshot"]);
    expect(timeline.at(-1)).toEqual(["resolved", "earshot"]);

    const kinds = new Set(events.map((e: LiveEvent) => e.type));
    expect(kinds).toEqual(new Set(["mention", "count", "incident"]));
    const mention = events.find((e) => e.type === "mention");
    expect(mention?.type === "mention" && mention.mention.sentiment.label).toBeTruthy();
  });

  test("buildFlow() scores Polish and Russian outage posts negative and detects their language, Russian typed in Latin letters too", async () => {
    const { live } = run([
      post(0, "Lumio znowu nie działa, awaria!"),
      post(0, "Люмио опять не работает, ужасно"),
      post(0, "Lumio opyat ne rabotaet, prosto uzhas"),
    ]);
    const mentions = (await live).flatMap((e) => (e.type === "mention" ? [e.mention] : []));
    expect(mentions.map((m) => [m.lang, m.sentiment.label, m.problems.map((p) => p.type)])).toEqual([
      ["pl", "negative", ["outage"]],
      ["ru", "negative", ["outage"]],
      ["ru", "negative", ["outage"]],
    ]);
    // The mention keeps its text as written; only the readers saw it in Cyrillic.
    expect(mentions[2]!.text).toBe("Lumio opyat ne rabotaet, prosto uzhas");
  });

  test("buildFlow() quarantines what it cannot read, drops other brands and duplicates, and keeps going", async () => {
    const dup = post(1, "Lumio duplicate post");
    const { flow, live } = run([
      post(1, ""),
      { source: "test", sourceId: "bad-date", text: "Lumio when?", publishedAt: "yesterday-ish" },
      post(1, "nothing about our brand"),
      dup,
      dup,
      post(1, "<img src=x onerror=alert(1)> Lumio"),
    ]);
    const mentions = (await live).flatMap((e) => (e.type === "mention" ? [e.mention] : []));
    await flow.settled();
    expect(mentions.map((m) => m.text)).toEqual(["Lumio duplicate post", "<img src=x onerror=alert(1)> Lumio"]);
    const quarantined = await store.quarantined(10);
    expect(quarantined.map((q) => q.reason).sort()).toEqual(expect.arrayContaining(["bad-published-at", "empty-text"]));
    expect(quarantined.find((q) => q.reason === "bad-published-at")?.payload).toContain("yesterday-ish");
  });
});

/** The whole graph for one brand with a given incident desk (and stored minutes to warm from), collecting every incident change. */
function runWith(raws: RawMention[], desk: IncidentDesk, options: { brand?: string; warmStart?: WarmStart } = {}) {
  const brand = options.brand ?? "Lumio";
  const raw$ = new Subject<RawMention>();
  const changes: IncidentChange[] = [];
  const flow = buildFlow(
    raw$,
    testFlowDeps({
      store,
      spill: new Spill(dirs.make("earshot-spill-")),
      brand,
      desk,
      ...(options.warmStart ? { warmStart: options.warmStart } : {}),
      notify: async (change) => void changes.push(change),
    }),
  );
  const done = firstValueFrom(flow.live$.pipe(toArray()));
  flow.start();
  for (const r of raws) raw$.next(r);
  raw$.complete();
  return { flow, done, changes };
}

describe("buildFlow() incident signals", () => {
  /**
   * An outage reported first on "news", then on "forum" too: one incident
   * with the brand's own signal, the outage signal and the sources' — the
   * forum's explained by the outage (inhibited). The story is cut in two runs
   * on one store, as a restart in the middle of the incident would.
   */
  function story(from: number, to: number): RawMention[] {
    const raws: RawMention[] = [];
    for (let m = from; m < to; m++) {
      for (let i = 0; i < 4; i++) raws.push(post(m, "Lumio ma fajną nową ofertę, polecam", { source: "news" }));
      for (let i = 0; i < 2; i++) raws.push(post(m, "Lumio app update looks nice", { source: "forum" }));
      if (m % 10 === 0) raws.push(post(m, "Lumio support was slow today, annoying", { source: "forum" }));
      if (m >= 90 && m < 105) for (let i = 0; i < 12; i++) raws.push(post(m, "Lumio znowu nie działa, awaria, masakra!!!", { source: "news" }));
      if (m >= 95 && m < 105) for (let i = 0; i < 8; i++) raws.push(post(m, "Lumio не работает, опять сбой, ужасно", { source: "forum" }));
    }
    return raws;
  }

  /** What dispatchChange pages for (alerts/dispatch.ts): announced firing, acknowledged and resolved changes. */
  const paged = (changes: IncidentChange[]) =>
    changes.filter((c) => !c.quiet && c.kind !== "updated" && c.kind !== "pending" && c.kind !== "dismissed").map((c) => c.kind);

  test("buildFlow() groups the brand, problem and source spikes of one surge into one incident, inhibits the explained source, and keeps its signals across a restart", async () => {
    const first = runWith(story(0, 100), new IncidentDesk(new Map(), { keepFiringMinutes: 5 }));
    await first.done;
    await first.flow.settled();
    // live$ completes with the whole graph, after the incident sink has stored every change
    const keys = new Set(first.changes.map((c) => c.incident.key));
    expect(keys.size).toBe(1);
    const key = [...keys][0]!;
    expect(paged(first.changes)).toEqual(["firing"]);
    const last = first.changes.at(-1)!.incident;
    const names = (last.signals ?? []).map((s) => `${s.kind}:${s.name}${s.inhibited ? " (inhibited)" : ""}`);
    // The outage reports and "news" spiked in the outage's first minute, before it closed (the
    // early look at running minutes); the brand's own series joined after; "forum" five minutes later.
    // The sources are explained by the outage.
    expect(names).toEqual(["problem:outage", "source:news (inhibited)", "brand:Lumio", "source:forum (inhibited)"]);
    expect(names.filter((n) => n.startsWith("problem:"))).toEqual(["problem:outage"]);

    const storedSignals = (await store.incidentSignals([key])).get(key) ?? [];
    expect(storedSignals.map((s) => `${s.kind}:${s.name}`).sort()).toEqual((last.signals ?? []).map((s) => `${s.kind}:${s.name}`).sort());
    const timeline = await store.incidentEvents(key);
    expect(timeline.filter((e) => e.type === "inhibited").map((e) => e.detail)).toContain("source:forum");
    expect(timeline.filter((e) => e.type === "signal").map((e) => e.detail)).toContain("problem:outage");
    expect(timeline.filter((e) => e.type === "firing")).toHaveLength(1);

    // Restart: the desk is rebuilt from the store, signals included, and the story goes on.
    const stored = await store.incidents({ limit: 50 });
    const open = stored.filter((i) => i.state !== "resolved");
    const desk = new IncidentDesk(bookFromStored(open, await store.incidentSignals(open.map((i) => i.key))), { keepFiringMinutes: 5 });
    // (Stored signals come back ordered by the minute they joined, then kind: the same set.)
    expect(desk.open(key)?.signals?.map((s) => s.name).sort()).toEqual(last.signals?.map((s) => s.name).sort());
    const second = runWith(story(100, 130), desk);
    await second.done;
    await second.flow.settled();
    expect(second.changes.every((c) => c.incident.key === key)).toBe(true);
    expect(paged(second.changes)).toEqual(["resolved"]);
    const resolved = second.changes.find((c) => c.kind === "resolved")!.incident;
    expect(resolved.signals?.map((s) => s.name)).toEqual(expect.arrayContaining(["Lumio", "outage", "forum"]));
  });
});

describe("buildFlow() after a restart", () => {
  /**
   * Ninety calm minutes are stored by one run; a second run starts with the
   * spike detectors warmed from them (spikes/warm-start.ts), and a surge
   * comes two minutes after the restart. A detector that started cold would
   * still be in its warm-up then and say nothing.
   */
  function calm(from: number, to: number): RawMention[] {
    const raws: RawMention[] = [];
    for (let m = from; m < to; m++) {
      for (let i = 0; i < 5; i++) raws.push(post(m, "Aster ma fajną nową ofertę, polecam", { source: "news" }));
      if (m % 4 === 0) raws.push(post(m, "Aster support was slow today, annoying", { source: "forum" }));
    }
    return raws;
  }
  function surge(from: number, to: number): RawMention[] {
    const raws = calm(from, to);
    for (let m = from + 2; m < to; m++) for (let i = 0; i < 10; i++) raws.push(post(m, "Aster znowu nie działa, awaria, masakra!!!", { source: "news" }));
    return raws.sort((a, b) => Number(a.publishedAt) - Number(b.publishedAt)); // in time order: a minute's posts before the next minute's
  }
  const runAster = (raws: RawMention[], warmStart?: WarmStart) =>
    runWith(raws, new IncidentDesk(new Map(), { keepFiringMinutes: 5 }), { brand: "Aster", ...(warmStart ? { warmStart } : {}) });

  test("buildFlow() warmed from the stored minutes alerts on a surge right after a restart; a cold start does not", async () => {
    const before = runAster(calm(0, 90));
    await before.done;
    await before.flow.settled();
    const history = await store.minuteHistory({ from: START - 60 * MINUTE, to: START + 90 * MINUTE });
    const warmStart = planWarmStart(
      history.filter((m) => m.brand === "Aster"),
      Date.now(),
    );
    expect(warmStart.resumeAt.get("Aster")).toBe(START + 90 * MINUTE);
    expect(warmStart.minutes).toHaveLength(90);

    const after = surge(90, 110);
    const cold = runAster(after);
    await cold.done;
    expect(cold.changes.filter((c) => c.kind === "firing")).toEqual([]);

    const warm = runAster(after, warmStart);
    await warm.done;
    await warm.flow.settled();
    const firing = warm.changes.filter((c) => c.kind === "firing");
    expect(firing).toHaveLength(1);
    expect(firing[0]!.incident.startedAt).toBe(START + 92 * MINUTE);
    // Only the second run's minutes were counted live: the resumed clock kept the stored ones out.
    expect(firing[0]!.incident.baseline).toBeLessThan(3);
  });
});
