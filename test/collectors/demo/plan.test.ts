import { fc, test as propTest } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import { liveRounds, liveTail, planReplay, replayDurationMs, type ReplayStep } from "../../../collectors/demo/plan";
import { recording } from "../../../collectors/demo/recording";
import type { RawMention } from "../../../collectors/source";

const NOW = Date.UTC(2026, 10, 23, 14, 0, 0);
const MINUTE = 60_000;

interface Audit {
  phase: string;
  tone: string;
  network: string;
  minute: number | null;
}
const audit = (m: RawMention) => m.raw as Audit;
const published = (m: RawMention) => m.publishedAt as number;
const followers = (m: RawMention) => m.author?.followers ?? 0;
const take = <T>(steps: Iterator<T>, n: number): T[] => Array.from({ length: n }, () => steps.next().value as T);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe("planReplay", () => {
  const steps = planReplay(recording, { now: NOW, speed: 1, seed: 1 });
  const mentions = steps.flatMap((s) => s.mentions);

  test("planReplay() gives the same steps for the same seed and other steps for another seed", () => {
    expect(planReplay(recording, { now: NOW, speed: 1, seed: 1 })).toEqual(steps);
    const other = planReplay(recording, { now: NOW, speed: 1, seed: 2 }).flatMap((s) => s.mentions.map((m) => m.text));
    expect(other).not.toEqual(mentions.map((m) => m.text));
  });

  test("planReplay() plays 300 recorded minutes in 18 + 60 + 15 = 93 s at speed 1", () => {
    expect(steps).toHaveLength(300);
    expect(steps[179]!.atMs).toBe(18_000);
    expect(steps[239]!.atMs).toBe(78_000);
    expect(steps[299]!.atMs).toBe(93_000);
    expect(replayDurationMs(1)).toBe(93_000);
    expect(replayDurationMs(2)).toBe(46_500);
    expect(planReplay(recording, { now: NOW, speed: 2, seed: 1 }).at(-1)!.atMs).toBe(46_500);
    steps.slice(1).forEach((s, i) => expect(s.atMs).toBeGreaterThan(steps[i]!.atMs));
  });

  test("planReplay() never stamps a mention later than the moment it is emitted", () => {
    for (const step of steps) {
      for (const m of step.mentions) expect(published(m)).toBeLessThanOrEqual(NOW + step.atMs);
    }
  });

  propTest.prop([fc.double({ min: 0.0005, max: 1_000, noNaN: true }), fc.integer(), fc.integer({ min: 0, max: 4_000_000_000_000 })], { numRuns: 40 })(
    "planReplay() never stamps a mention later than its emission at any speed, seed and start",
    (speed, seed, now) => {
      for (const step of planReplay(recording, { now, speed, seed })) {
        for (const m of step.mentions) if (published(m) > now + step.atMs) return false;
      }
      return true;
    },
  );

  test("planReplay() anchors the five recorded hours to end when the replay finishes", () => {
    const end = NOW + 93_000;
    const times = mentions.map(published);
    expect(Math.min(...times)).toBeGreaterThanOrEqual(end - 300 * MINUTE);
    expect(Math.max(...times)).toBeLessThan(end);
    // each recorded minute's posts fall inside that minute of the last five hours
    steps.forEach((step, minute) => {
      for (const m of step.mentions) {
        expect(published(m)).toBeGreaterThanOrEqual(end - (300 - minute) * MINUTE);
        expect(published(m)).toBeLessThan(end - (299 - minute) * MINUTE);
      }
    });
    // within a step, posts come in time order
    for (const step of steps) expect(step.mentions.map(published)).toEqual(step.mentions.map(published).sort((a, b) => a - b));
  });

  test("planReplay() moves the anchor back when played slower than real time", () => {
    const slow = planReplay(recording, { now: NOW, speed: 0.001, seed: 1 });
    const first = slow[0]!;
    // minute 0 takes 100 s of real time at this speed: its posts are older than its emission
    for (const m of first.mentions) expect(published(m)).toBeLessThanOrEqual(NOW + first.atMs);
    expect(slow.at(-1)!.atMs).toBe(93_000_000);
  });

  test("planReplay() surges from 1–3 calm posts a minute to 20–40 in the outage and falls back", () => {
    const counts = steps.map((s) => s.mentions.length);
    expect(Math.min(...counts.slice(0, 180))).toBe(1);
    expect(Math.max(...counts.slice(0, 180))).toBe(3);
    expect(Math.min(...counts.slice(190, 240))).toBeGreaterThanOrEqual(20);
    expect(Math.max(...counts.slice(190, 240))).toBeLessThanOrEqual(40);
    expect(mean(counts.slice(180, 183))).toBeLessThan(mean(counts.slice(190, 200)));
    expect(mean(counts.slice(240, 250))).toBeGreaterThan(mean(counts.slice(280, 300)));
    expect(mean(counts.slice(280, 300))).toBeLessThan(4);
  });

  test("planReplay() puts many times more negative posts in surge minutes than in calm minutes", () => {
    const negativePerMinute = (s: ReplayStep) => s.mentions.filter((m) => audit(m).tone === "negative").length;
    const calm = mean(steps.slice(0, 180).map(negativePerMinute));
    const surge = mean(steps.slice(190, 240).map(negativePerMinute));
    expect(surge).toBeGreaterThan(10 * calm);
    // the surge is drawn mostly from the outage posts
    const surgeMentions = steps.slice(190, 240).flatMap((s) => s.mentions);
    expect(surgeMentions.filter((m) => audit(m).phase === "outage").length / surgeMentions.length).toBeGreaterThan(0.8);
    expect(steps.slice(0, 180).flatMap((s) => s.mentions).every((m) => audit(m).phase === "calm")).toBe(true);
  });

  test("planReplay() gives every mention its own sourceId and url, also across restarts and the live tail", () => {
    const restarted = planReplay(recording, { now: NOW + 120_000, speed: 1, seed: 1 }).flatMap((s) => s.mentions);
    const tail = take(liveTail(recording, { now: NOW, speed: 1, seed: 1 }), 200).flatMap((s) => s.mentions);
    const all = [...mentions, ...restarted, ...tail];
    expect(new Set(all.map((m) => m.sourceId)).size).toBe(all.length);
    expect(new Set(all.map((m) => m.url)).size).toBe(all.length);
    expect(mentions[0]!.sourceId).toMatch(/^1-[0-9a-z]+-0-0$/);
    // texts repeat, as distinct posts
    expect(new Set(mentions.map((m) => m.text)).size).toBeLessThan(mentions.length);
  });

  test("planReplay() fills each mention the way a social source would", () => {
    for (const m of mentions) {
      expect(m.source).toBe("demo");
      expect(new URL(m.url!).hostname).toMatch(/^[a-z]+\.example$/);
      expect(m.author!.handle).toMatch(/^[a-z0-9._]+$/);
      expect(m.author!.name).toBeTruthy();
      expect(m.author!.followers).toBeGreaterThanOrEqual(0);
      const e = m.engagement!;
      expect(e.likes).toBeGreaterThanOrEqual(0);
      for (const n of [e.replies, e.shares, e.views]) if (n !== undefined) expect(Number.isInteger(n) && n >= 0).toBe(true);
      if (e.views !== undefined) expect(e.views).toBeGreaterThanOrEqual(e.likes!);
      expect(m.rating !== undefined).toBe(audit(m).network === "apps");
      if (m.lang !== undefined) expect(["pl", "ru", "en"]).toContain(m.lang);
    }
    // reach follows followers: the loud accounts collect far more likes than the rest
    const likes = (keep: (m: RawMention) => boolean) => mean(mentions.filter(keep).map((m) => m.engagement!.likes!));
    expect(likes((m) => followers(m) >= 100_000)).toBeGreaterThan(20 * likes((m) => followers(m) < 1_000));
  });

  test("planReplay() lets a high-reach account post each of its posts once", () => {
    const loud = mentions.filter((m) => followers(m) >= 100_000);
    expect(loud.length).toBeGreaterThan(0);
    expect(new Set(loud.map((m) => m.text)).size).toBe(loud.length);
  });

  test("planReplay() keeps a gendered first-person text with an author of that gender", () => {
    const authorsOf = (voice: "f" | "m") => new Set(recording.filter((p) => p.voice === voice).map((p) => p.author.handle));
    for (const voice of ["f", "m"] as const) {
      const texts = new Set(recording.filter((p) => p.voice === voice).map((p) => p.text));
      for (const m of mentions.filter((m) => texts.has(m.text!))) expect(authorsOf(voice)).toContain(m.author!.handle);
    }
  });

  test("planReplay() refuses a speed of zero, below zero or not finite", () => {
    for (const speed of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => planReplay(recording, { now: NOW, speed, seed: 1 })).toThrow(RangeError);
    }
  });
});

describe("liveTail", () => {
  test("liveTail() continues after the replay with calm posts about two a minute, stamped as they are emitted", () => {
    const steps = take(liveTail(recording, { now: NOW, speed: 2, seed: 7 }), 240);
    expect(steps[0]!.atMs).toBeGreaterThan(46_500);
    const gaps = steps.slice(1).map((s, i) => s.atMs - steps[i]!.atMs);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(15_000);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(45_000);
    expect(mean(gaps)).toBeGreaterThan(25_000);
    expect(mean(gaps)).toBeLessThan(35_000);
    for (const step of steps) {
      expect(step.mentions).toHaveLength(1);
      const m = step.mentions[0]!;
      expect(audit(m).phase).toBe("calm");
      expect(published(m)).toBeLessThanOrEqual(NOW + step.atMs);
      expect(published(m)).toBeGreaterThan(NOW + step.atMs - 6_000);
    }
  });

  test("liveTail() is the same for the same seed and start", () => {
    const a = take(liveTail(recording, { now: NOW, speed: 1, seed: 3 }), 50);
    expect(take(liveTail(recording, { now: NOW, speed: 1, seed: 3 }), 50)).toEqual(a);
  });
});

describe("liveRounds", () => {
  test("liveRounds() replays the crisis in real time, each post stamped inside the minute it is emitted", () => {
    const speed = 4;
    const minuteMs = MINUTE / speed;
    const steps = take(liveRounds(recording, { now: NOW, speed, seed: 1 }), 600);
    steps.forEach((step, i) => {
      expect(step.atMs).toBeCloseTo(93_000 / speed + (i + 1) * minuteMs, 6);
      for (const m of step.mentions) {
        expect(published(m)).toBeLessThan(NOW + step.atMs);
        expect(published(m)).toBeGreaterThanOrEqual(Math.floor(NOW + step.atMs - minuteMs));
        expect(audit(m).minute).toBe(i % 300);
      }
    });
    const outage = (round: number) => steps.slice(round * 300 + 190, round * 300 + 240).flatMap((s) => s.mentions).length;
    expect(outage(0)).toBeGreaterThan(1_000);
    expect(outage(1)).toBeGreaterThan(1_000);
    const ids = steps.flatMap((s) => s.mentions.map((m) => m.sourceId));
    expect(new Set(ids).size).toBe(ids.length);
  });
});
