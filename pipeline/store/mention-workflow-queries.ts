import type { MentionPriority, ScoredMention, SentimentLabel } from "../mention";
import { bindDatabase } from "./migrate";
import { MENTION_COLUMNS } from "./queries";
import type { SqlRunner } from "./sql-runner";
import { fromMentionRow, type MentionRow } from "./mention-row";

/**
 * The live stream's queries and the team's work on mentions (migration 0014).
 *
 * `streamMentions` is the SQL twin of dashboard/web/lib/mention-filter.ts: the
 * web app applies that predicate to the live flow and this query to the pages
 * it loads, so both must say the same (test/pipeline/store/mention-workflow-queries.test.ts
 * runs one table of cases through both). Every filter is a bound parameter;
 * '' means "no filter".
 */

export type WorkflowStatus = "new" | "in-progress" | "responded" | "resolved";

export interface MentionWorkflowRecord {
  mentionId: string;
  brand: string;
  status: WorkflowStatus;
  /** A dashboard username, or null. */
  assignee: string | null;
  tags: string[];
  note: string;
  updatedBy: string;
  /** Epoch ms. */
  updatedAt: number;
}

export interface StreamQuery {
  brand?: string;
  lang?: string;
  sentiment?: SentimentLabel;
  source?: string;
  problem?: string;
  priority?: MentionPriority;
  /** Case-insensitive substring of title + " " + text (trimmed; blank: no filter). */
  q?: string;
  /** Only mentions older than this one in stream order (publishedAt desc, id desc). */
  before?: { publishedAt: number; id: string };
  limit: number;
}

export interface MentionWorkflowStore {
  /** Newest first (publishedAt, then id, descending), filtered as dashboard/web/lib/mention-filter.ts filters. */
  streamMentions(q: StreamQuery): Promise<ScoredMention[]>;
  /** Upsert by mention id (the latest save wins) and a history row. */
  saveMentionWorkflow(w: MentionWorkflowRecord): Promise<void>;
  mentionWorkflow(mentionId: string): Promise<MentionWorkflowRecord | null>;
  /** The current workflow of each id that has one (any order). */
  mentionWorkflows(mentionIds: readonly string[]): Promise<MentionWorkflowRecord[]>;
  /** The most recently changed, newest change first. */
  recentMentionWorkflows(limit: number): Promise<MentionWorkflowRecord[]>;
  /** Every change of one mention's workflow, oldest first. */
  mentionWorkflowHistory(mentionId: string): Promise<Omit<MentionWorkflowRecord, "brand">[]>;
}

const WORKFLOW_COLUMNS = `mention_id, brand, status, assignee, tags, note, updated_by, toUnixTimestamp64Milli(updated_at) AS updated_at_ms`;

const sql = {
  // Two steps: the page's ids are chosen reading only the narrow columns the
  // filters need, then only those rows are read whole (the id condition goes
  // to PREWHERE, so text and the rest are read for a few granules, not all).
  // Copies of a mention not merged yet are folded by LIMIT 1 BY id, newest
  // version first, instead of FINAL, which would merge the whole table.
  streamMentions: `
SELECT ${MENTION_COLUMNS}
FROM {db}.mentions
WHERE id IN (
  SELECT id
  FROM {db}.mentions
  WHERE ({brand:String} = '' OR brand = {brand:String})
    AND ({lang:String} = '' OR lang = {lang:String})
    AND ({sentiment:String} = '' OR sentiment_label = {sentiment:String})
    AND ({source:String} = '' OR source = {source:String})
    AND ({problem:String} = '' OR has(problem_types, {problem:String}))
    AND ({priority:String} = '' OR if(priority = '', 'normal', priority) = {priority:String})
    AND ({q:String} = '' OR positionCaseInsensitiveUTF8(concat(title, ' ', text), {q:String}) > 0)
    AND ({before_at:Int64} < 0
         OR published_at < fromUnixTimestamp64Milli({before_at:Int64}, 'UTC')
         OR (published_at = fromUnixTimestamp64Milli({before_at:Int64}, 'UTC') AND id < {before_id:String}))
  ORDER BY published_at DESC, id DESC
  LIMIT 1 BY id
  LIMIT {limit:UInt32}
)
ORDER BY published_at DESC, id DESC, version DESC
LIMIT 1 BY id`,

  saveWorkflowTable: "{db}.mention_workflow",
  workflowHistoryTable: "{db}.mention_workflow_history",

  mentionWorkflow: `
SELECT ${WORKFLOW_COLUMNS}
FROM {db}.mention_workflow FINAL
WHERE mention_id = {id:String}
LIMIT 1`,

  mentionWorkflows: `
SELECT ${WORKFLOW_COLUMNS}
FROM {db}.mention_workflow FINAL
WHERE has({ids:Array(String)}, mention_id)`,

  recentMentionWorkflows: `
SELECT ${WORKFLOW_COLUMNS}
FROM {db}.mention_workflow FINAL
ORDER BY updated_at DESC, mention_id
LIMIT {limit:UInt32}`,

  mentionWorkflowHistory: `
SELECT mention_id, status, assignee, tags, note, updated_by, toUnixTimestamp64Milli(updated_at) AS updated_at_ms
FROM {db}.mention_workflow_history
WHERE mention_id = {id:String}
ORDER BY updated_at, status`,
} as const;

interface WorkflowRow {
  mention_id: string;
  brand?: string;
  status: string;
  assignee: string;
  tags: string[];
  note: string;
  updated_by: string;
  updated_at_ms: number;
}

function fromWorkflowRow(r: WorkflowRow): MentionWorkflowRecord {
  return {
    mentionId: r.mention_id,
    brand: r.brand ?? "",
    status: r.status as WorkflowStatus,
    assignee: r.assignee === "" ? null : r.assignee,
    tags: r.tags,
    note: r.note,
    updatedBy: r.updated_by,
    updatedAt: Number(r.updated_at_ms),
  };
}

/** Ids asked for at once by `mentionWorkflows` (a page of the stream is at most 500). */
const MAX_IDS = 1_000;

export function mentionWorkflowStore(runner: SqlRunner, database: string): MentionWorkflowStore {
  const text = Object.fromEntries(Object.entries(sql).map(([k, v]) => [k, bindDatabase(v, database)])) as {
    [K in keyof typeof sql]: string;
  };
  // Increasing even for two saves in one millisecond, so the later save wins.
  let lastVersion = 0;
  const nextVersion = (at: number): number => (lastVersion = Math.max(at * 1000, lastVersion + 1));

  return {
    async streamMentions(q) {
      const rows = await runner.query<MentionRow>(text.streamMentions, {
        brand: q.brand ?? "",
        lang: q.lang ?? "",
        sentiment: q.sentiment ?? "",
        source: q.source ?? "",
        problem: q.problem ?? "",
        priority: q.priority ?? "",
        q: (q.q ?? "").trim(),
        before_at: q.before === undefined ? -1 : Math.floor(q.before.publishedAt),
        before_id: q.before?.id ?? "",
        limit: q.limit,
      });
      return rows.map(fromMentionRow);
    },

    async saveMentionWorkflow(w) {
      const row = {
        mention_id: w.mentionId,
        status: w.status,
        assignee: w.assignee ?? "",
        tags: w.tags,
        note: w.note,
        updated_by: w.updatedBy,
        updated_at: w.updatedAt,
      };
      // History first: a crash between the two leaves an audit row, never an unexplained state.
      await runner.insert(text.workflowHistoryTable, [row]);
      await runner.insert(text.saveWorkflowTable, [{ ...row, brand: w.brand, version: nextVersion(w.updatedAt) }]);
    },

    async mentionWorkflow(mentionId) {
      const [row] = await runner.query<WorkflowRow>(text.mentionWorkflow, { id: mentionId });
      return row === undefined ? null : fromWorkflowRow(row);
    },

    async mentionWorkflows(mentionIds) {
      if (mentionIds.length === 0) return [];
      if (mentionIds.length > MAX_IDS) throw new RangeError(`at most ${MAX_IDS} ids at once, got ${mentionIds.length}`);
      const rows = await runner.query<WorkflowRow>(text.mentionWorkflows, { ids: [...mentionIds] });
      return rows.map(fromWorkflowRow);
    },

    async recentMentionWorkflows(limit) {
      const rows = await runner.query<WorkflowRow>(text.recentMentionWorkflows, { limit });
      return rows.map(fromWorkflowRow);
    },

    async mentionWorkflowHistory(mentionId) {
      const rows = await runner.query<WorkflowRow>(text.mentionWorkflowHistory, { id: mentionId });
      return rows.map((r) => {
        const { brand: _brand, ...rest } = fromWorkflowRow(r);
        return rest;
      });
    },
  };
}
