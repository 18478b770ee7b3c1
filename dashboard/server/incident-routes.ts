import type { IncomingMessage } from "node:http";
import { type IncidentView, type PlaybookTickView, type SilenceView } from "../protocol";
import { PROBLEM_TYPES, type Incident } from "../../pipeline/mention";
import { silenceProblems, type Silence } from "../../pipeline/incidents/silences";
import { playbooks } from "../../pipeline/playbooks/playbook-for";
import type { Playbook } from "../../pipeline/playbooks/playbook-schema";
import type { Store } from "../../pipeline/store/store";
import type { ApiHandler } from "./api";
import { HttpError, readJsonBody, sendJson } from "./http";
import { requireRole } from "./roles";
import { toIncidentView } from "./views";

/**
 * What a responder does from an incident's page: resolve it, silence its
 * brand (and problem type) until a time, and tick the playbook's checklist.
 * Each action needs the responder role and lands on the incident's timeline
 * with who did it; reading stays with api.ts (GET /api/incidents/<key>).
 */
export interface IncidentRoutesDeps {
  store: Store;
  /** Resolves an open incident for `by` through the pipeline's incident desk; null when there is no such incident. */
  resolve?(key: string, by: string): Promise<Incident | null>;
  now(): number;
  newId(): string;
  /** The configuration's playbooks (replacing shipped ones by id). */
  playbooks?: readonly Playbook[];
}

const ACTION_PATH = /^\/api\/incidents\/([^/]+)\/(resolve|silence|playbook)$/;
const MAX_KEY_CHARS = 500;
const MAX_BODY_BYTES = 2_048;

export function createIncidentRoutes(deps: IncidentRoutesDeps): ApiHandler {
  const known = playbooks(deps.playbooks ?? []);
  return async (req, res, url, session) => {
    const match = ACTION_PATH.exec(url.pathname);
    if (match === null) return false;
    if (req.method !== "POST") throw new HttpError(405, "use POST here", { Allow: "POST" });
    requireRole(session, "responder");
    const key = incidentKeyOf(match[1]!);
    const action = match[2] as "resolve" | "silence" | "playbook";

    if (action === "resolve") {
      if (deps.resolve === undefined) throw new HttpError(404, "resolving is not available on this server");
      const incident = await deps.resolve(key, session.username);
      if (incident === null) throw new HttpError(404, "no such incident");
      sendJson(res, 200, toIncidentView(incident) satisfies IncidentView);
      return true;
    }

    const incident = await deps.store.incident(key);
    if (incident === null) throw new HttpError(404, "no such incident");
    const now = deps.now();

    if (action === "silence") {
      if (incident.kind !== "spike") throw new HttpError(400, "only a brand's incident can be silenced from here (use POST /api/silences)");
      const silence = silenceFrom(await readBody(req), incident, session.username, now, deps.newId());
      await deps.store.saveSilence(silence);
      await deps.store.recordIncidentEvent({
        incidentKey: key,
        at: now,
        type: "silenced",
        actor: session.username,
        // "<ends at, epoch ms>|<problem or empty>|<reason>": the dashboard shows the time in the reader's zone.
        detail: `${silence.endsAt}|${silence.problem ?? ""}|${silence.reason}`,
      });
      sendJson(res, 201, silence satisfies SilenceView);
      return true;
    }

    const tick = tickFrom(await readBody(req), known);
    await deps.store.savePlaybookTick({ incidentKey: key, ...tick, by: session.username, at: now });
    await deps.store.recordIncidentEvent({
      incidentKey: key,
      at: now,
      type: tick.checked ? "checked" : "unchecked",
      actor: session.username,
      detail: `${tick.playbookId}#${tick.item}`,
    });
    const view: PlaybookTickView = { ...tick, by: session.username, at: now };
    sendJson(res, 200, view);
    return true;
  };
}

function incidentKeyOf(segment: string): string {
  let key: string;
  try {
    key = decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, "the incident key is not valid URL encoding");
  }
  if (key.length === 0 || key.length > MAX_KEY_CHARS) throw new HttpError(400, `the incident key must be 1–${MAX_KEY_CHARS} characters`);
  return key;
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const body = await readJsonBody(req, MAX_BODY_BYTES);
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new HttpError(400, "the body must be a JSON object");
  return body as Record<string, unknown>;
}

/** A silence of the incident's brand, and of one problem type when the body names it. */
function silenceFrom(b: Record<string, unknown>, incident: Incident, by: string, now: number, id: string): Silence {
  const { endsAt, problem, reason } = b;
  if (typeof endsAt !== "number" || !Number.isSafeInteger(endsAt)) throw new HttpError(400, "endsAt must be epoch milliseconds");
  if (problem !== undefined && problem !== null && (typeof problem !== "string" || !(PROBLEM_TYPES as readonly string[]).includes(problem))) {
    throw new HttpError(400, `problem must be one of ${PROBLEM_TYPES.join(", ")}`);
  }
  if (reason !== undefined && typeof reason !== "string") throw new HttpError(400, "reason must be a string");
  const silence: Silence = {
    id,
    brand: incident.brand,
    problem: typeof problem === "string" ? problem : null,
    startsAt: now,
    endsAt,
    createdBy: by,
    reason: reason ?? "",
    createdAt: now,
  };
  const problems = silenceProblems(silence, now);
  if (problems.length > 0) throw new HttpError(400, problems.join("; "));
  return silence;
}

/** A tick of an item that exists: a known playbook and an index inside its checklist. */
function tickFrom(b: Record<string, unknown>, known: readonly Playbook[]): { playbookId: string; item: number; checked: boolean } {
  const { playbookId, item, checked } = b;
  if (typeof playbookId !== "string") throw new HttpError(400, 'the body must be {"playbookId": string, "item": number, "checked": boolean}');
  const book = known.find((p) => p.id === playbookId);
  if (book === undefined) throw new HttpError(400, `no playbook "${playbookId.slice(0, 100)}"`);
  if (typeof item !== "number" || !Number.isInteger(item) || item < 0 || item >= book.en.checklist.length) {
    throw new HttpError(400, `item must be a checklist index from 0 to ${book.en.checklist.length - 1}`);
  }
  if (typeof checked !== "boolean") throw new HttpError(400, "checked must be true or false");
  return { playbookId, item, checked };
}
