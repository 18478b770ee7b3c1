import type { Incident } from "../mention";
import { MINUTE_MS, type ClosedMinute } from "../spikes/minute-buckets";
import type { SpikeJudgement } from "../spikes/detect-spike";

/**
 * The incident lifecycle as a pure reducer: firing → acknowledged → resolved,
 * one stable key per episode (brand + the minute it started), so the first
 * notice, every update and the resolve share it — the way Alertmanager and
 * PagerDuty dedupe. An episode stays open until `keepFiringMinutes` pass
 * without a spike, so a noisy surge does not flap open and shut.
 */
export interface LifecycleSettings {
  keepFiringMinutes: number;
}

export type IncidentEvent =
  | { type: "minute"; closed: ClosedMinute; judgement: SpikeJudgement; wallNow: number }
  | { type: "source"; source: string; down: boolean; reason: string; wallNow: number }
  | { type: "acknowledge"; key: string; by: string; wallNow: number };

export type IncidentChangeKind = "firing" | "acknowledged" | "resolved" | "updated";
export interface IncidentChange {
  kind: IncidentChangeKind;
  incident: Incident;
}

export interface OpenEpisode {
  incident: Incident;
  /** Start of the newest minute that was a spike. */
  lastSpikeMinute: number;
}

/** Open episodes by brand (spikes) or by SOURCE_KEY(id) (source-down). Replaced, never mutated. */
export type IncidentBook = ReadonlyMap<string, OpenEpisode>;

export function reduceIncidents(
  book: IncidentBook,
  event: IncidentEvent,
  settings: LifecycleSettings,
): { book: IncidentBook; changes: IncidentChange[] } {
  if (event.type === "minute") return onMinute(book, event, settings);
  if (event.type === "source") return onSource(book, event);
  return onAcknowledge(book, event);
}

/** Where a source's open episode sits in the book, apart from brand names. */
const SOURCE_KEY = (id: string) => `\u0000source:${id}`;

function onSource(book: IncidentBook, { source, down, reason, wallNow }: Extract<IncidentEvent, { type: "source" }>) {
  const open = book.get(SOURCE_KEY(source));
  if (down && open === undefined) {
    const incident: Incident = {
      key: `source-${slug(source)}-${stamp(wallNow)}`,
      kind: "source-down",
      source,
      brand: "",
      state: "firing",
      severity: "warning",
      startedAt: wallNow,
      updatedAt: wallNow,
      acknowledgedAt: null,
      acknowledgedBy: null,
      resolvedAt: null,
      peakNegative: 0,
      baseline: 0,
      firstMentionId: "",
      summary: `Source ${source} is down: ${reason}`,
    };
    const next = new Map(book);
    next.set(SOURCE_KEY(source), { incident, lastSpikeMinute: wallNow });
    return { book: next, changes: [{ kind: "firing" as const, incident }] };
  }
  if (!down && open !== undefined) {
    const incident: Incident = { ...open.incident, state: "resolved", resolvedAt: wallNow, updatedAt: wallNow };
    const next = new Map(book);
    next.delete(SOURCE_KEY(source));
    return { book: next, changes: [{ kind: "resolved" as const, incident }] };
  }
  return { book, changes: [] };
}

function onMinute(
  book: IncidentBook,
  { closed, judgement, wallNow }: Extract<IncidentEvent, { type: "minute" }>,
  settings: LifecycleSettings,
) {
  const open = book.get(closed.brand);
  const next = new Map(book);
  if (judgement.spike) {
    if (open === undefined) {
      const incident = openIncident(closed, judgement, wallNow);
      next.set(closed.brand, { incident, lastSpikeMinute: closed.minute });
      return { book: next, changes: [{ kind: "firing" as const, incident }] };
    }
    const grew = closed.negative > open.incident.peakNegative;
    const incident: Incident = grew
      ? {
          ...open.incident,
          peakNegative: closed.negative,
          severity: severityOf(closed.negative, judgement),
          updatedAt: wallNow,
          summary: summarise(closed.brand, closed.negative, open.incident.baseline),
        }
      : open.incident;
    next.set(closed.brand, { incident, lastSpikeMinute: closed.minute });
    return { book: next, changes: grew ? [{ kind: "updated" as const, incident }] : [] };
  }
  if (open !== undefined && closed.minute - open.lastSpikeMinute >= settings.keepFiringMinutes * MINUTE_MS) {
    const incident: Incident = { ...open.incident, state: "resolved", resolvedAt: wallNow, updatedAt: wallNow };
    next.delete(closed.brand);
    return { book: next, changes: [{ kind: "resolved" as const, incident }] };
  }
  return { book, changes: [] };
}

function onAcknowledge(book: IncidentBook, { key, by, wallNow }: Extract<IncidentEvent, { type: "acknowledge" }>) {
  for (const [brand, episode] of book) {
    if (episode.incident.key !== key) continue;
    if (episode.incident.state !== "firing") return { book, changes: [] };
    const incident: Incident = {
      ...episode.incident,
      state: "acknowledged",
      acknowledgedAt: wallNow,
      acknowledgedBy: by,
      updatedAt: wallNow,
    };
    const next = new Map(book);
    next.set(brand, { ...episode, incident });
    return { book: next, changes: [{ kind: "acknowledged" as const, incident }] };
  }
  return { book, changes: [] };
}

function openIncident(closed: ClosedMinute, judgement: SpikeJudgement, wallNow: number): Incident {
  const baseline = Math.round(judgement.baseline * 10) / 10;
  return {
    key: incidentKey(closed.brand, closed.minute),
    kind: "spike",
    source: null,
    brand: closed.brand,
    state: "firing",
    severity: severityOf(closed.negative, judgement),
    startedAt: closed.minute,
    updatedAt: wallNow,
    acknowledgedAt: null,
    acknowledgedBy: null,
    resolvedAt: null,
    peakNegative: closed.negative,
    baseline,
    firstMentionId: closed.firstNegativeId,
    summary: summarise(closed.brand, closed.negative, baseline),
  };
}

/** brand + start minute: stable for the episode, readable in a URL and a notice. */
export function incidentKey(brand: string, minute: number): string {
  return `${slug(brand)}-${stamp(minute)}`;
}

const slug = (name: string) => name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "-").replace(/^-|-$/g, "");
const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace(/[-:]/g, "");

function severityOf(negative: number, judgement: SpikeJudgement): Incident["severity"] {
  return negative >= 2 * judgement.threshold ? "critical" : "warning";
}

function summarise(brand: string, negative: number, baseline: number): string {
  return `${brand}: ${negative} negative mentions in one minute (usual ${baseline})`;
}

/** Rebuilds the open episodes from stored incidents after a restart, so nothing re-opens. */
export function bookFromStored(incidents: readonly Incident[]): IncidentBook {
  const book = new Map<string, OpenEpisode>();
  for (const incident of incidents) {
    const at = incident.kind === "source-down" && incident.source !== null ? SOURCE_KEY(incident.source) : incident.brand;
    if (incident.state === "resolved" || book.has(at)) continue;
    book.set(at, { incident, lastSpikeMinute: incident.startedAt });
  }
  return book;
}
