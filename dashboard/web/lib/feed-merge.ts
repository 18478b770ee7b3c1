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

/**
 * Several frames' mentions (each frame oldest first, frames in arrival order)
 * on top of `current` in one pass: what the feed applies once per animation
 * frame, however many frames arrived since. Newest first, no duplicate ids, at
 * most `max`; a mention seen again keeps its newest copy. Only the newest `max`
 * incoming mentions are even looked at, so a burst costs O(max), not O(burst).
 */
export function mergeMentionBatches(
  current: readonly MentionView[],
  batches: readonly (readonly MentionView[])[],
  max: number,
): MentionView[] {
  const fresh: MentionView[] = [];
  // Walk from the newest arrival backwards: later copies of an id win.
  const seenFresh = new Set<string>();
  for (let b = batches.length - 1; b >= 0 && fresh.length < max; b--) {
    const batch = batches[b]!;
    for (let i = batch.length - 1; i >= 0 && fresh.length < max; i--) {
      const m = batch[i]!;
      if (seenFresh.has(m.id)) continue;
      seenFresh.add(m.id);
      fresh.push(m);
    }
  }
  return mergeMentions(current, fresh, max);
}

/** Workflows upserted by mention id; an older change never replaces a newer one (a late HTTP answer after a live frame). */
export function isNewerWorkflow(existing: { updatedAt: number } | undefined, incoming: { updatedAt: number }): boolean {
  return existing === undefined || incoming.updatedAt >= existing.updatedAt;
}

/** Stream order: newest first, then by id descending (the order GET API.mentions pages in). */
export function streamOrder(a: MentionView, b: MentionView): number {
  return b.publishedAt - a.publishedAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/**
 * What the stream shows: the live mentions that pass the filters together with
 * the pages loaded over HTTP for the same filters, one per id (the live copy
 * wins), in stream order, at most `max`.
 */
export function combineStream(live: readonly MentionView[], pages: readonly MentionView[], max: number): MentionView[] {
  const seen = new Set<string>();
  const all: MentionView[] = [];
  for (const list of [live, pages]) {
    for (const m of list) {
      if (seen.has(m.id)) continue;
      seen.add(m.id);
      all.push(m);
    }
  }
  return all.sort(streamOrder).slice(0, max);
}

const PRIORITY_RANK: Record<string, number> = { high: 0, normal: 1, low: 2 };

/**
 * High priority first (key customers, high-reach authors: the crisis rule of
 * answering them first), then normal, then low; stream order within each.
 * A mention without a priority counts as normal.
 */
export function byPriorityFirst(list: readonly MentionView[]): MentionView[] {
  const rank = (m: MentionView): number => PRIORITY_RANK[m.priority ?? "normal"] ?? 1;
  // Array.prototype.sort is stable: stream order is kept within a priority.
  return [...list].sort((a, b) => rank(a) - rank(b));
}
