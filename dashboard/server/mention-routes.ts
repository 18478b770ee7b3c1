import type { IncomingMessage } from "node:http";
import {
  API,
  MENTION_PRIORITIES,
  MENTION_QUERY_MAX_CHARS,
  WORKFLOW_STATUSES,
  type CorrectionView,
  type MentionPriority,
  type MentionQuery,
  type MentionWithWorkflow,
  type MentionWorkflowDetail,
  type MentionWorkflowView,
  type SentimentLabel,
  type ServerMessage,
  type WorkflowStatus,
} from "../protocol";
import { PROBLEM_TYPES, type ScoredMention } from "../../pipeline/mention";
import type { MentionWorkflowRecord } from "../../pipeline/store/mention-workflow-queries";
import type { CorrectionRecord, Store } from "../../pipeline/store/store";
import type { ApiHandler } from "./api";
import { HttpError, readJsonBody, sendJson } from "./http";
import { requireRole } from "./roles";
import { toMentionView } from "./views";

/**
 * The live stream's pages and the team's work on mentions:
 *
 * - GET API.mentions: filtered pages, newest first, each mention with its workflow
 *   (owned here; the filters mirror dashboard/web/lib/mention-filter.ts);
 * - GET API.mentionWorkflows: the most recently changed workflows;
 * - GET / POST / PATCH API.mentionWorkflow(id): status, assignee, tags, note;
 *   every change is kept with who and when, and broadcast to every client;
 * - POST API.correctProblems(id): the team's problem types, stored as a correction.
 *
 * Every parameter is checked up front and refused with a 400 that names it.
 * Changes need the responder role.
 */

export interface MentionRoutesDeps {
  store: Store;
  now(): number;
  /** Sends a frame to every live client (LiveHub.publish). */
  publish?(message: ServerMessage): void;
  /** Whether `username` may be assigned (a dashboard user); any well-formed name when absent. */
  isUser?(username: string): boolean;
  /** Called after a correction is stored, so the models can learn from it. */
  corrected?(correction: CorrectionRecord): void;
}

export const STREAM_DEFAULT_LIMIT = 100;
export const STREAM_MAX_LIMIT = 500;
const MAX_BRAND_CHARS = 200;
const MAX_MENTION_ID_CHARS = 1_000;
const MAX_WORKFLOWS = 1_000;
const MAX_TAGS = 20;
const MAX_TAG_CHARS = 40;
const MAX_NOTE_CHARS = 2_000;
const MAX_USERNAME_CHARS = 64;
const MAX_BODY_BYTES = 16 * 1024;
const WORKFLOW_PATH = /^\/api\/mentions\/([^/]+)\/workflow$/;
const PROBLEMS_PATH = /^\/api\/mentions\/([^/]+)\/problems$/;
const LANG = /^[a-z]{2,3}$/;
const SOURCE = /^[a-z0-9][a-z0-9_-]{0,39}$/;
const BEFORE = /^(\d{1,16}):(.+)$/s;
const SENTIMENTS: readonly SentimentLabel[] = ["negative", "neutral", "positive"];
// Control characters would hide or fake text in the UI and in logs.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export function createMentionRoutes(deps: MentionRoutesDeps): ApiHandler {
  return async (req, res, url, session) => {
    const path = url.pathname;
    if (path === API.mentions) {
      allow(req, ["GET"]);
      const params = url.searchParams;
      const query = mentionQuery(params);
      const before = beforeParam(params);
      const limit = intParam(params, "limit", STREAM_DEFAULT_LIMIT, STREAM_MAX_LIMIT);
      const mentions = await deps.store.streamMentions({ ...query, ...(before ? { before } : {}), limit });
      const workflows = new Map((await deps.store.mentionWorkflows(mentions.map((m) => m.id))).map((w) => [w.mentionId, w]));
      const body: MentionWithWorkflow[] = mentions.map((m) => {
        const view: MentionWithWorkflow = toMentionView(m);
        const w = workflows.get(m.id);
        if (w !== undefined) view.workflow = toWorkflowView(w);
        return view;
      });
      sendJson(res, 200, body);
      return true;
    }
    if (path === API.mentionWorkflows) {
      allow(req, ["GET"]);
      const limit = intParam(url.searchParams, "limit", 500, MAX_WORKFLOWS);
      const body: MentionWorkflowView[] = (await deps.store.recentMentionWorkflows(limit)).map(toWorkflowView);
      sendJson(res, 200, body);
      return true;
    }
    const workflow = WORKFLOW_PATH.exec(path);
    if (workflow) {
      allow(req, ["GET", "POST", "PATCH"]);
      const mentionId = mentionIdOf(workflow[1]!);
      if (req.method === "GET" || req.method === "HEAD") {
        const [current, history] = await Promise.all([
          deps.store.mentionWorkflow(mentionId),
          deps.store.mentionWorkflowHistory(mentionId),
        ]);
        const body: MentionWorkflowDetail = {
          workflow: current === null ? null : toWorkflowView(current),
          history: history.map(({ mentionId: id, status, assignee, tags, note, updatedBy, updatedAt }) => ({
            mentionId: id,
            status,
            assignee,
            tags,
            note,
            updatedBy,
            updatedAt,
          })),
        };
        sendJson(res, 200, body);
        return true;
      }
      requireRole(session, "responder");
      const change = workflowChange(await readJsonBody(req, MAX_BODY_BYTES), deps.isUser);
      const mention = await storedMention(deps.store, mentionId);
      if (mention === null) throw new HttpError(404, "no such mention");
      const current = await deps.store.mentionWorkflow(mentionId);
      const next: MentionWorkflowRecord = {
        mentionId,
        brand: mention.brand,
        status: change.status ?? current?.status ?? "new",
        assignee: change.assignee !== undefined ? change.assignee : (current?.assignee ?? null),
        tags: change.tags ?? current?.tags ?? [],
        note: change.note ?? current?.note ?? "",
        updatedBy: session.username,
        // Never before the last change, so a reader's "newer wins" holds even if clocks step back.
        updatedAt: Math.max(deps.now(), current?.updatedAt ?? 0),
      };
      await deps.store.saveMentionWorkflow(next);
      const view = toWorkflowView(next);
      deps.publish?.({ type: "mention-workflow", workflow: view });
      sendJson(res, 200, view);
      return true;
    }
    const problems = PROBLEMS_PATH.exec(path);
    if (problems) {
      allow(req, ["POST"]);
      requireRole(session, "responder");
      const mentionId = mentionIdOf(problems[1]!);
      const types = problemList(await readJsonBody(req, MAX_BODY_BYTES));
      const mention = await storedMention(deps.store, mentionId);
      if (mention === null) throw new HttpError(404, "no such mention");
      const correction: CorrectionRecord = {
        mentionId,
        field: "problems",
        value: JSON.stringify(types),
        text: mention.title === "" ? mention.text : `${mention.title}\n${mention.text}`,
        lang: mention.lang,
        correctedBy: session.username,
        at: deps.now(),
      };
      await deps.store.saveCorrection(correction);
      deps.corrected?.(correction);
      const view: CorrectionView = { mentionId, field: "problems", value: correction.value, correctedBy: session.username, at: correction.at };
      sendJson(res, 201, view);
      return true;
    }
    return false;
  };
}

export function toWorkflowView(w: MentionWorkflowRecord): MentionWorkflowView {
  return {
    mentionId: w.mentionId,
    brand: w.brand,
    status: w.status,
    assignee: w.assignee,
    tags: w.tags.slice(),
    note: w.note,
    updatedBy: w.updatedBy,
    updatedAt: w.updatedAt,
  };
}

function allow(req: IncomingMessage, methods: readonly ("GET" | "POST" | "PATCH")[]): void {
  const method = req.method ?? "GET";
  if ((methods as readonly string[]).includes(method) || (method === "HEAD" && methods.includes("GET"))) return;
  const list = methods.includes("GET") ? ["GET", "HEAD", ...methods.filter((m) => m !== "GET")] : methods;
  throw new HttpError(405, `use ${methods.join(" or ")} here`, { Allow: list.join(", ") });
}

function single(params: URLSearchParams, name: string): string | undefined {
  const values = params.getAll(name);
  if (values.length > 1) throw new HttpError(400, `${name} is given more than once`);
  return values[0];
}

function oneOf<T extends string>(params: URLSearchParams, name: string, allowed: readonly T[]): T | undefined {
  const value = single(params, name);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new HttpError(400, `${name} must be one of ${allowed.join(", ")}`);
  return value as T;
}

function matching(params: URLSearchParams, name: string, pattern: RegExp, what: string): string | undefined {
  const value = single(params, name);
  if (value === undefined) return undefined;
  if (!pattern.test(value)) throw new HttpError(400, `${name} must be ${what}`);
  return value;
}

/** The filters of GET API.mentions; the same names and meanings as MentionQuery. */
export function mentionQuery(params: URLSearchParams): MentionQuery {
  const query: MentionQuery = {};
  const brand = single(params, "brand");
  if (brand !== undefined) {
    if (brand.length === 0 || brand.length > MAX_BRAND_CHARS) throw new HttpError(400, `brand must be 1–${MAX_BRAND_CHARS} characters`);
    query.brand = brand;
  }
  const lang = matching(params, "lang", LANG, "a language code of 2–3 lower-case letters (pl, ru, en, und …)");
  if (lang !== undefined) query.lang = lang;
  const sentiment = oneOf(params, "sentiment", SENTIMENTS);
  if (sentiment !== undefined) query.sentiment = sentiment;
  const source = matching(params, "source", SOURCE, "a source kind (lower-case letters, digits, - and _, at most 40)");
  if (source !== undefined) query.source = source;
  const problem = oneOf(params, "problem", PROBLEM_TYPES);
  if (problem !== undefined) query.problem = problem;
  const priority = oneOf<MentionPriority>(params, "priority", MENTION_PRIORITIES);
  if (priority !== undefined) query.priority = priority;
  const q = single(params, "q");
  if (q !== undefined) {
    const trimmed = q.trim();
    if (trimmed.length === 0 || trimmed.length > MENTION_QUERY_MAX_CHARS || CONTROL.test(trimmed)) {
      throw new HttpError(400, `q must be 1–${MENTION_QUERY_MAX_CHARS} characters of text`);
    }
    query.q = trimmed;
  }
  return query;
}

function beforeParam(params: URLSearchParams): { publishedAt: number; id: string } | undefined {
  const value = single(params, "before");
  if (value === undefined) return undefined;
  const match = BEFORE.exec(value);
  const publishedAt = match ? Number(match[1]) : NaN;
  if (!match || !(publishedAt <= 8.64e15) || match[2]!.length > MAX_MENTION_ID_CHARS) {
    throw new HttpError(400, "before must be <publishedAt epoch ms>:<mention id> of the last mention shown");
  }
  return { publishedAt, id: match[2]! };
}

function intParam(params: URLSearchParams, name: string, fallback: number, max: number): number {
  const text = single(params, name);
  if (text === undefined) return fallback;
  const value = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(value >= 1 && value <= max)) throw new HttpError(400, `${name} must be a whole number from 1 to ${max}`);
  return value;
}

function mentionIdOf(segment: string): string {
  let id: string;
  try {
    id = decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, "the mention id is not valid URL encoding");
  }
  if (id.length === 0 || id.length > MAX_MENTION_ID_CHARS) throw new HttpError(400, `the mention id must be 1–${MAX_MENTION_ID_CHARS} characters`);
  return id;
}

interface WorkflowChange {
  status?: WorkflowStatus;
  assignee?: string | null;
  tags?: string[];
  note?: string;
}

/** The fields a POST/PATCH body changes, or a 400 naming the first bad one. */
function workflowChange(body: unknown, isUser: ((name: string) => boolean) | undefined): WorkflowChange {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'the body must be {"status"?, "assignee"?, "tags"?, "note"?}');
  }
  const b = body as Record<string, unknown>;
  for (const key of Object.keys(b)) {
    if (key !== "status" && key !== "assignee" && key !== "tags" && key !== "note") throw new HttpError(400, `${key} is not a workflow field`);
  }
  const change: WorkflowChange = {};
  if (b.status !== undefined) {
    if (typeof b.status !== "string" || !(WORKFLOW_STATUSES as readonly string[]).includes(b.status)) {
      throw new HttpError(400, `status must be one of ${WORKFLOW_STATUSES.join(", ")}`);
    }
    change.status = b.status as WorkflowStatus;
  }
  if (b.assignee !== undefined) {
    if (b.assignee === null || b.assignee === "") change.assignee = null;
    else if (typeof b.assignee !== "string" || b.assignee.length > MAX_USERNAME_CHARS || CONTROL.test(b.assignee)) {
      throw new HttpError(400, `assignee must be a username (at most ${MAX_USERNAME_CHARS} characters) or null`);
    } else if (isUser !== undefined && !isUser(b.assignee)) {
      throw new HttpError(400, "assignee must be a dashboard user");
    } else change.assignee = b.assignee;
  }
  if (b.tags !== undefined) {
    if (!Array.isArray(b.tags) || b.tags.length > MAX_TAGS) throw new HttpError(400, `tags must be a list of at most ${MAX_TAGS} strings`);
    const tags: string[] = [];
    for (const tag of b.tags) {
      const t = typeof tag === "string" ? tag.trim() : null;
      if (t === null || t.length === 0 || t.length > MAX_TAG_CHARS || CONTROL.test(t)) {
        throw new HttpError(400, `tags must each be 1–${MAX_TAG_CHARS} characters of text`);
      }
      if (!tags.includes(t)) tags.push(t);
    }
    change.tags = tags;
  }
  if (b.note !== undefined) {
    if (typeof b.note !== "string" || b.note.length > MAX_NOTE_CHARS || /[\u0000-\u0008\u000b-\u001f\u007f]/.test(b.note)) {
      throw new HttpError(400, `note must be text of at most ${MAX_NOTE_CHARS} characters`);
    }
    change.note = b.note;
  }
  return change;
}

/** {problems: [...]} → the problem types, de-duplicated, in PROBLEM_TYPES order. */
function problemList(body: unknown): string[] {
  const list = typeof body === "object" && body !== null && !Array.isArray(body) ? (body as { problems?: unknown }).problems : undefined;
  if (!Array.isArray(list) || !list.every((p) => typeof p === "string" && (PROBLEM_TYPES as readonly string[]).includes(p))) {
    throw new HttpError(400, `problems must be a list of ${PROBLEM_TYPES.join(", ")} (empty: none)`);
  }
  return PROBLEM_TYPES.filter((t) => list.includes(t));
}

/** How long a change waits for a mention the live stream showed before the writer stored it (batches flush every second). */
const MENTION_STORED_WAIT_MS = 3_000;
const MENTION_STORED_POLL_MS = 250;

async function storedMention(store: Store, id: string): Promise<ScoredMention | null> {
  const deadline = Date.now() + MENTION_STORED_WAIT_MS;
  for (;;) {
    const mention = await store.mention(id);
    if (mention !== null || Date.now() >= deadline) return mention;
    await new Promise((resolve) => setTimeout(resolve, MENTION_STORED_POLL_MS));
  }
}
