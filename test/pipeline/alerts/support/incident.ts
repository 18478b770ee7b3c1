import type { Notice } from "../../../../pipeline/alerts/notifier";
import type { Incident } from "../../../../pipeline/mention";

/** A critical spike of the demo brand, as the incident desk opens it. */
export const spike: Incident = {
  key: "lumio-20261123T1406",
  kind: "spike",
  source: null,
  brand: "Lumio",
  state: "firing",
  severity: "critical",
  startedAt: Date.UTC(2026, 10, 23, 14, 6),
  updatedAt: Date.UTC(2026, 10, 23, 14, 7, 30),
  acknowledgedAt: null,
  acknowledgedBy: null,
  resolvedAt: null,
  peakNegative: 34,
  baseline: 1,
  firstMentionId: "demo:1",
  summary: "Lumio: 34 negative mentions in one minute (usual 1)",
};

/** Mention text as hostile as it gets across the channels' markups. */
export const HOSTILE = `<script>alert(1)</script> & <!channel> <http://evil.example|click> *bold* [x](http://evil.example) "q" 'a'`;

export function notice(over: Partial<Notice> = {}): Notice {
  return {
    event: "firing",
    incident: spike,
    text: "🔴 Lumio: negative mentions are spiking — 34 in one minute (usual 1), since 23/11/2026, 14:06. Incident lumio-20261123T1406.",
    lang: "en",
    link: "https://earshot.example.com/#/incidents/lumio-20261123T1406",
    ackLink: "https://earshot.example.com/ack/lumio-20261123T1406?exp=1795000000&sig=abc",
    ...over,
  };
}
