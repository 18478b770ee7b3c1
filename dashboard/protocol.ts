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
  /** How urgently to look (key customers and high-reach authors first); absent on mentions stored before priority existed. */
  priority?: MentionPriority;
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

/**
 * One change in an incident's life; actor "earshot" is the system itself.
 * signal / inhibited: a series joined (detail "problem:outage", "source:reddit"; inhibited: explained by an outage, not paged);
 * checked / unchecked: a playbook item (detail "<playbook id>#<item index>");
 * silenced from the incident: detail "<ends at, epoch ms>|<problem or empty>|<reason>".
 */
export interface IncidentEventView {
  at: number;
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
  /** The series that spiked within the incident (see IncidentSignalView); absent from older servers. */
  signals?: IncidentSignalView[];
  /** The playbook's ticked items (latest tick per item); absent from older servers. */
  checklist?: PlaybookTickView[];
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
  | { type: "incident"; incident: IncidentView }
  | MentionWorkflowMessage;

export const LIVE_PATH = "/live";

/** HTTP API (JSON). Every route but POST /api/session needs the session cookie. */
export const API = {
  /** POST {username, password} → 204 and a session cookie; DELETE → 204, cookie cleared. */
  session: "/api/session",
  /** GET → Me. */
  me: "/api/me",
  /** GET ?brand=&lang=&sentiment=&source=&problem=&priority=&q=&before=&limit= (MentionQuery) → MentionView[] (newest first, with `workflow`). */
  mentions: "/api/mentions",
  /** GET ?brand=&from=&to= (epoch ms) → MinutePoint[]. */
  timeline: "/api/timeline",
  /** GET → IncidentView[] (newest first). */
  incidents: "/api/incidents",
  /** GET ?lang=en|pl|ru → IncidentDetailView: the incident, its timeline, every delivery attempt, evidence and playbook. */
  incident: (key: string) => `/api/incidents/${encodeURIComponent(key)}`,
  /** POST → IncidentView (acknowledged). */
  acknowledge: (key: string) => `/api/incidents/${encodeURIComponent(key)}/acknowledge`,
  /** POST (responder) → IncidentView (resolved by the signed-in user). */
  resolveIncident: (key: string) => `/api/incidents/${encodeURIComponent(key)}/resolve`,
  /** POST IncidentSilenceRequest (responder) → 201 SilenceView: mutes the incident's brand [+ problem] until a time. */
  silenceIncident: (key: string) => `/api/incidents/${encodeURIComponent(key)}/silence`,
  /** POST PlaybookTickRequest (responder) → PlaybookTickView: ticks or unticks one checklist item. */
  playbookTick: (key: string) => `/api/incidents/${encodeURIComponent(key)}/playbook`,
  /** POST {label: SentimentLabel} → 201 CorrectionView: the team's label for one mention, kept for the model to learn from. */
  correctSentiment: (mentionId: string) => `/api/mentions/${encodeURIComponent(mentionId)}/sentiment`,
  /** GET → MentionWorkflowDetail; POST or PATCH MentionWorkflowRequest (responder) → MentionWorkflowView, broadcast to every client. */
  mentionWorkflow: (mentionId: string) => `/api/mentions/${encodeURIComponent(mentionId)}/workflow`,
  /** POST {problems: ProblemType[]} (responder) → 201 CorrectionView: the team's problem types for one mention. */
  correctProblems: (mentionId: string) => `/api/mentions/${encodeURIComponent(mentionId)}/problems`,
  /** GET ?limit= → MentionWorkflowView[]: the most recently changed, newest change first. */
  mentionWorkflows: "/api/mention-workflows",
  /** GET → SilenceView[] (running or still to come); POST SilenceRequest → 201 SilenceView. */
  silences: "/api/silences",
  /** POST → SilenceView ended now. */
  expireSilence: (id: string) => `/api/silences/${encodeURIComponent(id)}/expire`,
  /** GET → ChannelHealthView[]: each alert channel's deliveries over the last week. */
  channels: "/api/channels",
  /** GET → SourceHealthView[], one per running or switched-off source. */
  sources: "/api/sources",
  /** GET ?brand=&range=hour|day|week → OverviewView: one brand's volume, negative share, net sentiment, breakdowns, loudest negative authors, incidents. */
  overview: "/api/overview",
  /** GET ?brand=&limit= → WeeklyReportView[] (newest week first); POST WeeklyReportRequest (responder) → 201 WeeklyReportView, made now. */
  reports: "/api/reports",
  /** GET → WeeklyReportDetailView: the stored report's figures. */
  report: (id: string) => `/api/reports/${encodeURIComponent(id)}`,
  /** GET → the stored PDF (application/pdf, as an attachment). */
  reportPdf: (id: string) => `/api/reports/${encodeURIComponent(id)}.pdf`,
  /** GET → UserView[]; POST NewUserRequest → 201 NewUserReply (admin only). */
  users: "/api/users",
  /** PATCH UserChangeRequest → UserView; DELETE → 204 (admin only; never the last admin). */
  user: (username: string) => `/api/users/${encodeURIComponent(username)}`,
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

// --- Incidents: signals, playbook checklist, resolve and silence from an incident ---

/** One series that spiked within an incident: the brand's negatives, a problem type's, a source's. */
export interface IncidentSignalView {
  kind: "brand" | "problem" | "source";
  /** The brand, a problem type (outage, delivery, …) or a source kind. */
  name: string;
  /** Epoch ms of the minute it joined. */
  firstAt: number;
  /** Epoch ms of its latest spiking minute. */
  lastSpikeAt: number;
  peakNegative: number;
  /** Detector scores 0..1 (0.5 = alert threshold): at the peak and now. */
  peakScore: number;
  score: number;
  baseline: number;
  /** Explained by an open outage signal: recorded, not paged. */
  inhibited: boolean;
}

/** A checklist item's latest state: who ticked (or unticked) it and when. */
export interface PlaybookTickView {
  playbookId: string;
  /** Index in PlaybookView.checklist. */
  item: number;
  checked: boolean;
  by: string;
  /** Epoch ms. */
  at: number;
}

/** POST API.playbookTick(key). */
export interface PlaybookTickRequest {
  playbookId: string;
  item: number;
  checked: boolean;
}

/** POST API.silenceIncident(key): mute the incident's brand (and its problem type when `problem` is given) until `endsAt`. */
export interface IncidentSilenceRequest {
  endsAt: number;
  problem?: string | null;
  reason?: string;
}

// --- Live stream and mention workflow ---

/** high: key customers, high-reach authors, worrying posts with reach; low: unworrying posts by small accounts. */
export type MentionPriority = "high" | "normal" | "low";
export const MENTION_PRIORITIES: readonly MentionPriority[] = ["high", "normal", "low"];

/** The team's work on one mention, in order. */
export type WorkflowStatus = "new" | "in-progress" | "responded" | "resolved";
export const WORKFLOW_STATUSES: readonly WorkflowStatus[] = ["new", "in-progress", "responded", "resolved"];

export interface MentionWorkflowView {
  mentionId: string;
  brand: string;
  status: WorkflowStatus;
  /** A dashboard username; null when nobody has it. */
  assignee: string | null;
  tags: string[];
  note: string;
  /** Who made the last change, and when (epoch ms). */
  updatedBy: string;
  updatedAt: number;
}

/** GET API.mentionWorkflow(id): the current state (null: never worked on) and every change, oldest first. */
export interface MentionWorkflowDetail {
  workflow: MentionWorkflowView | null;
  history: Omit<MentionWorkflowView, "brand">[];
}

/** POST/PATCH API.mentionWorkflow(id): fields left out keep their value. */
export interface MentionWorkflowRequest {
  status?: WorkflowStatus;
  assignee?: string | null;
  tags?: string[];
  note?: string;
}

/**
 * The stream's filters: GET API.mentions takes them as query parameters, and the
 * web app applies the same ones to the live flow (dashboard/web/lib/mention-filter.ts;
 * the SQL in pipeline/store/mention-workflow-queries.ts mirrors it). Absent: no filter.
 */
export interface MentionQuery {
  brand?: string;
  lang?: string;
  sentiment?: SentimentLabel;
  source?: string;
  problem?: string;
  priority?: MentionPriority;
  /** Case-insensitive substring of title + " " + text. */
  q?: string;
}

/** Longest `q` and other text filters the API takes. */
export const MENTION_QUERY_MAX_CHARS = 200;

/** A MentionView as GET API.mentions answers it: with the team's workflow (absent: never worked on). */
export type MentionWithWorkflow = MentionView & { workflow?: MentionWorkflowView };

/** A mention's workflow changed: every client updates its row. */
export interface MentionWorkflowMessage {
  type: "mention-workflow";
  workflow: MentionWorkflowView;
}

/** The `before` parameter of GET API.mentions for the page after `oldest` (the last mention shown): older than it, in stream order. */
export const mentionCursor = (oldest: { publishedAt: number; id: string }): string => `${oldest.publishedAt}:${oldest.id}`;

// ---------------------------------------------------------------------------
// Users and roles: who may sign in, their role, and the settings they keep.

/** A UI language a user can keep. */
export type UiLang = "en" | "pl" | "ru";

/** GET API.me answers this (a Me with the user's own settings); PATCH API.me MeChangeRequest answers it too. */
export interface MeProfile extends Me {
  /** null: not chosen yet (the browser's preference applies). */
  lang: UiLang | null;
  /** An IANA time zone for dates; null: the browser's own. */
  timeZone: string | null;
}

/** PATCH API.me: the user's own settings. A new password needs the current one (403 when wrong). */
export interface MeChangeRequest {
  lang?: UiLang | null;
  timeZone?: string | null;
  password?: { current: string; next: string };
}

/** A user as admins see them (never a password or its hash). */
export interface UserView {
  username: string;
  role: Role;
  lang: UiLang | null;
  timeZone: string | null;
  disabled: boolean;
  /** Epoch ms. */
  createdAt: number;
  updatedAt: number;
}

/** POST API.users. Without a password the server makes one and answers it once. */
export interface NewUserRequest {
  username: string;
  role: Role;
  password?: string;
  lang?: UiLang | null;
}

export interface NewUserReply {
  user: UserView;
  /** The password the server made (show it once); null when the request gave one. */
  generatedPassword: string | null;
}

/** PATCH API.user(name): any subset. 409 when it would leave no enabled admin. */
export interface UserChangeRequest {
  role?: Role;
  disabled?: boolean;
  password?: string;
  lang?: UiLang | null;
  timeZone?: string | null;
}

// ---------------------------------------------------------------------------
// Overview per brand: volume and negative share over time, net sentiment,
// breakdowns and the loudest negative authors (GET API.overview).

/** hour: 60 one-minute buckets; day: 96 of 15 minutes; week: 168 of one hour. */
export type OverviewRange = "hour" | "day" | "week";
export const OVERVIEW_RANGES: readonly OverviewRange[] = ["hour", "day", "week"];

/** One bucket of the chart; every bucket of the window is present, quiet ones as zeros. */
export interface OverviewBucket {
  /** Epoch ms of the bucket's start. */
  start: number;
  total: number;
  negative: number;
}

/** One value of a breakdown (a source kind, a language code, a problem type) over the window. */
export interface OverviewShare {
  value: string;
  total: number;
  negative: number;
}

/** An author of negative mentions, by reach (followers where the source says). */
export interface OverviewAuthor {
  handle: string;
  name: string;
  source: string;
  reach: number;
  /** Negative mentions by this author in the window. */
  negative: number;
}

/** An incident of the brand that overlaps the window; the chart marks its start, acknowledgement and resolution. */
export interface OverviewIncident {
  key: string;
  state: IncidentState;
  severity: "warning" | "critical";
  startedAt: number;
  acknowledgedAt: number | null;
  resolvedAt: number | null;
  summary: string;
}

export interface OverviewView {
  brand: string;
  range: OverviewRange;
  /** Epoch ms: the window is [from, to), cut in buckets of bucketMs aligned to UTC. */
  from: number;
  to: number;
  bucketMs: number;
  buckets: OverviewBucket[];
  /** Distinct mentions in the window by sentiment label. */
  sentiment: { total: number; negative: number; neutral: number; positive: number };
  /** (positive − negative) / total in [-1, 1]; null with no mentions. */
  netSentiment: number | null;
  /** negative / total in [0, 1]; null with no mentions. */
  negativeShare: number | null;
  /** Largest first. A mention may report several problems or none, so problems need not sum to the total. */
  sources: OverviewShare[];
  languages: OverviewShare[];
  problems: OverviewShare[];
  /** Largest reach first, at most 10. */
  topAuthors: OverviewAuthor[];
  /** Oldest first. */
  incidents: OverviewIncident[];
}

// ---------------------------------------------------------------------------
// Weekly reports (pipeline/reports): what managers read, per brand and ISO week.

export type ReportLang = "en" | "pl" | "ru";

/** A stored weekly report, without its figures. */
export interface WeeklyReportView {
  id: string;
  brand: string;
  /** ISO 8601 week, e.g. "2026-W47". */
  week: string;
  lang: ReportLang;
  /** The IANA zone its week and days were cut in. */
  timeZone: string;
  /** Epoch ms of Monday 00:00 in timeZone. */
  weekStart: number;
  producedAt: number;
  /** A user name, "cli" or "schedule". */
  producedBy: string;
  pdfBytes: number;
}

/** A figure and its change since the week before: relative for counts (0.25 = +25 %), a difference for shares and net sentiment. */
export interface WeeklyTrendView {
  current: number | null;
  previous: number | null;
  change: number | null;
  kind: "relative" | "points";
}

export interface WeeklyQuoteView {
  /** Untrusted mention text: render as text. */
  text: string;
  copies: number;
  reach: number;
  authorHandle: string;
  source: string;
  url: string;
  lang: string;
  publishedAt: number;
}

export interface WeeklyAuthorView {
  source: string;
  handle: string;
  name: string;
  reach: number;
  count: number;
  negative: number;
}

export interface WeeklyFiguresView {
  brand: string;
  week: string;
  previousWeek: string;
  timeZone: string;
  from: number;
  to: number;
  volume: WeeklyTrendView;
  netSentiment: WeeklyTrendView;
  negativeShare: WeeklyTrendView;
  counts: { total: number; negative: number; positive: number; neutral: number };
  /** Monday → Sunday; `day` is the local midnight in timeZone. */
  daily: { day: number; total: number; negative: number; positive: number }[];
  problems: { type: string; count: number; previous: number; change: number; share: number }[];
  sources: { source: string; count: number; negative: number }[];
  authorsByReach: WeeklyAuthorView[];
  authorsByCount: WeeklyAuthorView[];
  incidents: {
    key: string;
    severity: string;
    state: string;
    startedAt: number;
    acknowledgedAt: number | null;
    acknowledgedBy: string | null;
    resolvedAt: number | null;
    timeToAcknowledgeMs: number | null;
    timeToResolveMs: number | null;
    peakNegative: number;
    summary: string;
  }[];
  incidentSummary: { count: number; medianTimeToAcknowledgeMs: number | null; medianTimeToResolveMs: number | null };
  /** basis "repeats": near-duplicates grouped, most repeated first; "reach": nothing was repeated, largest reach first. */
  quotes: {
    negative: { basis: "repeats" | "reach"; items: WeeklyQuoteView[] };
    positive: { basis: "repeats" | "reach"; items: WeeklyQuoteView[] };
  };
}

export interface WeeklyReportDetailView {
  report: WeeklyReportView;
  figures: WeeklyFiguresView;
}

/** POST /api/reports: week defaults to last week, lang to en. */
export interface WeeklyReportRequest {
  brand: string;
  week?: string;
  lang?: ReportLang;
}
