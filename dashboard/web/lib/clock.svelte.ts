/**
 * A coarse clock for views that slide with time (the timeline's 6-hour window).
 * Ticks only while something reads it.
 */
import { createSubscriber } from "svelte/reactivity";

export class Clock {
  #now = $state(Date.now());
  #subscribe: () => void;

  constructor(intervalMs: number) {
    this.#subscribe = createSubscriber(() => {
      this.#now = Date.now();
      const id = setInterval(() => (this.#now = Date.now()), intervalMs);
      return () => clearInterval(id);
    });
  }

  /** Epoch ms, updated every interval. */
  get now(): number {
    this.#subscribe();
    return this.#now;
  }
}
