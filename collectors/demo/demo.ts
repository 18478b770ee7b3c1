import { z } from "zod";
import type { StreamingSource } from "../source";
import { SOURCE_KIND } from "./mention-writer";
import { liveRounds, liveTail, planReplay, replayDurationMs, type ReplayStep } from "./plan";
import { recording } from "./recording";

export const demoOptions = z.strictObject({
  speed: z.number().positive().default(1).describe("Replay pace: 2 plays the recorded crisis twice as fast (about 47 s instead of 93 s)."),
  seed: z.number().int().default(1).describe("Picks which posts appear when; the same seed gives the same replay."),
  loop: z.boolean().optional().describe("After the replay, play the crisis again and again in real time instead of the calm tail."),
});
export type DemoOptions = z.infer<typeof demoOptions>;

/**
 * A recorded crisis of Lumio, a fictional operator, so a fresh install shows a
 * live dashboard with no network and no credentials: five hours of history
 * (calm, a network outage with a surge of angry posts in Polish, Russian and
 * English, the recovery) replayed in about 93 s, then calm posts in real time.
 */
export const demo: StreamingSource<DemoOptions> = {
  kind: SOURCE_KIND,
  options: demoOptions,

  start(options, emit, ctx) {
    const startedAt = ctx.now().getTime();
    const plan = { now: startedAt, speed: options.speed, seed: options.seed };
    const script = planReplay(recording, plan);
    const steps = (function* (): Generator<ReplayStep, never> {
      yield* script;
      return yield* options.loop ? liveRounds(recording, plan) : liveTail(recording, plan);
    })();
    ctx.log.info(
      { source: SOURCE_KIND, seed: options.seed, speed: options.speed, loop: options.loop === true, replayMs: Math.round(replayDurationMs(options.speed)) },
      "demo replay started",
    );

    // One timer at a time, each aimed at startedAt + atMs on the clock, so a
    // late timer makes the next one shorter instead of pushing all that follow.
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const scheduleNext = (): void => {
      const step = steps.next().value;
      timer = setTimeout(() => {
        if (stopped) return;
        scheduleNext();
        try {
          emit(step.mentions);
        } catch (err) {
          ctx.log.warn({ source: SOURCE_KIND, err }, "demo mentions could not be handed on");
        }
      }, Math.max(0, startedAt + step.atMs - ctx.now().getTime()));
    };

    const stop = (): void => {
      stopped = true;
      clearTimeout(timer);
      ctx.signal.removeEventListener("abort", stop);
    };
    if (ctx.signal.aborted) return stop;
    ctx.signal.addEventListener("abort", stop);
    scheduleNext();
    return stop;
  },
};
