import type { IncomingMessage, ServerResponse } from "node:http";
import type { SourceHealthSnapshot } from "../../collectors/health";
import { API, type ChannelHealthView, type IncidentDetailView, type SilenceView, type CorrectionView, type IncidentView, type MinutePoint, type SourceHealthView } from "../protocol";
import type { Incident } from "../../pipeline/mention";
import type { CorrectionRecord, Store } from "../../pipeline/store/store";
import { incidentEvidence, type IncidentEvidence } from "../../pipeline/incidents/evidence";
import { silenceProblems, type Silence } from "../../pipeline/incidents/silences";
import { playbookFor } from "../../pipeline/playbooks/playbook-for";
import type { Playbook } from "../../pipeline/playbooks/playbook-schema";
import type { Session } from "./auth";
import { HttpError, readJsonBody, sendJson } from "./http";
import { requireRole } from "./roles";
import { problemOfSignals, toIncidentView, toMinutePoint, toPlaybookTickView, toSignalView, toSourceHealthView } from "./views";

/**
 * The read API and the acknowledge action, for a signed-in user (the caller
 * has checked the session and, for POST, the CSRF header). Query parameters
 * are validated up front and refused with a 400 that names the parameter.
 */

export interface ApiDeps {
  store: Store;
  acknowledge(key: string, by: string): Promise<Incident | null>;
  /** Every source's health as the collectors keep it in memory. */
  sourceHealth(): readonly SourceHealthSnapshot[];
  /** Called after a correction is stored, so the models can learn from it. */
  corrected?(correction: CorrectionRecord): void;
  now(): number;
  /** A fresh id for a new record (a silence). */
  newId(): string;
  /** The configuration's playbooks, replacing shipped ones by id. */
  playbooks?: readonly Playbook[];
}

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 500;
export const DEFAULT_TIMELINE_MS = 6 * 60 * 60 * 1000;
/** The longest timeline one request may ask for (a month of minutes is ~45k points per brand). */
export const MAX_TIMELINE_MS = 31 * 24 * 60 * 60 * 1000;
const MAX_BRAND_CHARS = 200;
const MAX_KEY_CHARS = 500;
const ACKNOWLEDGE_PATH = /^\/api\/incidents\/([^/]+)\/acknowledge$/;
const CORRECT_SENTIMENT_PATH = /^\/api\/mentions\/([^/]+)\/sentiment$/;
const INCIDENT_PATH = /^\/api\/incidents\/([^/]+)$/;
const EXPIRE_SILENCE_PATH = /^\/api\/silences\/([^/]+)\/expire$/;
const MAX_MENTION_ID_CHARS = 1_000;
/** Channel health looks a week back: long enough to see a channel nobody has needed for days. */
const CHANNEL_HEALTH_WINDOW_MS = 7 * 24 * 60 * 60_000;
const MAX_SILENCE_BODY_BYTES = 4_096;
const MAX_CORRECTION_BODY_BYTES = 1_024;
const SENTIMENT_LABELS: ReadonlySet<string> = new Set(["negative", "neutral", "positive"]);

export type ApiHandler = (req: IncomingMessage, res: ServerResponse, url: URL, session: Session) => Promise<boolean>;

/** Returns a handler that answers and resolves true for its routes, and resolves false for any other path. */
export function createApi(deps: ApiDeps): ApiHandler {
  return async (req, res, url, session) => {
    const path = url.pathname;
    switch (path) {
      // API.mentions (the stream's filtered pages) is answered by mention-routes.ts.
      case API.timeline: {
        allow(req, "GET");
        const brand = optionalBrand(url.searchParams);
        if (brand === undefined) throw new HttpError(400, "brand is required");
        const { from, to } = timeRange(url.searchParams, deps.now());
        const counts = await deps.store.minuteCounts({ brand, from, to });
        const body: MinutePoint[] = counts.map(toMinutePoint);
        sendJson(res, 200, body);
        return true;
      }
      case API.incidents: {
        allow(req, "GET");
        const brand = optionalBrand(url.searchParams);
        const limit = limitParam(url.searchParams);
        const incidents = await deps.store.incidents(brand === undefined ? { limit } : { brand, limit });
        const body: IncidentView[] = incidents.map(toIncidentView);
        sendJson(res, 200, body);
        return true;
      }
      case API.silences: {
        if (req.method === "POST") {
          requireRole(session, "responder");
          const silence = silenceFromBody(await readJsonBody(req, MAX_SILENCE_BODY_BYTES), session.username, deps.now(), deps.newId());
          await deps.store.saveSilence(silence);
          sendJson(res, 201, silence satisfies SilenceView);
          return true;
        }
        allow(req, "GET");
        const body: SilenceView[] = await deps.store.silences({ now: deps.now() });
        sendJson(res, 200, body);
        return true;
      }
      case API.channels: {
        allow(req, "GET");
        const records = await deps.store.channelHealth({ since: deps.now() - CHANNEL_HEALTH_WINDOW_MS });
        const body: ChannelHealthView[] = records.map(({ lastStatus, ...r }) => ({ ...r, state: lastStatus === "failed" ? "failing" : "ok" }));
        sendJson(res, 200, body);
        return true;
      }
      case API.sources: {
        allow(req, "GET");
        const body: SourceHealthView[] = deps.sourceHealth().map(toSourceHealthView);
        sendJson(res, 200, body);
        return true;
      }
    }
    const ack = ACKNOWLEDGE_PATH.exec(path);
    if (ack) {
      allow(req, "POST");
      requireRole(session, "responder");
      const key = decodeSegment(ack[1]!);
      if (key.length === 0 || key.length > MAX_KEY_CHARS) {
        throw new HttpError(400, `the incident key must be 1–${MAX_KEY_CHARS} characters`);
      }
      const incident = await deps.acknowledge(key, session.username);
      if (incident === null) throw new HttpError(404, "no such incident");
      const body: IncidentView = toIncidentView(incident);
      sendJson(res, 200, body);
      return true;
    }
    const one = INCIDENT_PATH.exec(path);
    if (one) {
      allow(req, "GET");
      const key = decodeSegment(one[1]!);
      if (key.length === 0 || key.length > MAX_KEY_CHARS) {
        throw new HttpError(400, `the incident key must be 1–${MAX_KEY_CHARS} characters`);
      }
      const lang = single(url.searchParams, "lang") ?? "en";
      if (lang !== "en" && lang !== "pl" && lang !== "ru") throw new HttpError(400, "lang must be en, pl or ru");
      const [incident, events, notifications, signalsByKey, ticks] = await Promise.all([
        deps.store.incident(key),
        deps.store.incidentEvents(key),
        deps.store.notifications(key),
        deps.store.incidentSignals([key]),
        deps.store.playbookTicks(key),
      ]);
      if (incident === null) throw new HttpError(404, "no such incident");
      const evidence = incident.kind === "spike" ? await evidenceOf(incident, deps) : null;
      const signals = signalsByKey.get(key) ?? [];
      const body: IncidentDetailView = {
        incident: toIncidentView(incident),
        events: events.map(({ at, type, actor, detail }) => ({ at, type, actor, detail })),
        notifications: notifications.map(({ incidentKey: _key, ...n }) => n),
        evidence: evidence === null ? null : { ...evidence, counts: evidence.counts.map(toMinutePoint) },
        playbook:
          incident.kind === "spike"
            ? playbookFor(problemOfSignals(signals) ?? evidence?.dominantProblem ?? null, lang, {
                values: { brand: incident.brand },
                overrides: deps.playbooks ?? [],
              })
            : null,
        signals: signals.map(toSignalView),
        checklist: ticks.map(toPlaybookTickView),
      };
      sendJson(res, 200, body);
      return true;
    }
    const expire = EXPIRE_SILENCE_PATH.exec(path);
    if (expire) {
      allow(req, "POST");
      requireRole(session, "responder");
      const silence = await deps.store.silence(decodeSegment(expire[1]!));
      if (silence === null) throw new HttpError(404, "no such silence");
      const now = deps.now();
      const ended: SilenceView = { ...silence, endsAt: Math.min(silence.endsAt, now), startsAt: Math.min(silence.startsAt, now) };
      await deps.store.saveSilence(ended);
      sendJson(res, 200, ended);
      return true;
    }
    const correct = CORRECT_SENTIMENT_PATH.exec(path);
    if (correct) {
      allow(req, "POST");
      requireRole(session, "responder");
      const mentionId = decodeSegment(correct[1]!);
      if (mentionId.length === 0 || mentionId.length > MAX_MENTION_ID_CHARS) {
        throw new HttpError(400, `the mention id must be 1–${MAX_MENTION_ID_CHARS} characters`);
      }
      const body = await readJsonBody(req, MAX_CORRECTION_BODY_BYTES);
      const label = typeof body === "object" && body !== null ? (body as { label?: unknown }).label : undefined;
      if (typeof label !== "string" || !SENTIMENT_LABELS.has(label)) {
        throw new HttpError(400, 'the body must be {"label": "negative" | "neutral" | "positive"}');
      }
      const mention = await storedMention(deps.store, mentionId);
      if (mention === null) throw new HttpError(404, "no such mention");
      const correction: CorrectionRecord = {
        mentionId,
        field: "sentiment",
        value: label,
        text: mention.text,
        lang: mention.lang,
        correctedBy: session.username,
        at: deps.now(),
      };
      await deps.store.saveCorrection(correction);
      deps.corrected?.(correction);
      const view: CorrectionView = {
        mentionId,
        field: correction.field,
        value: correction.value,
        correctedBy: correction.correctedBy,
        at: correction.at,
      };
      sendJson(res, 201, view);
      return true;
    }
    return false;
  };
}

function allow(req: IncomingMessage, method: "GET" | "POST"): void {
  if (req.method === method || (method === "GET" && req.method === "HEAD")) return;
  throw new HttpError(405, `use ${method} here`, { Allow: method === "GET" ? "GET, HEAD" : method });
}

function single(params: URLSearchParams, name: string): string | undefined {
  const values = params.getAll(name);
  if (values.length > 1) throw new HttpError(400, `${name} is given more than once`);
  return values[0];
}

function optionalBrand(params: URLSearchParams): string | undefined {
  const brand = single(params, "brand");
  if (brand === undefined) return undefined;
  if (brand.length === 0 || brand.length > MAX_BRAND_CHARS) {
    throw new HttpError(400, `brand must be 1–${MAX_BRAND_CHARS} characters`);
  }
  return brand;
}

function limitParam(params: URLSearchParams): number {
  const text = single(params, "limit");
  if (text === undefined) return DEFAULT_LIMIT;
  const limit = /^\d{1,4}$/.test(text) ? Number(text) : NaN;
  if (!(limit >= 1 && limit <= MAX_LIMIT)) throw new HttpError(400, `limit must be a whole number from 1 to ${MAX_LIMIT}`);
  return limit;
}

function epochParam(params: URLSearchParams, name: string): number | undefined {
  const text = single(params, name);
  if (text === undefined) return undefined;
  // 8.64e15 is the largest epoch a JS Date can hold.
  const value = /^\d{1,16}$/.test(text) ? Number(text) : NaN;
  if (!(value <= 8.64e15)) throw new HttpError(400, `${name} must be epoch milliseconds (a whole number ≥ 0)`);
  return value;
}

/**
 * Default: the last 6 hours, up to and including the minute in progress (`to`
 * is exclusive, so it defaults to a minute past now). A lone `from` runs to
 * that default end, a lone `to` looks back 6 hours.
 */
function timeRange(params: URLSearchParams, now: number): { from: number; to: number } {
  const fromParam = epochParam(params, "from");
  const toParam = epochParam(params, "to");
  const to = toParam ?? now + 60_000;
  const from = fromParam ?? (toParam ?? now) - DEFAULT_TIMELINE_MS;
  if (from >= to) throw new HttpError(400, "from must be before to");
  if (to - from > MAX_TIMELINE_MS) throw new HttpError(400, "the range from–to may span at most 31 days");
  return { from, to };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, "the incident key is not valid URL encoding");
  }
}

/** A new silence from a POST body, or a 400 listing every problem. */
function silenceFromBody(body: unknown, by: string, now: number, id: string): Silence {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'the body must be {"endsAt": epoch ms, "brand"?, "problem"?, "startsAt"?, "reason"?}');
  }
  const b = body as Record<string, unknown>;
  const text = (name: string): string | null => {
    const value = b[name];
    if (value === undefined || value === null || value === "") return null;
    if (typeof value !== "string") throw new HttpError(400, `${name} must be a string`);
    return value;
  };
  const time = (name: string, fallback: number | null): number => {
    const value = b[name] ?? fallback;
    if (typeof value !== "number" || !Number.isSafeInteger(value)) throw new HttpError(400, `${name} must be epoch milliseconds`);
    return value;
  };
  const silence: Silence = {
    id,
    brand: text("brand"),
    problem: text("problem"),
    startsAt: time("startsAt", now),
    endsAt: time("endsAt", null),
    createdBy: by,
    reason: text("reason") ?? "",
    createdAt: now,
  };
  const problems = silenceProblems(silence, now);
  if (problems.length > 0) throw new HttpError(400, problems.join("; "));
  return silence;
}

/** Minutes of a surge's run-up included in its evidence; and the longest window read. */
const EVIDENCE_LEAD_MS = 10 * 60_000;
const EVIDENCE_MAX_MS = 24 * 60 * 60_000;
const EVIDENCE_MAX_MENTIONS = 5_000;

/** The incident's evidence from the store: its negative mentions and counts from a little before it started until it ended (or now). */
async function evidenceOf(incident: Incident, deps: ApiDeps): Promise<IncidentEvidence> {
  const from = incident.startedAt - EVIDENCE_LEAD_MS;
  const to = Math.min((incident.resolvedAt ?? deps.now()) + 60_000, from + EVIDENCE_MAX_MS);
  const [mentions, counts] = await Promise.all([
    deps.store.mentionsBetween({ brand: incident.brand, from, to, label: "negative", limit: EVIDENCE_MAX_MENTIONS }),
    deps.store.minuteCounts({ brand: incident.brand, from, to }),
  ]);
  return incidentEvidence(mentions, counts);
}

/** How long a correction waits for a mention the live stream showed before the writer stored it (batches flush every second). */
const MENTION_STORED_WAIT_MS = 3_000;
const MENTION_STORED_POLL_MS = 250;

async function storedMention(store: ApiDeps["store"], id: string): Promise<Awaited<ReturnType<ApiDeps["store"]["mention"]>>> {
  const deadline = Date.now() + MENTION_STORED_WAIT_MS;
  for (;;) {
    const mention = await store.mention(id);
    if (mention !== null || Date.now() >= deadline) return mention;
    await new Promise((resolve) => setTimeout(resolve, MENTION_STORED_POLL_MS));
  }
}
