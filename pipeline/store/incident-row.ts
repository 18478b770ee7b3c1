import type { Incident } from "../mention";

/**
 * An incident as a row of {db}.incidents and back: shared by the Store's own
 * queries (store.ts, queries.ts) and the overview's incident markers
 * (overview-queries.ts).
 */

/** The columns a read selects (times as epoch ms): they fill an IncidentRow. */
export const INCIDENT_COLUMNS = `
    key, kind, source, brand, state, severity,
    toUnixTimestamp64Milli(started_at) AS started_at_ms,
    toUnixTimestamp64Milli(updated_at) AS updated_at_ms,
    if(isNull(acknowledged_at), NULL, toUnixTimestamp64Milli(assumeNotNull(acknowledged_at))) AS acknowledged_at_ms,
    acknowledged_by,
    if(isNull(resolved_at), NULL, toUnixTimestamp64Milli(assumeNotNull(resolved_at))) AS resolved_at_ms,
    peak_negative, baseline, first_mention_id, summary`;

export function incidentRow(i: Incident) {
  return {
    key: i.key,
    kind: i.kind,
    source: i.source ?? "",
    brand: i.brand,
    state: i.state,
    severity: i.severity,
    started_at: i.startedAt,
    updated_at: i.updatedAt,
    acknowledged_at: i.acknowledgedAt,
    acknowledged_by: i.acknowledgedBy,
    resolved_at: i.resolvedAt,
    peak_negative: i.peakNegative,
    baseline: i.baseline,
    first_mention_id: i.firstMentionId,
    summary: i.summary,
  };
}

export interface IncidentRow {
  key: string;
  kind: string;
  source: string;
  brand: string;
  state: string;
  severity: string;
  started_at_ms: number;
  updated_at_ms: number;
  acknowledged_at_ms: number | null;
  acknowledged_by: string | null;
  resolved_at_ms: number | null;
  peak_negative: number;
  baseline: number;
  first_mention_id: string;
  summary: string;
}

export function fromIncidentRow(r: IncidentRow): Incident {
  return {
    key: r.key,
    kind: r.kind === "source-down" ? "source-down" : "spike",
    source: r.source === "" ? null : r.source,
    brand: r.brand,
    state: r.state as Incident["state"],
    severity: r.severity as Incident["severity"],
    startedAt: Number(r.started_at_ms),
    updatedAt: Number(r.updated_at_ms),
    acknowledgedAt: r.acknowledged_at_ms === null ? null : Number(r.acknowledged_at_ms),
    acknowledgedBy: r.acknowledged_by,
    resolvedAt: r.resolved_at_ms === null ? null : Number(r.resolved_at_ms),
    peakNegative: Number(r.peak_negative),
    baseline: Number(r.baseline),
    firstMentionId: r.first_mention_id,
    summary: r.summary,
  };
}
