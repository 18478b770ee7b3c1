/**
 * Light checks on what arrives from the server: enough that the views can rely
 * on ids, keys and numbers being there, without re-validating every field.
 * Frames of an unknown type, and items that fail the checks, are dropped.
 */
import type { ChannelHealthView, IncidentDetailView, IncidentView, MentionView, MentionWorkflowView, MinutePoint, ServerMessage, SilenceView, SourceHealthView } from "../../protocol";

type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const isFiniteNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

export function isMentionView(v: unknown): v is MentionView {
  return (
    isRecord(v) &&
    typeof v.id === "string" &&
    typeof v.text === "string" &&
    typeof v.brand === "string" &&
    isFiniteNumber(v.publishedAt) &&
    isRecord(v.sentiment) &&
    typeof v.sentiment.label === "string" &&
    isFiniteNumber(v.sentiment.score) &&
    Array.isArray(v.sentiment.terms) &&
    Array.isArray(v.problems) &&
    v.problems.every((p) => isRecord(p) && typeof p.type === "string" && Array.isArray(p.terms))
  );
}

const WORKFLOW_STATUSES: readonly unknown[] = ["new", "in-progress", "responded", "resolved"];

export function isMentionWorkflowView(v: unknown): v is MentionWorkflowView {
  return (
    isRecord(v) &&
    typeof v.mentionId === "string" &&
    WORKFLOW_STATUSES.includes(v.status) &&
    (v.assignee === null || typeof v.assignee === "string") &&
    Array.isArray(v.tags) &&
    v.tags.every((t) => typeof t === "string") &&
    typeof v.note === "string" &&
    typeof v.updatedBy === "string" &&
    isFiniteNumber(v.updatedAt)
  );
}

export function isIncidentView(v: unknown): v is IncidentView {
  return (
    isRecord(v) &&
    typeof v.key === "string" &&
    (v.kind === "spike" || v.kind === "source-down") &&
    (v.source === null || typeof v.source === "string") &&
    typeof v.brand === "string" &&
    (v.state === "pending" || v.state === "firing" || v.state === "acknowledged" || v.state === "resolved") &&
    isFiniteNumber(v.startedAt)
  );
}

export function isMinutePoint(v: unknown): v is MinutePoint {
  return (
    isRecord(v) &&
    typeof v.brand === "string" &&
    isFiniteNumber(v.minute) &&
    isFiniteNumber(v.total) &&
    isFiniteNumber(v.negative)
  );
}

const isTimeOrNull = (v: unknown): v is number | null => v === null || isFiniteNumber(v);
const isTextOrNull = (v: unknown): v is string | null => v === null || typeof v === "string";

export function isSilenceView(v: unknown): v is SilenceView {
  return (
    isRecord(v) &&
    typeof v.id === "string" &&
    isTextOrNull(v.brand) &&
    isTextOrNull(v.problem) &&
    isFiniteNumber(v.startsAt) &&
    isFiniteNumber(v.endsAt) &&
    typeof v.createdBy === "string" &&
    typeof v.reason === "string" &&
    isFiniteNumber(v.createdAt)
  );
}

export function isSourceHealthView(v: unknown): v is SourceHealthView {
  return (
    isRecord(v) &&
    typeof v.id === "string" &&
    typeof v.kind === "string" &&
    (v.state === "ok" || v.state === "degraded" || v.state === "failing" || v.state === "off" || v.state === "waiting") &&
    isTimeOrNull(v.lastSuccessAt) &&
    isFiniteNumber(v.consecutiveFailures) &&
    (v.lastError === null || typeof v.lastError === "string") &&
    (v.lastWarning === undefined || v.lastWarning === null || typeof v.lastWarning === "string") &&
    (v.itemsLastPoll === null || isFiniteNumber(v.itemsLastPoll)) &&
    // Absent from servers older than these fields: read as unknown.
    (v.lagMs === undefined || v.lagMs === null || isFiniteNumber(v.lagMs)) &&
    (v.quotaLeft === undefined || v.quotaLeft === null || isFiniteNumber(v.quotaLeft))
  );
}

export function isChannelHealthView(v: unknown): v is ChannelHealthView {
  return (
    isRecord(v) &&
    typeof v.channel === "string" &&
    typeof v.target === "string" &&
    (v.state === "ok" || v.state === "failing") &&
    isFiniteNumber(v.lastAttemptAt) &&
    typeof v.lastError === "string" &&
    isTimeOrNull(v.lastDeliveredAt) &&
    isFiniteNumber(v.failuresSinceDelivered)
  );
}

function itemsOf<T>(v: unknown, guard: (item: unknown) => item is T): T[] | null {
  return Array.isArray(v) ? v.filter(guard) : null;
}

/** The frame as a ServerMessage, or null for anything we do not understand. */
export function parseServerMessage(data: unknown): ServerMessage | null {
  if (typeof data !== "string") return null; // we never ask for binary frames
  let frame: unknown;
  try {
    frame = JSON.parse(data);
  } catch {
    return null;
  }
  if (!isRecord(frame)) return null;
  switch (frame.type) {
    case "snapshot": {
      const brands = itemsOf(frame.brands, (b): b is string => typeof b === "string");
      const mentions = itemsOf(frame.mentions, isMentionView);
      const incidents = itemsOf(frame.incidents, isIncidentView);
      const timeline = itemsOf(frame.timeline, isMinutePoint);
      if (!brands || !mentions || !incidents || !timeline) return null;
      const serverTime = isFiniteNumber(frame.serverTime) ? frame.serverTime : Date.now();
      return { type: "snapshot", serverTime, brands, mentions, incidents, timeline };
    }
    case "mentions": {
      const mentions = itemsOf(frame.mentions, isMentionView);
      return mentions ? { type: "mentions", mentions } : null;
    }
    case "counts": {
      const counts = itemsOf(frame.counts, isMinutePoint);
      return counts ? { type: "counts", counts } : null;
    }
    case "incident":
      return isIncidentView(frame.incident) ? { type: "incident", incident: frame.incident } : null;
    case "mention-workflow":
      return isMentionWorkflowView(frame.workflow) ? { type: "mention-workflow", workflow: frame.workflow } : null;
    default:
      return null;
  }
}

const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === "string");

/** An incident's detail: the parts the view reads are checked, lists must be lists. */
export function isIncidentDetailView(v: unknown): v is IncidentDetailView {
  if (!isRecord(v) || !isIncidentView(v.incident) || !Array.isArray(v.events) || !Array.isArray(v.notifications)) return false;
  const e = v.evidence;
  const evidenceOk =
    e === null ||
    (isRecord(e) && Array.isArray(e.loudest) && Array.isArray(e.quotes) && Array.isArray(e.problems) && isFiniteNumber(e.negativeMentions));
  const p = v.playbook;
  const playbookOk =
    p === null ||
    (isRecord(p) && typeof p.title === "string" && isStringList(p.checklist) && Array.isArray(p.statements) &&
      p.statements.every((s) => isRecord(s) && typeof s.label === "string" && typeof s.text === "string"));
  return evidenceOk && playbookOk;
}
