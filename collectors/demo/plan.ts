import type { RawMention } from "../source";
import { MentionWriter } from "./mention-writer";
import { createRandom, type Random } from "./random";
import type { RecordedPost } from "./recording";
import { MINUTE_ENDS_MS, MINUTE_MS, poolAt, postsInMinute, SCRIPT_MINUTES } from "./script";

/** Mentions to emit together, `atMs` real milliseconds after the replay starts. */
export interface ReplayStep {
  atMs: number;
  mentions: RawMention[];
}

export interface ReplayOptions {
  /** Real time at which the replay starts, epoch ms. */
  now: number;
  /** Pace multiplier: 2 plays the recorded minutes twice as fast. Must be > 0. */
  speed: number;
  /** Same seed and `now`, same replay. */
  seed: number;
}

/** Calm posts after the script: one every 15–45 s, about two a minute. */
const TAIL_GAP_MS = { min: 15_000, max: 45_000 } as const;
/** How long before it reaches us a live-tail post was written. */
const TAIL_LAG_MS = 5_000;

/** Real duration of the scripted replay: 93 s at speed 1. */
export function replayDurationMs(speed: number): number {
  return MINUTE_ENDS_MS[SCRIPT_MINUTES - 1]! / checkedSpeed(speed);
}

/**
 * The recorded crisis as timed steps, one per recorded minute, each emitted
 * when its minute has been played (calm minutes 100 ms, outage minutes 1 s,
 * recovery minutes 250 ms, all divided by `speed`).
 *
 * Timestamps: the script is anchored so that its last minute ends when the
 * replay finishes, so the dashboard shows "the last five hours" with the
 * outage one to two hours ago. Played faster than real time, every minute's
 * posts are then older than the moment they are emitted. Slower than real time
 * (speed below 1/60, where a played minute outlasts a real one) the anchor
 * moves back as far as needed, so no post ever comes from the future.
 *
 * Pure: the same recording, `now`, `speed` and `seed` give the same steps.
 */
export function planReplay(recording: readonly RecordedPost[], { now, speed, seed }: ReplayOptions): ReplayStep[] {
  checkedSpeed(speed);
  const random = createRandom(seed);
  const writer = new MentionWriter(recording, random, runId(seed, now));
  const emittedAt = (minute: number) => MINUTE_ENDS_MS[minute]! / speed;

  let end = Infinity;
  for (let minute = 0; minute < SCRIPT_MINUTES; minute++) {
    end = Math.min(end, emittedAt(minute) + (SCRIPT_MINUTES - 1 - minute) * MINUTE_MS);
  }
  const scriptEnd = Math.floor(now + end);

  const steps: ReplayStep[] = [];
  for (let minute = 0; minute < SCRIPT_MINUTES; minute++) {
    const minuteStart = scriptEnd - (SCRIPT_MINUTES - minute) * MINUTE_MS;
    steps.push({ atMs: emittedAt(minute), mentions: playMinute(writer, random, minute, minuteStart, 1, `${minute}`) });
  }
  return steps;
}

/**
 * What follows the script by default: calm posts in real time, about two a
 * minute, forever, each stamped a few seconds before it is emitted. The pace
 * ignores `speed` on purpose: two a minute of event time is the calm baseline
 * the spike detector learnt from the replayed hours.
 */
export function* liveTail(recording: readonly RecordedPost[], { now, speed, seed }: ReplayOptions): Generator<ReplayStep, never> {
  const random = createRandom(seed ^ 0x7a11_5eed);
  const writer = new MentionWriter(recording, random, `${runId(seed, now)}-live`);
  let atMs = replayDurationMs(speed);
  for (let n = 0; ; n++) {
    atMs += random.int(TAIL_GAP_MS.min, TAIL_GAP_MS.max);
    const publishedAt = Math.floor(now + atMs) - random.int(0, TAIL_LAG_MS);
    yield { atMs, mentions: [writer.write("calm", publishedAt, `${n}`, null)] };
  }
}

/**
 * What follows the script with `loop`: the whole script again and again, now
 * played as it happens, one recorded minute per real minute divided by
 * `speed`, each post stamped inside the minute it is emitted. At speed 1 the
 * outage recurs every five hours; a kiosk at speed 10 sees it every 30 minutes.
 */
export function* liveRounds(recording: readonly RecordedPost[], { now, speed, seed }: ReplayOptions): Generator<ReplayStep, never> {
  const minuteMs = MINUTE_MS / checkedSpeed(speed);
  let roundStart = replayDurationMs(speed);
  for (let round = 1; ; round++) {
    const random = createRandom(seed + round * 0x9e37_79b9);
    const writer = new MentionWriter(recording, random, `${runId(seed, now)}-r${round}`);
    for (let minute = 0; minute < SCRIPT_MINUTES; minute++) {
      const minuteStart = now + roundStart + minute * minuteMs;
      const mentions = playMinute(writer, random, minute, minuteStart, 1 / speed, `${minute}`);
      yield { atMs: roundStart + (minute + 1) * minuteMs, mentions };
    }
    roundStart += SCRIPT_MINUTES * minuteMs;
  }
}

/**
 * The posts of one recorded minute, in time order. Each falls at a random
 * point of the minute: `minuteStart + offset × stretch`, offset in [0, 60 s).
 */
function playMinute(writer: MentionWriter, random: Random, minute: number, minuteStart: number, stretch: number, localId: string): RawMention[] {
  const count = postsInMinute(minute, random);
  const offsets: number[] = [];
  for (let n = 0; n < count; n++) offsets.push(random.int(0, MINUTE_MS - 1));
  offsets.sort((a, b) => a - b);
  return offsets.map((offset, n) =>
    writer.write(poolAt(minute, random), Math.floor(minuteStart + offset * stretch), `${localId}-${n}`, minute),
  );
}

/**
 * Prefix of every sourceId of one replay: the seed, and the start time so that
 * restarting the demo over the same store makes new posts rather than reusing
 * ids the store and the dashboard already hold for other times.
 */
function runId(seed: number, now: number): string {
  return `${seed}-${Math.floor(now).toString(36)}`;
}

function checkedSpeed(speed: number): number {
  if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`demo speed must be a finite number above 0, got ${speed}`);
  return speed;
}
