import type { Incident, IncidentSignal } from "../mention";

/**
 * The problem type an incident's signals point at: its uninhibited problem
 * signal with the highest peak score; null when no problem series spiked.
 * It chooses the playbook before the evidence's dominant problem does (the
 * detector saw that type surge; the evidence only counts tags), and it is
 * what a brand + problem silence is matched against.
 */
export function problemOfSignals(signals: readonly IncidentSignal[]): string | null {
  let best: IncidentSignal | null = null;
  for (const s of signals) if (s.kind === "problem" && !s.inhibited && (best === null || s.peakScore > best.peakScore)) best = s;
  return best?.name ?? null;
}

export const incidentProblem = (incident: Pick<Incident, "signals">): string | null => problemOfSignals(incident.signals ?? []);
