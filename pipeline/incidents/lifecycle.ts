import type { Incident, IncidentSignal } from "../mention";
import { MINUTE_MS, type ClosedMinute } from "../spikes/minute-buckets";
import type { SpikeJudgement } from "../spikes/detect-spike";

/**
 * The incident lifecycle as a pure reducer: pending → firing → acknowledged →
 * resolved, one stable key per episode (brand + the minute it started), so the
 * first notice, every update and the resolve share it — the way Alertmanager
 * and PagerDuty dedupe.
 *
 * Pending is Alertmanager's "condition true, not for long enough": a closed
 * minute whose surge is building (the detector's score past PENDING_SCORE,
 * 60 % of the way to its alert on both its surprise and its magnitude, with
 * more negatives than usual) opens a pending
 * incident the dashboard shows, and nobody is paged. It fires when the detector
 * raises its alert, and is dismissed without a notice when the surge fades
 * (score back under DISMISS_SCORE). An episode stays open until
 * `keepFiringMinutes` pass without a spike, so a noisy surge does not flap.
 * Notices follow what people were told: an incident acknowledged or ended
 * while still pending was never announced, so its changes are quiet.
 *
 * Grouping and inhibition (Alertmanager's group_by and inhibit_rules): the
 * brand's sub-series (per problem type, per source; see spikes/judge-series.ts)
 * arrive as "signals" events. A spiking signal joins the brand's open episode
 * — same key, one incident, several signals — or opens it when none is open.
 * While a brand's "outage" signal is live, a per-source spike of that brand
 * made mostly of outage reports is explained by it: it joins as inhibited
 * (recorded on the timeline, never pages, and does not keep the incident
 * open by itself). Joining never pages:
 * the team hears about the fire once and reads its signals in the incident.
 */
export interface LifecycleSettings {
  keepFiringMinutes: number;
}

export type IncidentEvent =
  | { type: "minute"; closed: ClosedMinute; judgement: SpikeJudgement; wallNow: number }
  | { type: "source"; source: string; down: boolean; reason: string; wallNow: number }
  | { type: "acknowledge"; key: string; by: string; wallNow: number }
  | { type: "resolve"; key: string; by: string; wallNow: number }
  | {
      type: "signals";
      brand: string;
      minute: number;
      signals: readonly SignalJudgement[];
      wallNow: number;
      /** The brand's first negative mention in the minute, evidence for an incident a signal opens ("" if unknown). */
      firstNegativeId?: string;
      /**
       * Judged on a minute still running: it may open the incident or join a new
       * signal to it, but the scores of signals already in it wait for the
       * minute to close (a crisis minute would otherwise update the incident
       * on every mention).
       */
      early?: boolean;
    };

/** One sub-series of a brand, judged for a closed minute (spikes/judge-series.ts). */
export interface SignalJudgement {
  kind: "problem" | "source";
  name: string;
  negative: number;
  /** For a source: its negatives in the minute that report an outage (absent: none known). */
  outageNegative?: number;
  judgement: SpikeJudgement;
}

/**
 * A source's spike is explained by a live outage when at least half of the
 * source's negatives in the minute report the outage: a forum filling with
 * "it's down" is the outage; a forum filling with delivery complaints during
 * an outage is a fire of its own and pages (Alertmanager's inhibition asks
 * for equal labels for the same reason).
 */
const EXPLAINED_SHARE = 0.5;
const explainedByOutage = (s: { kind: IncidentSignal["kind"]; negative: number; outageNegative?: number }) =>
  s.kind === "source" && (s.outageNegative ?? 0) >= EXPLAINED_SHARE * s.negative;

export type IncidentChangeKind = "pending" | "firing" | "acknowledged" | "resolved" | "dismissed" | "updated";
export interface IncidentChange {
  kind: IncidentChangeKind;
  incident: Incident;
  /** True for changes of an incident no notice ever announced: nobody is told about them. */
  quiet?: boolean;
  /** Who made the change when a person did (acknowledge, resolve). */
  by?: string;
  /** Signals that joined the incident with this change; the timeline records each. */
  joined?: IncidentSignal[];
  /** Only the signals' current scores moved: saved and shown, not put on the timeline. */
  refresh?: boolean;
}

export interface OpenEpisode {
  incident: Incident;
  /** Start of the newest minute that was a spike (or, while pending, was building). */
  lastSpikeMinute: number;
  /** A firing notice announced it (false while pending, and after an acknowledgement while pending). */
  announced?: boolean;
}

/**
 * Detector score (0.5 = its alert threshold) from which a building surge
 * shows as pending. On the benchmark's 1-minute series, half-way (0.25)
 * showed 12 surges building a week that never came (dismissed quietly) with a
 * median lead of 4 minutes before the alert; 0.3 shows 6 with 3 minutes of
 * lead, and 0.35 3 with 3 but more alerts with no pending before them.
 */
export const PENDING_SCORE = 0.3;
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
  if (event.type === "signals") return onSignals(book, event, settings);
  if (event.type === "resolve") return onResolve(book, event);
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
    const brandSignal = { kind: "brand" as const, name: closed.brand, negative: closed.negative, judgement };
    if (open === undefined) {
      const signal = newSignal(brandSignal, closed.minute, false);
      const incident = { ...openIncident(closed, judgement, wallNow, "firing"), signals: [signal] };
      next.set(closed.brand, { incident, lastSpikeMinute: closed.minute, announced: true });
      return { book: next, changes: [{ kind: "firing" as const, incident, joined: [signal] }] };
    }
    const merged = mergeSignals(open.incident.signals ?? [], [brandSignal], closed.minute, false);
    const grew = closed.negative > open.incident.peakNegative;
    const grown: Incident = {
      ...open.incident,
      signals: merged.signals,
      ...(grew
        ? {
            peakNegative: closed.negative,
            severity: severityOf(closed.negative, judgement),
            updatedAt: wallNow,
            summary: summarise(closed.brand, closed.negative, open.incident.baseline),
          }
        : {}),
    };
    const joined = merged.joined.length > 0 ? { joined: merged.joined } : {};
    if (grown.state === "pending") {
      const incident: Incident = { ...grown, state: "firing", severity: severityOf(Math.max(closed.negative, grown.peakNegative), judgement), updatedAt: wallNow };
      next.set(closed.brand, { incident, lastSpikeMinute: closed.minute, announced: true });
      return { book: next, changes: [{ kind: "firing" as const, incident, ...joined }] };
    }
    next.set(closed.brand, { ...open, incident: grown, lastSpikeMinute: Math.max(open.lastSpikeMinute, closed.minute) });
    if (grew || merged.joined.length > 0) {
      // A peak that grows is saved and shown; the timeline records it only when it makes the incident critical
      // (running minutes grow with every mention, and a line per mention would bury who did what).
      const refresh = merged.joined.length === 0 && grown.severity === open.incident.severity ? { refresh: true } : {};
      return { book: next, changes: [{ kind: "updated" as const, incident: { ...grown, updatedAt: wallNow }, ...quiet(open), ...joined, ...refresh }] };
    }
    return { book: next, changes: [] };
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

/**
 * The brand's sub-series for one minute: spiking ones join (or open) the
 * brand's episode, the current scores of those already in it are kept up — on
 * a closed minute only; an early look at a running minute only opens or joins.
 */
function onSignals(
  book: IncidentBook,
  { brand, minute, signals: judged, wallNow, firstNegativeId = "", early = false }: Extract<IncidentEvent, { type: "signals" }>,
  settings: LifecycleSettings,
) {
  const open = book.get(brand);
  const keepMs = settings.keepFiringMinutes * MINUTE_MS;
  const known = open?.incident.signals ?? [];
  const signals = early ? judged.filter((s) => s.judgement.spike && !known.some((k) => k.kind === s.kind && k.name === s.name)) : judged;
  if (open === undefined) {
    const spiking = signals.filter((s) => s.judgement.spike);
    if (spiking.length === 0) return { book, changes: [] };
    const outage = spiking.some(isOutage);
    const joined = spiking.map((s) => newSignal(s, minute, outage && explainedByOutage(s)));
    // The loudest uninhibited signal names the incident (with an outage among them, that one is never a source).
    let lead = 0;
    for (let i = 1; i < spiking.length; i++) {
      if (!joined[i]!.inhibited && (joined[lead]!.inhibited || spiking[i]!.judgement.score > spiking[lead]!.judgement.score)) lead = i;
    }
    const first = spiking[lead]!;
    const baseline = Math.round(first.judgement.baseline * 10) / 10;
    const incident: Incident = {
      key: incidentKey(brand, minute),
      kind: "spike",
      source: null,
      brand,
      state: "firing",
      severity: severityOf(first.negative, first.judgement),
      startedAt: minute,
      updatedAt: wallNow,
      acknowledgedAt: null,
      acknowledgedBy: null,
      resolvedAt: null,
      peakNegative: first.negative,
      baseline,
      firstMentionId: firstNegativeId,
      summary: summariseSignal(brand, first, baseline),
      signals: joined,
    };
    const next = new Map(book);
    next.set(brand, { incident, lastSpikeMinute: minute, announced: true });
    return { book: next, changes: [{ kind: "firing" as const, incident, joined }] };
  }
  if (open.incident.kind !== "spike") return { book, changes: [] };
  const existing = open.incident.signals ?? [];
  const outage = signals.some(isOutage) || existing.some((s) => s.kind === "problem" && s.name === "outage" && !s.inhibited && minute - s.lastSpikeAt < keepMs);
  const merged = mergeSignals(existing, signals, minute, outage);
  if (!merged.changed) return { book, changes: [] };
  const next = new Map(book);
  const lastSpikeMinute = merged.live ? Math.max(open.lastSpikeMinute, minute) : open.lastSpikeMinute;
  const incident: Incident = { ...open.incident, signals: merged.signals, updatedAt: wallNow };
  const joined = merged.joined.length > 0 ? { joined: merged.joined } : {};
  if (merged.live && incident.state === "pending") {
    const fired: Incident = { ...incident, state: "firing" };
    next.set(brand, { incident: fired, lastSpikeMinute, announced: true });
    return { book: next, changes: [{ kind: "firing" as const, incident: fired, ...joined }] };
  }
  next.set(brand, { ...open, incident, lastSpikeMinute });
  if (merged.joined.length > 0) return { book: next, changes: [{ kind: "updated" as const, incident, ...quiet(open), ...joined }] };
  // Scores and peaks of signals already in: saved and shown, not a timeline entry each minute.
  return { book: next, changes: [{ kind: "updated" as const, incident, quiet: true, refresh: true }] };
}

const isOutage = (s: { kind: string; name: string; judgement: SpikeJudgement }) =>
  s.kind === "problem" && s.name === "outage" && s.judgement.spike;

const round2 = (x: number) => Math.round(x * 100) / 100;

function newSignal(
  s: { kind: IncidentSignal["kind"]; name: string; negative: number; judgement: SpikeJudgement },
  minute: number,
  inhibited: boolean,
): IncidentSignal {
  const score = round2(s.judgement.score);
  return {
    kind: s.kind,
    name: s.name,
    firstAt: minute,
    lastSpikeAt: minute,
    peakNegative: s.negative,
    peakScore: score,
    score,
    baseline: Math.round(s.judgement.baseline * 10) / 10,
    inhibited,
  };
}

/**
 * Signals after one minute's judgements: spiking series not in the incident
 * join (a source's as inhibited while a live outage explains it); the ones in it get
 * their current score, and their peak when it grew. `live`: an uninhibited
 * signal spiked, which keeps the episode open.
 */
function mergeSignals(
  existing: readonly IncidentSignal[],
  judged: readonly (Omit<SignalJudgement, "kind"> & { kind: IncidentSignal["kind"] })[],
  minute: number,
  outage: boolean,
): { signals: IncidentSignal[]; joined: IncidentSignal[]; changed: boolean; live: boolean } {
  const signals = [...existing];
  const joined: IncidentSignal[] = [];
  let changed = false;
  let live = false;
  for (const s of judged) {
    const at = signals.findIndex((x) => x.kind === s.kind && x.name === s.name);
    if (at < 0) {
      if (!s.judgement.spike) continue;
      const signal = newSignal(s, minute, outage && explainedByOutage(s));
      signals.push(signal);
      joined.push(signal);
      changed = true;
      live ||= !signal.inhibited;
      continue;
    }
    const old = signals[at]!;
    const score = round2(s.judgement.score);
    const peak = s.judgement.spike && s.negative > old.peakNegative;
    const updated: IncidentSignal = {
      ...old,
      score,
      lastSpikeAt: s.judgement.spike ? Math.max(old.lastSpikeAt, minute) : old.lastSpikeAt,
      ...(peak ? { peakNegative: s.negative, baseline: Math.round(s.judgement.baseline * 10) / 10 } : {}),
      peakScore: Math.max(old.peakScore, score),
    };
    if (updated.score !== old.score || updated.lastSpikeAt !== old.lastSpikeAt || peak) changed = true;
    live ||= s.judgement.spike && !old.inhibited;
    signals[at] = updated;
  }
  return { signals, joined, changed, live };
}

/** A person closes the incident (the fire is out, or it was a false alarm). */
function onResolve(book: IncidentBook, { key, by, wallNow }: Extract<IncidentEvent, { type: "resolve" }>) {
  for (const [at, episode] of book) {
    if (episode.incident.key !== key) continue;
    const incident: Incident = { ...episode.incident, state: "resolved", resolvedAt: wallNow, updatedAt: wallNow };
    const next = new Map(book);
    next.delete(at);
    return { book: next, changes: [{ kind: "resolved" as const, incident, by, ...quiet(episode) }] };
  }
  return { book, changes: [] };
}

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
    return { book: next, changes: [{ kind: "acknowledged" as const, incident, by, ...quiet(episode) }] };
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

function summariseSignal(brand: string, s: SignalJudgement, baseline: number): string {
  const what = s.kind === "problem" ? `negative mentions reporting ${s.name}` : `negative mentions on ${s.name}`;
  return `${brand}: ${s.negative} ${what} in one minute (usual ${baseline})`;
}

/**
 * Rebuilds the open episodes from stored incidents after a restart, so nothing
 * re-opens; with their stored signals (by incident key), so signals spiking
 * again after the restart are the same signals and the episode's keep-firing
 * clock runs from its latest spike, not from its start.
 */
export function bookFromStored(
  incidents: readonly Incident[],
  signals: ReadonlyMap<string, readonly IncidentSignal[]> = new Map(),
): IncidentBook {
  const book = new Map<string, OpenEpisode>();
  for (const stored of incidents) {
    const at = stored.kind === "source-down" && stored.source !== null ? SOURCE_KEY(stored.source) : stored.brand;
    if (stored.state === "resolved" || book.has(at)) continue;
    const own = signals.get(stored.key);
    const incident: Incident = own !== undefined && own.length > 0 ? { ...stored, signals: [...own] } : stored;
    let lastSpikeMinute = incident.startedAt;
    for (const s of own ?? []) if (!s.inhibited) lastSpikeMinute = Math.max(lastSpikeMinute, s.lastSpikeAt);
    book.set(at, { incident, lastSpikeMinute, announced: incident.state !== "pending" });
  }
  return book;
}
