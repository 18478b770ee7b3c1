/**
 * What a responder does from an incident's details: acknowledge, resolve,
 * silence its brand (and problem type), tick the playbook. Each answer is
 * checked before it is trusted; failures are RequestErrors (see api.ts).
 */
import {
  API,
  type IncidentSignalView,
  type IncidentSilenceRequest,
  type IncidentView,
  type PlaybookTickRequest,
  type PlaybookTickView,
  type SilenceView,
} from "../../protocol";
import { json, RequestError, send } from "./api";
import { isIncidentView, isSilenceView } from "./server-message";

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

export async function resolveIncident(key: string): Promise<IncidentView> {
  const path = API.resolveIncident(key);
  const body = await json(await send("POST", path), path);
  if (!isIncidentView(body)) throw new RequestError(200, null, `${path}: the answer is not an incident`);
  return body;
}

export async function silenceIncident(key: string, request: IncidentSilenceRequest): Promise<SilenceView> {
  const path = API.silenceIncident(key);
  const body = await json(await send("POST", path, request), path);
  if (!isSilenceView(body)) throw new RequestError(201, null, `${path}: the answer is not a silence`);
  return body;
}

export async function tickPlaybookItem(key: string, request: PlaybookTickRequest): Promise<PlaybookTickView> {
  const path = API.playbookTick(key);
  const body = await json(await send("POST", path, request), path);
  if (!isRecord(body) || typeof body.item !== "number" || typeof body.checked !== "boolean" || typeof body.by !== "string") {
    throw new RequestError(200, null, `${path}: the answer is not a checklist tick`);
  }
  return body as unknown as PlaybookTickView;
}

/** The problem type the incident's signals point at (its strongest uninhibited problem signal), or null. */
export function problemOfSignals(signals: readonly IncidentSignalView[]): string | null {
  let best: IncidentSignalView | null = null;
  for (const s of signals) if (s.kind === "problem" && !s.inhibited && (best === null || s.peakScore > best.peakScore)) best = s;
  return best?.name ?? null;
}
