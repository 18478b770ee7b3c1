import type { Random } from "./random";
import type { Phase } from "./recording";

/**
 * The shape of the recorded crisis in "crisis time": 300 minutes, of which
 * 0–179 are calm, 180–239 the outage and 240–299 the recovery. How many posts
 * a minute holds and from which phase's posts they are drawn lives here; when
 * the minutes are played and how they are stamped lives in plan.ts.
 */

export const MINUTE_MS = 60_000;
export const SCRIPT_MINUTES = 300;
export const OUTAGE_START = 180;
export const RECOVERY_START = 240;

/** Minutes of the outage over which the volume climbs to its plateau. */
const RAMP_MINUTES = 10;

/**
 * Real milliseconds one recorded minute takes at speed 1. History fills in
 * fast, the surge is slow enough to watch and act on, the recovery in between:
 * 180 × 100 + 60 × 1000 + 60 × 250 = 93 s.
 */
export const PACE_MS: Readonly<Record<Phase, number>> = { calm: 100, outage: 1_000, recovery: 250 };

export function phaseAt(minute: number): Phase {
  if (minute < OUTAGE_START) return "calm";
  if (minute < RECOVERY_START) return "outage";
  return "recovery";
}

/** How many posts the recorded minute holds. */
export function postsInMinute(minute: number, random: Random): number {
  switch (phaseAt(minute)) {
    case "calm":
      return random.int(1, 3);
    case "outage": {
      // Climbs over the first ten minutes, then holds at 20–40 a minute.
      const ramp = Math.min(1, (minute - OUTAGE_START + 1) / RAMP_MINUTES);
      return Math.max(2, Math.round(random.int(20, 40) * ramp));
    }
    case "recovery": {
      // Decays from about 18 a minute back to the calm level of about 2.
      const level = 2 + 16 * Math.exp(-(minute - RECOVERY_START) / 12);
      return Math.max(1, Math.round(level * (0.8 + 0.4 * random.next())));
    }
  }
}

/**
 * Which phase's posts one post of the minute is drawn from. The outage keeps a
 * few ordinary posts from people it has not reached; the recovery starts with
 * stragglers still offline and slides back to everyday talk.
 */
export function poolAt(minute: number, random: Random): Phase {
  const phase = phaseAt(minute);
  const roll = random.next();
  if (phase === "calm") return "calm";
  if (phase === "outage") return roll < 0.9 ? "outage" : "calm";
  const into = minute - RECOVERY_START;
  const stillOutage = 0.3 * Math.exp(-into / 8);
  const backToCalm = Math.min(0.85, into / 70);
  if (roll < stillOutage) return "outage";
  if (roll < stillOutage + backToCalm) return "calm";
  return "recovery";
}

/** Real milliseconds from the start of the replay to the end of each recorded minute, at speed 1. */
export const MINUTE_ENDS_MS: readonly number[] = (() => {
  const ends: number[] = [];
  let total = 0;
  for (let minute = 0; minute < SCRIPT_MINUTES; minute++) {
    total += PACE_MS[phaseAt(minute)];
    ends.push(total);
  }
  return ends;
})();
