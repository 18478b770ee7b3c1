import { detectorStateStore, type DetectorStateStore } from "./detector-state-queries";
import type { Cursor } from "../../collectors/source";
import type { Silence } from "../incidents/silences";
import type { Incident, Lang, MinuteCount, ScoredMention, SentimentLabel } from "../mention";
import { bindDatabase, migrate, type SchemaOptions } from "./migrate";
import { queries } from "./queries";
import { incidentSignalsStore, type IncidentSignalsStore } from "./incident-signals-queries";
import type { SqlRunner } from "./sql-runner";
import { usersStore, type UsersStore } from "./users-queries";
import { mentionWorkflowStore, type MentionWorkflowStore } from "./mention-workflow-queries";
import { fromIncidentRow, incidentRow, type IncidentRow } from "./incident-row";
import { fromMentionRow, mentionRow, type MentionRow } from "./mention-row";
import { reportStore, type ReportStore } from "./report-queries";
import { spikeHistoryStore, type SpikeHistoryStore } from "./spike-history-queries";
import { overviewStore, type OverviewStore } from "./overview-queries";

/** One delivery attempt of an incident notice to one channel. */
export interface NotificationRecord {
  incidentKey: string;
  /** "webhook", later "slack", "telegram", "email" … */
  channel: string;
  /** Where it went, with secrets removed (e.g. the URL without credentials). */
  target: string;
  /** What the notice said: the incident state it announced. */
  /** "escalation": the firing notice to a contact of the brand's escalation path. */
  event: "firing" | "repeat" | "escalation" | "acknowledged" | "resolved";
  attempt: number;
  /** "silenced": not sent, because a silence muted it (see `error` for which). */
  status: "delivered" | "failed" | "silenced";
  httpStatus: number | null;
  error: string;
  /** Epoch ms. */
  at: number;
}

/** One change in an incident's life and who made it. */
export interface IncidentEventRecord {
  incidentKey: string;
  /** Epoch ms. */
  at: number;
  /** signal/inhibited: a series joined the incident (detail "kind:name"); checked/unchecked: a playbook item (detail "playbook#item"). */
  type:
    | "pending"
    | "firing"
    | "updated"
    | "acknowledged"
    | "resolved"
    | "dismissed"
    | "escalated"
    | "silenced"
    | "signal"
    | "inhibited"
    | "checked"
    | "unchecked";
  /** A user name, or "earshot" for what the system did itself. */
  actor: string;
  detail: string;
}

/** How one notification channel has been doing: a channel that keeps failing is a problem of its own. */
export interface ChannelHealthRecord {
  channel: string;
  target: string;
  /** Epoch ms. */
  lastAttemptAt: number;
  lastStatus: "delivered" | "failed";
  lastError: string;
  /** Epoch ms; null when nothing was delivered in the window. */
  lastDeliveredAt: number | null;
  /** Failed attempts since the last delivery. */
  failuresSinceDelivered: number;
}

/** An item a stage could not handle: kept, visible, replayable. */
export interface QuarantineRecord {
  /** Epoch ms. */
  at: number;
  stage: string;
  reason: string;
  /** The input as JSON text. */
  payload: string;
  error: string;
}

/**
 * A label the team set by hand on one mention. The text and language travel
 * with it, so the models can learn from corrections alone.
 */
export interface CorrectionRecord {
  mentionId: string;
  field: "sentiment" | "problems";
  /** sentiment: a SentimentLabel; problems: a JSON array of problem types. */
  value: string;
  text: string;
  lang: Lang;
  correctedBy: string;
  /** Epoch ms. */
  at: number;
}

/** What Earshot needs from its database, in its own words. */
export interface Store extends IncidentSignalsStore, UsersStore, MentionWorkflowStore, ReportStore, OverviewStore, SpikeHistoryStore, DetectorStateStore {
  /** Creates the database and applies every migration not applied yet. Idempotent. */
  migrate(): Promise<void>;
  /** Idempotent: a mention stored twice (same id) is one row after merges and in every read. */
  insertMentions(mentions: readonly ScoredMention[]): Promise<void>;
  /** Newest first (by publishedAt, then id). */
  recentMentions(q: { brand?: string; limit: number }): Promise<ScoredMention[]>;
  /** One brand's mentions published in [from, to), oldest first; only one sentiment label when `label` is given. */
  mentionsBetween(q: { brand: string; from: number; to: number; label?: SentimentLabel; limit: number }): Promise<ScoredMention[]>;
  /** One mention by id, or null. */
  mention(id: string): Promise<ScoredMention | null>;
  /** Distinct mentions (by id), after de-duplication. */
  countMentions(q: { brand?: string }): Promise<number>;
  /** Per-minute counts from the rollup, ascending by minute, `from` inclusive, `to` exclusive; empty minutes omitted. */
  minuteCounts(q: { brand: string; from: number; to: number }): Promise<MinuteCount[]>;
  /** Brands that have at least one stored mention. */
  brands(): Promise<string[]>;

  /** Upsert by `key`: the latest `updatedAt` wins. */
  saveIncident(incident: Incident): Promise<void>;
  incident(key: string): Promise<Incident | null>;
  /** Newest first (by startedAt). */
  incidents(q: { brand?: string; limit: number }): Promise<Incident[]>;

  recordIncidentEvent(e: IncidentEventRecord): Promise<void>;
  /** Oldest first. */
  incidentEvents(incidentKey: string): Promise<IncidentEventRecord[]>;

  recordNotification(n: NotificationRecord): Promise<void>;
  /** Per channel and target, from the delivery records since `since` (epoch ms). */
  channelHealth(q: { since: number }): Promise<ChannelHealthRecord[]>;
  /** Oldest first. */
  notifications(incidentKey: string): Promise<NotificationRecord[]>;

  /** Upsert by source id (the configured source's id, not its kind). */
  saveCursor(sourceId: string, cursor: Cursor): Promise<void>;
  cursor(sourceId: string): Promise<Cursor | null>;

  quarantine(items: readonly QuarantineRecord[]): Promise<void>;
  /** Newest first. */
  quarantined(limit: number): Promise<QuarantineRecord[]>;

  /** Keeps every correction (an audit trail). */
  saveCorrection(c: CorrectionRecord): Promise<void>;
  /** The newest correction per mention for one field, oldest first. */
  corrections(q: { field: CorrectionRecord["field"]; limit: number }): Promise<CorrectionRecord[]>;

  /** Upsert by id: saving a silence again (e.g. with an earlier end) replaces it. */
  saveSilence(s: Silence): Promise<void>;
  /** Silences not over at `now` (running or still to come), soonest end first. */
  silences(q: { now: number }): Promise<Silence[]>;
  silence(id: string): Promise<Silence | null>;

  close(): Promise<void>;
}

// ---------------------------------------------------------------------------
// The Store over any SqlRunner: every method is one statement from queries.ts.

/**
 * The Store on top of a runner (embedded chDB or a server). `database` is
 * configuration, checked to be a plain identifier; `cluster` makes `migrate`
 * create replicated tables ON CLUSTER.
 */
export function createStore(runner: SqlRunner, options: SchemaOptions): Store {
  const { database } = options;
  const sql = Object.fromEntries(
    Object.entries(queries).map(([name, text]) => [name, bindDatabase(text, database)]),
  ) as { [K in keyof typeof queries]: string };
  const nextVersion = monotonicVersions();

  return {
    ...incidentSignalsStore(runner, database),
    ...usersStore(runner, database),
    ...mentionWorkflowStore(runner, database),
    ...reportStore(runner, database),
    ...overviewStore(runner, database),
    ...spikeHistoryStore(runner, database),
    ...detectorStateStore(runner, database),
    async migrate() {
      await migrate(runner, options);
    },

    async insertMentions(mentions) {
      if (mentions.length === 0) return;
      const storedAt = Date.now();
      await runner.insert(sql.insertMentionsTable, mentions.map((m) => mentionRow(m, storedAt)));
    },

    async recentMentions({ brand, limit }) {
      const rows = await runner.query<MentionRow>(sql.recentMentions, { brand: brand ?? "", limit });
      return rows.map(fromMentionRow);
    },

    async mentionsBetween({ brand, from, to, label, limit }) {
      const rows = await runner.query<MentionRow>(sql.mentionsBetween, {
        brand,
        from: Math.floor(from),
        to: Math.floor(to),
        label: label ?? "",
        limit,
      });
      return rows.map(fromMentionRow);
    },

    async mention(id) {
      const [row] = await runner.query<MentionRow>(sql.mention, { id });
      return row === undefined ? null : fromMentionRow(row);
    },

    async countMentions({ brand }) {
      const [row] = await runner.query<{ n: number }>(sql.countMentions, { brand: brand ?? "" });
      return row === undefined ? 0 : Number(row.n);
    },

    async minuteCounts({ brand, from, to }) {
      const rows = await runner.query<{ brand: string; minute_ms: number; total_n: number; negative_n: number }>(
        sql.minuteCounts,
        { brand, from: Math.floor(from), to: Math.floor(to) },
      );
      return rows.map((r) => ({
        brand: r.brand,
        minute: Number(r.minute_ms),
        total: Number(r.total_n),
        negative: Number(r.negative_n),
      }));
    },

    async brands() {
      const rows = await runner.query<{ brand: string }>(sql.brands);
      return rows.map((r) => r.brand);
    },

    async saveIncident(incident) {
      await runner.insert(sql.saveIncidentTable, [incidentRow(incident)]);
    },

    async incident(key) {
      const [row] = await runner.query<IncidentRow>(sql.incident, { key });
      return row === undefined ? null : fromIncidentRow(row);
    },

    async incidents({ brand, limit }) {
      const rows = await runner.query<IncidentRow>(sql.incidents, { brand: brand ?? "", limit });
      return rows.map(fromIncidentRow);
    },

    async recordIncidentEvent(e) {
      await runner.insert(sql.recordIncidentEventTable, [
        { incident_key: e.incidentKey, at: e.at, type: e.type, actor: e.actor, detail: e.detail },
      ]);
    },

    async incidentEvents(incidentKey) {
      const rows = await runner.query<{ incident_key: string; at_ms: number; type: string; actor: string; detail: string }>(
        sql.incidentEvents,
        { key: incidentKey },
      );
      return rows.map((r) => ({
        incidentKey: r.incident_key,
        at: Number(r.at_ms),
        type: r.type as IncidentEventRecord["type"],
        actor: r.actor,
        detail: r.detail,
      }));
    },

    async recordNotification(n) {
      await runner.insert(sql.recordNotificationTable, [
        {
          incident_key: n.incidentKey,
          channel: n.channel,
          target: n.target,
          event: n.event,
          attempt: n.attempt,
          status: n.status,
          http_status: n.httpStatus,
          error: n.error,
          at: n.at,
        },
      ]);
    },

    async channelHealth({ since }) {
      const rows = await runner.query<{
        channel: string;
        target: string;
        last_attempt_ms: number;
        last_status: string;
        last_error: string;
        last_delivered_ms: number | null;
        failures_since: number;
      }>(sql.channelHealth, { since: Math.floor(since) });
      return rows.map((r) => ({
        channel: r.channel,
        target: r.target,
        lastAttemptAt: Number(r.last_attempt_ms),
        lastStatus: r.last_status as ChannelHealthRecord["lastStatus"],
        lastError: r.last_error,
        lastDeliveredAt: r.last_delivered_ms === null ? null : Number(r.last_delivered_ms),
        failuresSinceDelivered: Number(r.failures_since),
      }));
    },

    async notifications(incidentKey) {
      const rows = await runner.query<NotificationRow>(sql.notifications, { key: incidentKey });
      return rows.map((r) => ({
        incidentKey: r.incident_key,
        channel: r.channel,
        target: r.target,
        event: r.event as NotificationRecord["event"],
        attempt: Number(r.attempt),
        status: r.status as NotificationRecord["status"],
        httpStatus: r.http_status === null ? null : Number(r.http_status),
        error: r.error,
        at: Number(r.at_ms),
      }));
    },

    async saveCursor(sourceId, cursor) {
      const now = Date.now();
      await runner.insert(sql.saveCursorTable, [
        { source_id: sourceId, cursor: JSON.stringify(cursor), updated_at: now, version: nextVersion(now) },
      ]);
    },

    async cursor(sourceId) {
      const [row] = await runner.query<{ cursor: string }>(sql.cursor, { source: sourceId });
      return row === undefined ? null : (JSON.parse(row.cursor) as Cursor);
    },

    async quarantine(items) {
      if (items.length === 0) return;
      await runner.insert(
        sql.quarantineTable,
        items.map((q) => ({ at: q.at, stage: q.stage, reason: q.reason, payload: q.payload, error: q.error })),
      );
    },

    async quarantined(limit) {
      const rows = await runner.query<{ at_ms: number; stage: string; reason: string; payload: string; error: string }>(
        sql.quarantined,
        { limit },
      );
      return rows.map((r) => ({ at: Number(r.at_ms), stage: r.stage, reason: r.reason, payload: r.payload, error: r.error }));
    },

    async saveCorrection(c) {
      await runner.insert(sql.saveCorrectionTable, [
        {
          mention_id: c.mentionId,
          field: c.field,
          value: c.value,
          text: c.text,
          lang: c.lang,
          corrected_by: c.correctedBy,
          corrected_at: c.at,
        },
      ]);
    },

    async corrections({ field, limit }) {
      const rows = await runner.query<{
        mention_id: string;
        field: string;
        value: string;
        text: string;
        lang: string;
        corrected_by: string;
        corrected_at_ms: number;
      }>(sql.corrections, { field, limit });
      return rows.map((r) => ({
        mentionId: r.mention_id,
        field: r.field as CorrectionRecord["field"],
        value: r.value,
        text: r.text,
        lang: r.lang as Lang,
        correctedBy: r.corrected_by,
        at: Number(r.corrected_at_ms),
      }));
    },

    async saveSilence(silence) {
      await runner.insert(sql.saveSilenceTable, [
        {
          id: silence.id,
          brand: silence.brand ?? "",
          problem: silence.problem ?? "",
          starts_at: silence.startsAt,
          ends_at: silence.endsAt,
          created_by: silence.createdBy,
          reason: silence.reason,
          created_at: silence.createdAt,
          version: nextVersion(Date.now()),
        },
      ]);
    },

    async silences({ now }) {
      const rows = await runner.query<SilenceRow>(sql.silences, { now: Math.floor(now) });
      return rows.map(fromSilenceRow);
    },

    async silence(id) {
      const [row] = await runner.query<SilenceRow>(sql.silence, { id });
      return row === undefined ? null : fromSilenceRow(row);
    },

    close: () => runner.close(),
  };
}

/**
 * Versions for upserts made by this process: increasing even when two saves
 * fall in the same millisecond, so the later save always wins.
 */
function monotonicVersions(): (now: number) => number {
  let last = 0;
  return (now) => {
    last = Math.max(now * 1000, last + 1);
    return last;
  };
}

interface NotificationRow {
  incident_key: string;
  channel: string;
  target: string;
  event: string;
  attempt: number;
  status: string;
  http_status: number | null;
  error: string;
  at_ms: number;
}

interface SilenceRow {
  id: string;
  brand: string;
  problem: string;
  created_by: string;
  reason: string;
  starts_at_ms: number;
  ends_at_ms: number;
  created_at_ms: number;
}

function fromSilenceRow(r: SilenceRow): Silence {
  return {
    id: r.id,
    brand: r.brand === "" ? null : r.brand,
    problem: r.problem === "" ? null : r.problem,
    startsAt: Number(r.starts_at_ms),
    endsAt: Number(r.ends_at_ms),
    createdBy: r.created_by,
    reason: r.reason,
    createdAt: Number(r.created_at_ms),
  };
}
