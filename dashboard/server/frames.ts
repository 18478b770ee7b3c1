import type { IncidentView, MentionView, MinutePoint, ServerMessage } from "../protocol";
import type { LiveEvent } from "../../pipeline/mention";
import { toIncidentView, toMentionView, toMinutePoint } from "./views";

/**
 * One flush of live events → the frames every client gets. Pure: the hub owns
 * time and sockets. Mentions travel many to a frame (one frame per mention per
 * client caps fan-out near 250k deliveries/s; 20+ per frame gives millions),
 * oldest first, at most `maxMentionsPerFrame` each. Counts and incidents are
 * upserts, so within one flush only the last value of each key is sent.
 * Frame order: mentions, then counts, then incidents — an incident is raised
 * by mentions, so the browser sees the evidence before the alarm.
 */
export function buildFrames(events: readonly LiveEvent[], maxMentionsPerFrame: number): ServerMessage[] {
  if (!Number.isInteger(maxMentionsPerFrame) || maxMentionsPerFrame < 1) {
    throw new RangeError(`maxMentionsPerFrame must be a positive integer, got ${maxMentionsPerFrame}`);
  }
  // Maps keep first-insertion order; a repeated id keeps its first place but
  // takes its latest value, which is what an upsert means.
  const mentions = new Map<string, MentionView>();
  const counts = new Map<string, MinutePoint>();
  const incidents = new Map<string, IncidentView>();
  for (const event of events) {
    switch (event.type) {
      case "mention":
        mentions.set(event.mention.id, toMentionView(event.mention));
        break;
      case "count":
        counts.set(`${event.count.brand}\u0000${event.count.minute}`, toMinutePoint(event.count));
        break;
      case "incident":
        incidents.set(event.incident.key, toIncidentView(event.incident));
        break;
    }
  }

  const frames: ServerMessage[] = [];
  const mentionList = [...mentions.values()];
  for (let i = 0; i < mentionList.length; i += maxMentionsPerFrame) {
    frames.push({ type: "mentions", mentions: mentionList.slice(i, i + maxMentionsPerFrame) });
  }
  if (counts.size > 0) frames.push({ type: "counts", counts: [...counts.values()] });
  for (const incident of incidents.values()) frames.push({ type: "incident", incident });
  return frames;
}
