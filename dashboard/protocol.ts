/**
 * What the dashboard server and the web app say to each other: the HTTP API's
 * bodies and the WebSocket frames. Types only, so the web app stays free of
 * server code. Every mention text here is untrusted user content: render it as
 * text, never as HTML.
 */

export type SentimentLabel = "negative" | "neutral" | "positive";
/** pending: a surge is building and shows here, but nobody has been paged yet. */
export type IncidentState = "pending" | "firing" | "acknowledged" | "resolved";

export interface MentionView {
  id: string;
  source: string;
  url: string;
  authorHandle: string;
  authorName: string;
  authorFollowers: number;
  title: string;
  text: string;
  lang: string;
  /** Epoch ms. */
  publishedAt: number;
  brand: string;
  matchedTerms: string[];
  sentiment: { score: number; label: SentimentLabel; confidence: number; terms: string[] };
  /** Problems the mention reports (outage, delivery, quality, price, service, scandal, security) and the words that decided. */
  problems: { type: string; terms: string[] }[];
}

/** Mutes notices (not incidents) of a brand and/or problem type for a while. */
export interface SilenceView {
  id: string;
  /** null: every brand. */
  brand: string | null;
  /** null: every problem type. */
  problem: string | null;
  startsAt: number;
  endsAt: number;
  createdBy: string;
  reason: string;
  createdAt: number;
}

/** POST /api/silences. Times in epoch ms; startsAt defaults to now. */
export interface SilenceRequest {
  brand?: string | null;
  problem?: string | null;
  startsAt?: number;
  endsAt: number;
  reason?: string;
}

/** One change in an incident's life; actor "earshot" is the system itself. */
export interface IncidentEventView {
  at: number;
  type: "pending" | "firing" | "updated" | "acknowledged" | "resolved" | "dismissed" | "escalated" | "silenced";
  actor: string;
  detail: string;
}

/** One attempt to deliver a notice. */
export interface NotificationView {
  channel: string;
  target: string;
  event: string;
  attempt: number;
  status: "delivered" | "failed" | "silenced";
  httpStatus: number | null;
  error: string;
  at: number;
}

/** A mention quoted as evidence (text clipped for reading at a glance). */
export interface EvidenceMentionView {
  id: string;
  source: string;
  url: string;
  authorHandle: string;
  authorName: string;
  authorFollowers: number;
  text: string;
  lang: string;
  publishedAt: number;
}

/** What the team needs to answer a surge: where it started, who is loudest, what people say, what kind of problem. */
export interface EvidenceView {
  firstMention: EvidenceMentionView | null;
  loudest: EvidenceMentionView[];
  quotes: { lang: string; mentions: EvidenceMentionView[] }[];
  dominantProblem: string | null;
  problems: { type: string; count: number }[];
  negativeMentions: number;
  counts: MinutePoint[];
}

/** The crisis playbook for the incident's problem type, in the reader's language, placeholders filled. */
export interface PlaybookView {
  id: string;
  lang: "en" | "pl" | "ru";
  acknowledgeWithinMinutes: number;
  title: string;
  summary: string;
  checklist: string[];
  statements: { label: string; text: string }[];
}

export interface IncidentDetailView {
  incident: IncidentView;
  events: IncidentEventView[];
  notifications: NotificationView[];
  /** Null for source-down incidents. */
  evidence: EvidenceView | null;
  playbook: PlaybookView | null;
}

/** How one alert channel has been doing; "failing" when its last delivery attempt failed. */
export interface ChannelHealthView {
  channel: string;
  target: string;
  state: "ok" | "failing";
  lastAttemptAt: number;
  lastError: string;
  lastDeliveredAt: number | null;
  failuresSinceDelivered: number;
}

/** A label set by hand on one mention. */
export interface CorrectionView {
  mentionId: string;
  field: "sentiment" | "problems";
  value: string;
  correctedBy: string;
  /** Epoch ms. */
  at: number;
}

export interface IncidentView {
  key: string;
  /** A brand's negative spike, or a source that fails or went silent. */
  kind: "spike" | "source-down";
  /** The source of a source-down incident; null for spikes. */
  source: string | null;
  /** The brand of a spike; "" for a source-down incident. */
  brand: string;
  state: IncidentState;
  severity: "warning" | "critical";
  startedAt: number;
  updatedAt: number;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  resolvedAt: number | null;
  peakNegative: number;
  baseline: number;
  firstMentionId: string;
  summary: string;
}

/** One minute of one brand (event time). */
export interface MinutePoint {
  brand: string;
  /** Epoch ms of the minute's start. */
  minute: number;
  total: number;
  negative: number;
}

/**
 * A source's health, as the dashboard shows it. `state` is derived on the
 * server: "off" (stays off until configured, e.g. credentials missing),
 * "failing" (the last poll failed), "waiting" (no poll or streamed batch yet),
 * else "ok". `lastError` comes from outside (a remote server's answer):
 * render it as text, never as HTML.
 */
/** degraded: the last poll worked only in part (see lastWarning). */
export type SourceState = "ok" | "degraded" | "failing" | "off" | "waiting";

export interface SourceHealthView {
  id: string;
  kind: string;
  mode: "polling" | "streaming" | "pushed";
  state: SourceState;
  /** Epoch ms of the last successful poll (or streamed batch). */
  lastSuccessAt: number | null;
  /** Epoch ms. */
  lastFailureAt: number | null;
  /** Failures since the last success. */
  consecutiveFailures: number;
  /** Kept after a later success, for context. */
  lastError: string | null;
  /** What part of the last successful poll failed; null when all of it worked. */
  lastWarning: string | null;
  /** Mentions in the last successful poll (or streamed batch). */
  itemsLastPoll: number | null;
  lastPollMs: number | null;
  /** Totals since the server started. */
  polls: number;
  failures: number;
  /** Ticks skipped because the previous poll was still running. */
  skipped: number;
  /** At the last success, how old the newest mention collected was (ms); null before any dated mention. */
  lagMs: number | null;
  /** Requests the source's API said were left at the last success; null when the API does not say. */
  quotaLeft: number | null;
}

/** Server → browser, over the WebSocket at /live. */
export type ServerMessage =
  /** First frame after connecting (and after every reconnect): the state to draw. */
  | {
      type: "snapshot";
      serverTime: number;
      brands: string[];
      mentions: MentionView[];
      incidents: IncidentView[];
      timeline: MinutePoint[];
    }
  /** New mentions since the last frame, oldest first; batched, never one frame per mention. */
  | { type: "mentions"; mentions: MentionView[] }
  /** Minutes whose counts changed since the last frame (upserts by brand + minute). */
  | { type: "counts"; counts: MinutePoint[] }
  /** An incident that opened or changed state. */
  | { type: "incident"; incident: IncidentView };

export const LIVE_PATH = "/live";

/** HTTP API (JSON). Every route but POST /api/session needs the session cookie. */
export const API = {
  /** POST {username, password} → 204 and a session cookie; DELETE → 204, cookie cleared. */
  session: "/api/session",
  /** GET → Me. */
  me: "/api/me",
  /** GET ?brand=&limit= → MentionView[] (newest first). */
  mentions: "/api/mentions",
  /** GET ?brand=&from=&to= (epoch ms) → MinutePoint[]. */
  timeline: "/api/timeline",
  /** GET → IncidentView[] (newest first). */
  incidents: "/api/incidents",
  /** GET ?lang=en|pl|ru → IncidentDetailView: the incident, its timeline, every delivery attempt, evidence and playbook. */
  incident: (key: string) => `/api/incidents/${encodeURIComponent(key)}`,
  /** POST → IncidentView (acknowledged). */
  acknowledge: (key: string) => `/api/incidents/${encodeURIComponent(key)}/acknowledge`,
  /** POST {label: SentimentLabel} → 201 CorrectionView: the team's label for one mention, kept for the model to learn from. */
  correctSentiment: (mentionId: string) => `/api/mentions/${encodeURIComponent(mentionId)}/sentiment`,
  /** GET → SilenceView[] (running or still to come); POST SilenceRequest → 201 SilenceView. */
  silences: "/api/silences",
  /** POST → SilenceView ended now. */
  expireSilence: (id: string) => `/api/silences/${encodeURIComponent(id)}/expire`,
  /** GET → ChannelHealthView[]: each alert channel's deliveries over the last week. */
  channels: "/api/channels",
  /** GET → SourceHealthView[], one per running or switched-off source. */
  sources: "/api/sources",
} as const;

export interface LoginRequest {
  username: string;
  password: string;
}
/** viewer: reads; responder: also acknowledges, silences, corrects and works mentions; admin: also manages users. */
export type Role = "viewer" | "responder" | "admin";
export const ROLES: readonly Role[] = ["viewer", "responder", "admin"];

export interface Me {
  username: string;
  role: Role;
}
export interface ApiError {
  error: string;
}

/**
 * State-changing requests must carry this header: a cross-site form cannot set
 * it, so together with the SameSite=Strict cookie it stops CSRF.
 */
export const CSRF_HEADER = "x-earshot-csrf";
