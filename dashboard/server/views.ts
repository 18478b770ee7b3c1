import { SOURCE_OFF_PREFIX, type SourceHealthSnapshot } from "../../collectors/health";
import type { IncidentSignalView, PlaybookTickView, IncidentView, MentionView, MinutePoint, SourceHealthView, SourceState } from "../protocol";
import type { Incident, IncidentSignal, MinuteCount, ScoredMention } from "../../pipeline/mention";
import type { PlaybookTickRecord } from "../../pipeline/store/incident-signals-queries";
export { problemOfSignals } from "../../pipeline/incidents/incident-problem";

/**
 * Domain records → what the browser gets. Each view is an explicit literal,
 * not a spread: only the fields named in dashboard/protocol.ts leave the
 * server (no raw payloads, no internal ids), and the text is passed through
 * unchanged — the server never turns mention text into markup.
 */

export function toMentionView(m: ScoredMention): MentionView {
  return {
    id: m.id,
    source: m.source,
    url: m.url,
    authorHandle: m.authorHandle,
    authorName: m.authorName,
    authorFollowers: m.authorFollowers,
    title: m.title,
    text: m.text,
    lang: m.lang,
    publishedAt: m.publishedAt,
    brand: m.brand,
    matchedTerms: m.matchedTerms.slice(),
    sentiment: {
      score: m.sentiment.score,
      label: m.sentiment.label,
      confidence: m.sentiment.confidence,
      terms: m.sentiment.terms.slice(),
    },
    problems: m.problems.map((p) => ({ type: p.type, terms: p.terms.slice() })),
    priority: m.priority, // undefined (stored before priority existed) is left out of the JSON
  };
}

export function toIncidentView(i: Incident): IncidentView {
  return {
    key: i.key,
    kind: i.kind,
    source: i.source,
    brand: i.brand,
    state: i.state,
    severity: i.severity,
    startedAt: i.startedAt,
    updatedAt: i.updatedAt,
    acknowledgedAt: i.acknowledgedAt,
    acknowledgedBy: i.acknowledgedBy,
    resolvedAt: i.resolvedAt,
    peakNegative: i.peakNegative,
    baseline: i.baseline,
    firstMentionId: i.firstMentionId,
    summary: i.summary,
  };
}

export function toSignalView(s: IncidentSignal): IncidentSignalView {
  return {
    kind: s.kind,
    name: s.name,
    firstAt: s.firstAt,
    lastSpikeAt: s.lastSpikeAt,
    peakNegative: s.peakNegative,
    peakScore: s.peakScore,
    score: s.score,
    baseline: s.baseline,
    inhibited: s.inhibited,
  };
}

export function toPlaybookTickView(t: PlaybookTickRecord): PlaybookTickView {
  return { playbookId: t.playbookId, item: t.item, checked: t.checked, by: t.by, at: t.at };
}

export function toMinutePoint(c: MinuteCount): MinutePoint {
  return { brand: c.brand, minute: c.minute, total: c.total, negative: c.negative };
}

/**
 * How a source is doing, in one word. Off wins over failing because an off
 * source also counts as failed, and the fix differs: configure it rather than
 * wait for the remote side.
 */
export function sourceState(s: SourceHealthSnapshot): SourceState {
  if (s.lastError !== null && s.lastError.startsWith(SOURCE_OFF_PREFIX)) return "off";
  if (s.consecutiveFailures > 0) return "failing";
  if (s.polls === 0) return "waiting";
  return s.lastWarning !== null ? "degraded" : "ok";
}

export function toSourceHealthView(s: SourceHealthSnapshot): SourceHealthView {
  return {
    id: s.id,
    kind: s.kind,
    mode: s.mode,
    state: sourceState(s),
    lastSuccessAt: epochOf(s.lastSuccessAt),
    lastFailureAt: epochOf(s.lastFailureAt),
    consecutiveFailures: s.consecutiveFailures,
    lastError: s.lastError,
    lastWarning: s.lastWarning,
    itemsLastPoll: s.itemsLastPoll,
    lastPollMs: s.lastPollMs,
    polls: s.polls,
    failures: s.failures,
    skipped: s.skipped,
    lagMs: s.lagMs,
    quotaLeft: s.quotaLeft,
  };
}

/** Health keeps ISO strings; the protocol speaks epoch ms like every other time it carries. */
function epochOf(iso: string | null): number | null {
  if (iso === null) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}
