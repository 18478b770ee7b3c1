/**
 * Pure merges behind LiveFeed: each takes the current array and a frame's items
 * and returns a new array (the feed keeps them in `$state.raw`, replaced whole).
 */
import type { IncidentView, MentionView, MinutePoint } from "../../protocol";

/**
 * `incoming` on top of `current`, newest first, without duplicate ids (a keyed
 * each block must not see one id twice), at most `max` items.
 */
export function mergeMentions(
  current: readonly MentionView[],
  incoming: readonly MentionView[],
  max: number,
): MentionView[] {
  const seen = new Set<string>();
  const merged: MentionView[] = [];
  // Frames list new mentions oldest first; the stream shows the newest on top.
  const fresh = [...incoming].sort((a, b) => b.publishedAt - a.publishedAt);
  for (const list of [fresh, current]) {
    for (const m of list) {
      if (merged.length >= max) return merged;
      if (seen.has(m.id)) continue;
      seen.add(m.id);
      merged.push(m);
    }
  }
  return merged;
}

const pointKey = (p: MinutePoint): string => `${p.minute}\u0000${p.brand}`;

/**
 * Points upserted by brand + minute (a later count replaces an earlier one),
 * points older than `notBefore` dropped, sorted by minute.
 */
export function mergePoints(
  current: readonly MinutePoint[],
  incoming: readonly MinutePoint[],
  notBefore: number,
): MinutePoint[] {
  const byKey = new Map<string, MinutePoint>();
  for (const p of current) if (p.minute >= notBefore) byKey.set(pointKey(p), p);
  for (const p of incoming) if (p.minute >= notBefore) byKey.set(pointKey(p), p);
  return [...byKey.values()].sort((a, b) => a.minute - b.minute);
}

const STATE_ORDER: Record<IncidentView["state"], number> = { firing: 0, pending: 1, acknowledged: 2, resolved: 3 };

/** Open incidents first (firing, then pending, then acknowledged), then resolved; newest first within each. */
export function byUrgency(a: IncidentView, b: IncidentView): number {
  return STATE_ORDER[a.state] - STATE_ORDER[b.state] || b.startedAt - a.startedAt;
}

/**
 * The incident upserted by key. An older copy never replaces a newer one, so a
 * late HTTP answer cannot undo a state change the live feed already showed.
 */
export function mergeIncident(
  current: readonly IncidentView[],
  incident: IncidentView,
  max: number,
): readonly IncidentView[] {
  const existing = current.find((i) => i.key === incident.key);
  if (existing !== undefined && existing.updatedAt > incident.updatedAt) return current;
  const others = current.filter((i) => i.key !== incident.key);
  return [incident, ...others].sort(byUrgency).slice(0, max);
}

/** A snapshot's incidents: one per key, most urgent first, at most `max`. */
export function sortIncidents(incidents: readonly IncidentView[], max: number): IncidentView[] {
  const byKey = new Map<string, IncidentView>();
  for (const i of incidents) {
    const seen = byKey.get(i.key);
    if (seen === undefined || seen.updatedAt <= i.updatedAt) byKey.set(i.key, i);
  }
  return [...byKey.values()].sort(byUrgency).slice(0, max);
}
