import type { Incident } from "../mention";

/**
 * A silence mutes notices, not incidents: a silenced incident still opens, is
 * stored and shows on the dashboard, but nobody is paged for it until the
 * silence ends — the way Alertmanager silences work. Pure: data in, answer out.
 */
export interface Silence {
  id: string;
  /** The brand it mutes; null mutes every brand (and source-down incidents). */
  brand: string | null;
  /** The problem type it mutes (e.g. "delivery"); null mutes every type. */
  problem: string | null;
  /** Epoch ms. */
  startsAt: number;
  /** Epoch ms; the silence is over from this moment on. */
  endsAt: number;
  createdBy: string;
  reason: string;
  /** Epoch ms. */
  createdAt: number;
}

/** The silence that mutes this incident at `now`, if any (the one ending last). */
export function silencing(
  incident: Pick<Incident, "brand" | "kind">,
  problem: string | null,
  silences: readonly Silence[],
  now: number,
): Silence | null {
  let found: Silence | null = null;
  for (const s of silences) {
    if (now < s.startsAt || now >= s.endsAt) continue;
    if (s.brand !== null && (incident.kind !== "spike" || s.brand.toLowerCase() !== incident.brand.toLowerCase())) continue;
    if (s.problem !== null && s.problem !== problem) continue;
    if (found === null || s.endsAt > found.endsAt) found = s;
  }
  return found;
}

/** Problems with a silence someone asked for; empty when it is fine. */
export function silenceProblems(s: Pick<Silence, "brand" | "problem" | "startsAt" | "endsAt" | "reason">, now: number): string[] {
  const problems: string[] = [];
  if (!Number.isFinite(s.startsAt) || !Number.isFinite(s.endsAt)) problems.push("startsAt and endsAt must be epoch milliseconds");
  else {
    if (s.endsAt <= s.startsAt) problems.push("endsAt must be after startsAt");
    if (s.endsAt <= now) problems.push("endsAt is in the past");
    if (s.endsAt - s.startsAt > MAX_SILENCE_MS) problems.push("a silence may last at most 90 days");
  }
  if (s.brand !== null && (s.brand.length === 0 || s.brand.length > 200)) problems.push("brand must be 1–200 characters");
  if (s.problem !== null && !/^[a-z][a-z-]{0,39}$/.test(s.problem)) problems.push("problem must be a problem type such as outage or delivery");
  if (s.reason.length > 500) problems.push("reason may be at most 500 characters");
  return problems;
}

const MAX_SILENCE_MS = 90 * 24 * 60 * 60 * 1000;
