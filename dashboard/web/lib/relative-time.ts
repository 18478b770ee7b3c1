/**
 * How long ago something happened, in the one unit a person reads at a glance
 * ("5 minutes ago", "3 hours ago"). The words come from Intl.RelativeTimeFormat
 * in the UI language, which knows Polish and Russian plural forms.
 */

export type ElapsedUnit = "minute" | "hour" | "day";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/**
 * Whole units elapsed from `then` to `now`, rounded down; null under a minute.
 * A time slightly in the future (clocks a little apart) also counts as under a
 * minute rather than "in 2 minutes".
 */
export function elapsed(then: number, now: number): { value: number; unit: ElapsedUnit } | null {
  const ms = now - then;
  if (!(ms >= MINUTE_MS)) return null;
  if (ms < HOUR_MS) return { value: Math.floor(ms / MINUTE_MS), unit: "minute" };
  if (ms < DAY_MS) return { value: Math.floor(ms / HOUR_MS), unit: "hour" };
  return { value: Math.floor(ms / DAY_MS), unit: "day" };
}
