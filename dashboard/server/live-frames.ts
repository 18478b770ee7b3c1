import { asyncScheduler, bufferTime, filter, map, type OperatorFunction, type SchedulerLike } from "rxjs";
import type { ServerMessage } from "../protocol";
import type { LiveEvent } from "../../pipeline/mention";
import { buildFrames } from "./frames";

export interface LiveFramesOptions {
  /** How long events are collected before they go out together. */
  flushMs: number;
  /** Mentions per `mentions` frame; a bigger flush becomes several frames. */
  maxMentionsPerFrame: number;
}

/**
 * Live events → one list of frames per flush window (windows without events
 * emit nothing). Time comes from `scheduler`, so tests run it in virtual time.
 */
export function liveFrames(
  options: LiveFramesOptions,
  scheduler: SchedulerLike = asyncScheduler,
): OperatorFunction<LiveEvent, ServerMessage[]> {
  return (events$) =>
    events$.pipe(
      bufferTime(options.flushMs, null, Infinity, scheduler),
      filter((events) => events.length > 0),
      map((events) => buildFrames(events, options.maxMentionsPerFrame)),
    );
}
