/**
 * The stream's and the mention workflow's HTTP calls (dashboard/server/mention-routes.ts).
 * Failures are RequestErrors, as in api.ts.
 */
import {
  API,
  type MentionQuery,
  type MentionWithWorkflow,
  type MentionWorkflowRequest,
  type MentionWorkflowView,
} from "../../protocol";
import { json, RequestError, send } from "./api";
import { toSearchParams } from "./mention-filter";
import { isMentionView, isMentionWorkflowView } from "./server-message";

/** One page of the stream, newest first; `before` is mentionCursor() of the last mention already shown. */
export async function fetchMentions(query: MentionQuery, options: { before?: string; limit: number }): Promise<MentionWithWorkflow[]> {
  const params = toSearchParams(query, options);
  const path = `${API.mentions}?${params.toString()}`;
  const body = await json(await send("GET", path), API.mentions);
  if (!Array.isArray(body)) throw new RequestError(200, null, `${API.mentions}: the answer is not a list`);
  return body.filter(isMentionView).map((m: MentionWithWorkflow) => {
    if (m.workflow !== undefined && !isMentionWorkflowView(m.workflow)) delete m.workflow;
    return m;
  });
}

/** The most recently changed workflows (what changed while this page was closed). */
export async function fetchRecentWorkflows(): Promise<MentionWorkflowView[]> {
  const body = await json(await send("GET", API.mentionWorkflows), API.mentionWorkflows);
  if (!Array.isArray(body)) throw new RequestError(200, null, `${API.mentionWorkflows}: the answer is not a list`);
  return body.filter(isMentionWorkflowView);
}

/** Changes the given fields of one mention's workflow; answers the workflow as stored. */
export async function saveWorkflow(mentionId: string, change: MentionWorkflowRequest): Promise<MentionWorkflowView> {
  const path = API.mentionWorkflow(mentionId);
  const body = await json(await send("PATCH", path, change), path);
  if (!isMentionWorkflowView(body)) throw new RequestError(200, null, `${path}: the answer is not a workflow`);
  return body;
}

/** Stores the team's problem types for one mention (empty: it reports none). */
export async function correctProblems(mentionId: string, problems: readonly string[]): Promise<void> {
  await send("POST", API.correctProblems(mentionId), { problems });
}
