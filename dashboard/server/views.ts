import type { IncidentView, MentionView, MinutePoint } from "../protocol";
import type { Incident, MinuteCount, ScoredMention } from "../../pipeline/mention";

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
  };
}

export function toIncidentView(i: Incident): IncidentView {
  return {
    key: i.key,
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

export function toMinutePoint(c: MinuteCount): MinutePoint {
  return { brand: c.brand, minute: c.minute, total: c.total, negative: c.negative };
}
