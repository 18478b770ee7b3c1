/**
 * What an acknowledgement from outside the dashboard came to, for the answer
 * the person gets: the incident is not open (unknown or resolved), someone
 * else had acknowledged it first (`by` names them), or it is theirs now.
 */
export type AckOutcome = { kind: "not-open" } | { kind: "already"; by: string } | { kind: "done" };

export function ackOutcome(incident: { state: string; acknowledgedBy: string | null } | null, actor: string): AckOutcome {
  if (incident === null || incident.state === "resolved") return { kind: "not-open" };
  if (incident.acknowledgedBy !== null && incident.acknowledgedBy !== actor) return { kind: "already", by: incident.acknowledgedBy };
  return { kind: "done" };
}
