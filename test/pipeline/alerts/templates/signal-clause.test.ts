import { describe, expect, test } from "vitest";
import { contactNotice, type NoticeContext } from "../../../../pipeline/alerts/contact-notice";
import { signalClause } from "../../../../pipeline/alerts/templates/signal-clause";
import type { IncidentSignal } from "../../../../pipeline/mention";
import { spike } from "../support/incident";

const NOW = Date.UTC(2026, 10, 23, 14, 7, 30);
const ctx: NoticeContext = { lang: "en", timeZone: "Europe/Warsaw", dashboardUrl: null, ackSecret: null, ackTtlMs: 0, now: NOW };
const signal = (kind: IncidentSignal["kind"], name: string, inhibited = false): IncidentSignal => ({
  kind,
  name,
  firstAt: NOW,
  lastSpikeAt: NOW,
  peakNegative: 9,
  peakScore: 0.8,
  score: 0.8,
  baseline: 0.2,
  inhibited,
});

describe("signalClause()", () => {
  test("signalClause() names the problem and source signals in the reader's language, leaving out the brand's own and the inhibited", () => {
    const incident = { signals: [signal("brand", "Lumio"), signal("problem", "outage"), signal("source", "reddit"), signal("source", "vk", true)] };
    expect(signalClause(incident, "en")).toBe(" Signals: outage reports, source reddit.");
    expect(signalClause(incident, "pl")).toBe(" Sygnały: zgłoszenia: awaria, źródło reddit.");
    expect(signalClause(incident, "ru")).toBe(" Сигналы: жалобы: сбой, источник reddit.");
  });

  test("signalClause() says nothing for an incident with only its brand's signal, or none", () => {
    expect(signalClause({ signals: [signal("brand", "Lumio")] }, "en")).toBe("");
    expect(signalClause({}, "pl")).toBe("");
  });

  test("contactNotice() ends a firing notice with the incident's signals", () => {
    const text = contactNotice("firing", { ...spike, signals: [signal("brand", "Lumio"), signal("problem", "delivery")] }, "en", ctx).text;
    expect(text).toMatch(/Incident lumio-20261123T1406\. Signals: delivery reports\.$/);
  });
});
