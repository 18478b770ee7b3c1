import type { Store } from "../../pipeline/store/store";
import type { SnapshotState } from "./live-memory";
import { toIncidentView, toMentionView, toMinutePoint } from "./views";

export interface SnapshotLimits {
  mentions: number;
  incidents: number;
  timelineMs: number;
}

/**
 * The state a freshly connected browser draws, read from the Store: every
 * brand, the newest mentions, the newest incidents and each brand's timeline
 * for the last `timelineMs` (up to the end of the current minute).
 */
export async function loadSnapshotState(store: Store, now: number, limits: SnapshotLimits): Promise<SnapshotState> {
  const from = now - limits.timelineMs;
  const to = now + 60_000; // `to` is exclusive: include the minute in progress
  const [brands, mentions, incidents] = await Promise.all([
    store.brands(),
    store.recentMentions({ limit: limits.mentions }),
    store.incidents({ limit: limits.incidents }),
  ]);
  const perBrand = await Promise.all(brands.map((brand) => store.minuteCounts({ brand, from, to })));
  return {
    brands: [...brands].sort(),
    mentions: mentions.map(toMentionView),
    incidents: incidents.map(toIncidentView),
    timeline: perBrand.flat().map(toMinutePoint),
  };
}
