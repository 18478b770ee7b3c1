import type { IncidentView, MentionView, MinutePoint, ServerMessage } from "../protocol";

/** The parts of a snapshot that come from data (everything but the frame type and server time). */
export interface SnapshotState {
  brands: string[];
  mentions: MentionView[];
  incidents: IncidentView[];
  timeline: MinutePoint[];
}

export interface LiveMemoryLimits {
  /** Newest mentions kept (the snapshot shows this many). */
  mentions: number;
  /** Incidents kept, most recently changed first. */
  incidents: number;
  /** How far back counts are kept (the snapshot's timeline window). */
  timelineMs: number;
}

/**
 * What recently went out live, so a snapshot built from the Store can be
 * completed with it. The Store may lag the live stream (inserts are batched),
 * so a client that connects right after a burst would otherwise miss mentions
 * that were broadcast before it joined but not yet stored. The hub remembers
 * every flush and merges at the moment it sends the snapshot, in the same tick
 * as it adds the client to the broadcast list: nothing falls between the two.
 */
export class LiveMemory {
  readonly #limits: LiveMemoryLimits;
  // Map order is the order of last arrival: the first entry is the oldest.
  readonly #mentions = new Map<string, MentionView>();
  readonly #incidents = new Map<string, IncidentView>();
  readonly #counts = new Map<string, MinutePoint>();

  constructor(limits: LiveMemoryLimits) {
    this.#limits = limits;
  }

  remember(frames: readonly ServerMessage[], now: number): void {
    for (const frame of frames) {
      switch (frame.type) {
        case "mentions":
          for (const m of frame.mentions) moveToEnd(this.#mentions, m.id, m);
          break;
        case "counts":
          for (const c of frame.counts) this.#counts.set(countKey(c), c);
          break;
        case "incident":
          moveToEnd(this.#incidents, frame.incident.key, frame.incident);
          break;
        case "snapshot":
          break;
      }
    }
    trimOldest(this.#mentions, this.#limits.mentions);
    trimOldest(this.#incidents, this.#limits.incidents);
    const from = now - this.#limits.timelineMs;
    for (const [key, c] of this.#counts) if (c.minute < from) this.#counts.delete(key);
  }

  /** The stored state completed with what went out live. */
  complete(stored: SnapshotState, now: number): SnapshotState {
    return mergeSnapshotState(
      stored,
      {
        brands: [],
        mentions: [...this.#mentions.values()],
        incidents: [...this.#incidents.values()],
        timeline: [...this.#counts.values()],
      },
      { mentions: this.#limits.mentions, incidents: this.#limits.incidents, timelineFrom: now - this.#limits.timelineMs },
    );
  }
}

/**
 * Pure union of two states. Mentions: by id, newest `publishedAt` first.
 * Incidents: by key, the later `updatedAt` wins (the live one on a tie),
 * newest `startedAt` first. Counts: by brand and minute, the larger numbers win
 * (each side may have seen only part of a minute), ascending by minute.
 */
export function mergeSnapshotState(
  stored: SnapshotState,
  live: SnapshotState,
  limits: { mentions: number; incidents: number; timelineFrom: number },
): SnapshotState {
  const mentions = new Map<string, MentionView>();
  for (const m of stored.mentions) mentions.set(m.id, m);
  for (const m of live.mentions) mentions.set(m.id, m);

  const incidents = new Map<string, IncidentView>();
  for (const i of stored.incidents) incidents.set(i.key, i);
  for (const i of live.incidents) {
    const known = incidents.get(i.key);
    if (!known || i.updatedAt >= known.updatedAt) incidents.set(i.key, i);
  }

  const timeline = new Map<string, MinutePoint>();
  for (const c of [...stored.timeline, ...live.timeline]) {
    if (c.minute < limits.timelineFrom) continue;
    const key = countKey(c);
    const known = timeline.get(key);
    timeline.set(
      key,
      known
        ? { brand: c.brand, minute: c.minute, total: Math.max(known.total, c.total), negative: Math.max(known.negative, c.negative) }
        : c,
    );
  }

  const brands = new Set<string>(stored.brands);
  for (const b of live.brands) brands.add(b);
  for (const m of live.mentions) brands.add(m.brand);
  for (const c of live.timeline) brands.add(c.brand);

  return {
    brands: [...brands].sort(),
    mentions: [...mentions.values()]
      .sort((a, b) => b.publishedAt - a.publishedAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .slice(0, limits.mentions),
    incidents: [...incidents.values()].sort((a, b) => b.startedAt - a.startedAt).slice(0, limits.incidents),
    timeline: [...timeline.values()].sort(
      (a, b) => a.minute - b.minute || (a.brand < b.brand ? -1 : a.brand > b.brand ? 1 : 0),
    ),
  };
}

function countKey(c: MinutePoint): string {
  return `${c.brand}\u0000${c.minute}`;
}

function moveToEnd<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
}

function trimOldest<V>(map: Map<string, V>, max: number): void {
  for (const key of map.keys()) {
    if (map.size <= max) return;
    map.delete(key);
  }
}
