import type { Incident } from "../mention";
import { MINUTE_MS, type ClosedMinute } from "../spikes/minute-buckets";
import type { SpikeJudgement } from "../spikes/detect-spike";

/**
 * The incident lifecycle as a pure reducer: pending → firing → acknowledged →
 * resolved, one stable key per episode (brand + the minute it started), so the
 * first notice, every update and the resolve share it — the way Alertmanager
 * and PagerDuty dedupe.
 *
 * Pending is Alertmanager's "condition true, not for long enough": a closed
 * minute whose surge is building (the detector's score past PENDING_SCORE, half
 * way to its alert threshold, with more negatives than usual) opens a pending
 * incident the dashboard shows, and nobody is paged. It fires when the detector
 * raises its alert, and is dismissed without a notice when the surge fades
 * (score back under DISMISS_SCORE). An episode stays open until
 * `keepFiringMinutes` pass without a spike, so a noisy surge does not flap.
 * Notices follow what people were told: an incident acknowledged or ended
 * while still pending was never announced, so its changes are quiet.
 */
export interface LifecycleSettings {
  keepFiringMinutes: number;
}

export type IncidentEvent =
  | { type: "minute"; closed: ClosedMinute; judgement: SpikeJudgement; wallNow: number }
  | { type: "source"; source: string; down: boolean; reason: string; wallNow: number }
  | { type: "acknowledge"; key: string; by: string; wallNow: number };

export type IncidentChangeKind = "pending" | "firing" | "acknowledged" | "resolved" | "dismissed" | "updated";
export interface IncidentChange {
  kind: IncidentChangeKind;
  incident: Incident;
  /** True for changes of an incident no notice ever announced: nobody is told about them. */
  quiet?: boolean;
}

export interface OpenEpisode {
  incident: Incident;
  /** Start of the newest minute that was a spike (or, while pending, was building). */
  lastSpikeMinute: number;
  /** A firing notice announced it (false while pending, and after an acknowledgement while pending). */
  announced?: boolean;
}

/** Detector score (0.5 = its alert threshold) from which a building surge shows as pending. */
export const PENDING_SCORE = 0.25;
/** Score under which a pending surge counts as faded. */
export const DISMISS_SCORE = 0.1;

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
      const incident = openIncident(closed, judgement, wallNow, "firing");
      next.set(closed.brand, { incident, lastSpikeMinute: closed.minute, announced: true });
      return { book: next, changes: [{ kind: "firing" as const, incident }] };
    }
    const grew = closed.negative > open.incident.peakNegative;
    const grown: Incident = grew
      ? {
          ...open.incident,
          peakNegative: closed.negative,
          severity: severityOf(closed.negative, judgement),
          updatedAt: wallNow,
          summary: summarise(closed.brand, closed.negative, open.incident.baseline),
        }
      : open.incident;
    if (grown.state === "pending") {
      const incident: Incident = { ...grown, state: "firing", severity: severityOf(Math.max(closed.negative, grown.peakNegative), judgement), updatedAt: wallNow };
      next.set(closed.brand, { incident, lastSpikeMinute: closed.minute, announced: true });
      return { book: next, changes: [{ kind: "firing" as const, incident }] };
    }
    next.set(closed.brand, { ...open, incident: grown, lastSpikeMinute: closed.minute });
    return { book: next, changes: grew ? [{ kind: "updated" as const, incident: grown, ...quiet(open) }] : [] };
  }
  const building = judgement.score >= PENDING_SCORE && closed.negative > judgement.baseline;
  if (open === undefined) {
    if (!building) return { book, changes: [] };
    const incident = openIncident(closed, judgement, wallNow, "pending");
    next.set(closed.brand, { incident, lastSpikeMinute: closed.minute, announced: false });
    return { book: next, changes: [{ kind: "pending" as const, incident, quiet: true }] };
  }
  if (open.announced === false && open.incident.state === "pending") {
    if (building) {
      next.set(closed.brand, { ...open, lastSpikeMinute: closed.minute });
      return { book: next, changes: [] };
    }
    if (judgement.score < DISMISS_SCORE || closed.minute - open.lastSpikeMinute >= settings.keepFiringMinutes * MINUTE_MS) {
      const incident: Incident = { ...open.incident, state: "resolved", resolvedAt: wallNow, updatedAt: wallNow };
      next.delete(closed.brand);
      return { book: next, changes: [{ kind: "dismissed" as const, incident, quiet: true }] };
    }
    return { book, changes: [] };
  }
  if (closed.minute - open.lastSpikeMinute >= settings.keepFiringMinutes * MINUTE_MS) {
    const incident: Incident = { ...open.incident, state: "resolved", resolvedAt: wallNow, updatedAt: wallNow };
    next.delete(closed.brand);
    return { book: next, changes: [{ kind: "resolved" as const, incident, ...quiet(open) }] };
  }
  return { book, changes: [] };
}

/** Changes of an episode no notice announced are not told to anyone. */
const quiet = (episode: OpenEpisode): { quiet?: true } => (episode.announced === false ? { quiet: true } : {});

function onAcknowledge(book: IncidentBook, { key, by, wallNow }: Extract<IncidentEvent, { type: "acknowledge" }>) {
  for (const [brand, episode] of book) {
    if (episode.incident.key !== key) continue;
    if (episode.incident.state !== "firing" && episode.incident.state !== "pending") return { book, changes: [] };
    const incident: Incident = {
      ...episode.incident,
      state: "acknowledged",
      acknowledgedAt: wallNow,
      acknowledgedBy: by,
      updatedAt: wallNow,
    };
    const next = new Map(book);
    next.set(brand, { ...episode, incident });
    return { book: next, changes: [{ kind: "acknowledged" as const, incident, ...quiet(episode) }] };
  }
  return { book, changes: [] };
}

function openIncident(closed: ClosedMinute, judgement: SpikeJudgement, wallNow: number, state: "pending" | "firing"): Incident {
  const baseline = Math.round(judgement.baseline * 10) / 10;
  return {
    key: incidentKey(closed.brand, closed.minute),
    kind: "spike",
    source: null,
    brand: closed.brand,
    state,
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
    book.set(at, { incident, lastSpikeMinute: incident.startedAt, announced: incident.state !== "pending" });
  }
  return book;
}
