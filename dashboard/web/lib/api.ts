/**
 * The HTTP calls the dashboard makes, typed by dashboard/protocol.ts. Every
 * failure is a RequestError: `status` is the HTTP status, or null when the
 * server could not be reached at all.
 */
import {
  API,
  CSRF_HEADER,
  type ChannelHealthView,
  type IncidentDetailView,
  type IncidentView,
  type LoginRequest,
  type SentimentLabel,
  type Me,
  ROLES,
  type Role,
  type SourceHealthView,
} from "../../protocol";
import type { MessageKey, MessageParams } from "./messages";
import { isChannelHealthView, isIncidentDetailView, isIncidentView, isSourceHealthView } from "./server-message";

export class RequestError extends Error {
  override readonly name = "RequestError";
  constructor(
    readonly status: number | null,
    /** Seconds from a Retry-After header (429), if the server sent one. */
    readonly retryAfterSeconds: number | null,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`[earshot] [dashboard] ${message}`, options);
  }
}

export const isRequestError = (e: unknown): e is RequestError =>
  e instanceof Error && e.name === "RequestError";

export const isUnauthorized = (e: unknown): boolean => isRequestError(e) && e.status === 401;

/**
 * What to tell the user of a request that failed: `failed` with the HTTP
 * status when the server answered, else `network` (it could not be reached).
 */
export function failureNotice(err: unknown, failed: MessageKey, network: MessageKey): { key: MessageKey; params?: MessageParams } {
  return isRequestError(err) && err.status !== null ? { key: failed, params: { status: err.status } } : { key: network };
}

function retryAfter(response: Response): number | null {
  const value = response.headers.get("retry-after");
  if (value === null) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const at = Date.parse(value); // the HTTP-date form
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/**
 * One request to the API. A refusal is a RequestError carrying the server's
 * own reason when it gave one ("… the last admin …" helps more than a status).
 */
export async function send(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
  const headers: Record<string, string> = { accept: "application/json" };
  // Only state-changing requests carry the CSRF header (see protocol.ts).
  if (method !== "GET") headers[CSRF_HEADER] = "1";
  if (body !== undefined) headers["content-type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
      cache: "no-store",
      ...(signal ? { signal } : {}),
    });
  } catch (err) {
    throw new RequestError(null, null, `${method} ${path} failed: server unreachable`, { cause: err });
  }
  if (!response.ok) {
    throw new RequestError(
      response.status,
      retryAfter(response),
      (await serverReason(response)) ?? `${method} ${path} answered HTTP ${response.status}`,
    );
  }
  return response;
}

/** The `error` of an ApiError body, if the refusal has one. */
async function serverReason(response: Response): Promise<string | null> {
  try {
    const problem = (await response.json()) as unknown;
    return isRecord(problem) && typeof problem.error === "string" && problem.error !== "" ? problem.error : null;
  } catch {
    return null; // not JSON: the status line says it
  }
}

export async function json(response: Response, what: string): Promise<unknown> {
  try {
    return await response.json();
  } catch (err) {
    throw new RequestError(response.status, null, `${what}: the body is not JSON`, { cause: err });
  }
}

/** A request whose answer is JSON: the parsed body, or null for 204 No Content. */
export async function callJson(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<unknown> {
  const response = await send(method, path, body, signal);
  return response.status === 204 ? null : json(response, path);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

/** Who is signed in, or null when no session is active (401). */
export async function fetchMe(): Promise<Me | null> {
  try {
    const body = await json(await send("GET", API.me), API.me);
    if (!isRecord(body) || typeof body.username !== "string") {
      throw new RequestError(200, null, `${API.me}: no username in the answer`);
    }
    const role = (ROLES as readonly unknown[]).includes(body.role) ? (body.role as Role) : "viewer";
    return { username: body.username, role };
  } catch (err) {
    if (isUnauthorized(err)) return null;
    throw err;
  }
}

/** Opens a session; the server answers 204 and sets the cookie. */
export async function signIn(login: LoginRequest): Promise<void> {
  await send("POST", API.session, login);
}

export async function signOut(): Promise<void> {
  await send("DELETE", API.session);
}

/** Acknowledges a firing incident and returns it as the server now sees it. */
export async function acknowledgeIncident(key: string): Promise<IncidentView> {
  const path = API.acknowledge(key);
  const body = await json(await send("POST", path), path);
  if (!isIncidentView(body)) throw new RequestError(200, null, `${path}: the answer is not an incident`);
  return body;
}

/** Every source's health, as the server sees it now. Entries that fail the checks are left out. */
export async function fetchSourceHealth(): Promise<SourceHealthView[]> {
  const body = await json(await send("GET", API.sources), API.sources);
  if (!Array.isArray(body)) throw new RequestError(200, null, `${API.sources}: the answer is not a list`);
  return body.filter(isSourceHealthView);
}

/** Every alert channel's deliveries over the last week: failing when its last attempt failed. */
export async function fetchChannelHealth(): Promise<ChannelHealthView[]> {
  const body = await json(await send("GET", API.channels), API.channels);
  if (!Array.isArray(body)) throw new RequestError(200, null, `${API.channels}: the answer is not a list`);
  return body.filter(isChannelHealthView);
}

/** One incident with its timeline, deliveries, evidence and playbook, in the UI language. */
export async function fetchIncidentDetail(key: string, lang: "en" | "pl" | "ru"): Promise<IncidentDetailView> {
  const path = `${API.incident(key)}?lang=${lang}`;
  const body = await json(await send("GET", path), path);
  if (!isIncidentDetailView(body)) throw new RequestError(200, null, `${path}: the answer is not an incident's detail`);
  return body;
}

/** Stores the team's sentiment label for one mention; the model learns from it. */
export async function correctSentiment(mentionId: string, label: SentimentLabel): Promise<void> {
  await send("POST", API.correctSentiment(mentionId), { label });
}
