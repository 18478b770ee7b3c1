/** The domain nouns, from a cleaned mention to an incident. */
export type { RawMention } from "../collectors/source";

/**
 * ISO 639-1 code of a mention's language, or `und` (ISO 639-2 "undetermined").
 * pl, ru, uk and en are scored; the others are detected so they are not mistaken
 * for them (pipeline/stages/language/languages.ts).
 */
export type Lang = "en" | "pl" | "ru" | "uk" | "de" | "fr" | "es" | "it" | "pt" | "nl" | "cs" | "sk" | "be" | "und";
export type SentimentLabel = "negative" | "neutral" | "positive";

/** The kinds of problem a mention can report, in the order tags are listed. */
export const PROBLEM_TYPES = ["outage", "delivery", "quality", "price", "service", "scandal", "security"] as const;

/**
 * - outage: a service, app, site or network is down or failing;
 * - delivery: an order or parcel is late, lost or not delivered;
 * - quality: a product is broken, faulty, spoiled or badly made;
 * - price: prices, fees, charges and price rises;
 * - service: customer service, support, hotlines, complaints and refunds handled badly;
 * - scandal: PR and reputation: boycotts, outrage, offensive ads, misconduct;
 * - security: data leaks, hacks, fraud, scams and phishing.
 */
export type ProblemType = (typeof PROBLEM_TYPES)[number];

/** One problem type found in a text, with the words (as written) that decided it. */
export interface ProblemTag {
  type: ProblemType;
  terms: string[];
}

/** A mention cleaned and matched to a watched brand. */
export interface Mention {
  /** `source:nativeId`: the same post collected twice is one row. */
  id: string;
  source: string;
  sourceId: string;
  url: string;
  authorHandle: string;
  authorName: string;
  authorFollowers: number;
  title: string;
  /** Plain text: HTML stripped, entities decoded, whitespace folded, length capped. */
  text: string;
  /** Epoch milliseconds. */
  publishedAt: number;
  collectedAt: number;
  /** Language claimed by the source, if any; `lang` below is what we detected. */
  claimedLang: string;
  rating: number | null;
  brand: string;
  matchedTerms: string[];
  lang: Lang;
}

export interface Sentiment {
  /** In [-1, 1]. */
  score: number;
  label: SentimentLabel;
  /** In [0, 1]. */
  confidence: number;
  /** The words that decided, e.g. ["nie działa", "awaria"]. */
  terms: string[];
}

export interface ScoredMention extends Mention {
  sentiment: Sentiment;
  /** The problems it reports, in PROBLEM_TYPES order; empty when none. */
  problems: ProblemTag[];
  /** How urgently a person should look (pipeline/stages/rank-priority.ts); absent on mentions stored before priority existed. */
  priority?: MentionPriority;
}

/** high: key customers, high-reach authors, worrying posts with reach; low: unworrying posts by small accounts. */
export type MentionPriority = "high" | "normal" | "low";
export const MENTION_PRIORITIES = ["high", "normal", "low"] as const satisfies readonly MentionPriority[];

/** pending: a surge is building and shows on the dashboard, but nobody has been paged yet. */
export type IncidentState = "pending" | "firing" | "acknowledged" | "resolved";

export interface Incident {
  /** Stable per episode: shared by the first notice, repeats and the resolve. */
  key: string;
  /** A brand's negative spike, or a source that fails or went silent. */
  kind: "spike" | "source-down";
  /** The configured source id of a source-down incident; null for spikes. */
  source: string | null;
  /** The brand of a spike; "" for a source-down incident. */
  brand: string;
  state: IncidentState;
  severity: "warning" | "critical";
  /** Epoch ms of the first minute that raised it (event time). */
  startedAt: number;
  /** Epoch ms (wall clock) of the last change. */
  updatedAt: number;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  resolvedAt: number | null;
  /** Negative mentions in the peak minute and the baseline it was judged against. */
  peakNegative: number;
  baseline: number;
  /** Id and text of the first negative mention of the surge. */
  firstMentionId: string;
  summary: string;
  /**
   * The series whose spikes make up this episode: the brand's own negatives,
   * a problem type's, a source's. Absent on incidents stored before signals
   * existed and on source-down incidents.
   */
  signals?: IncidentSignal[];
}

/** One series that spiked within an incident (grouping: one brand surge, several signals). */
export interface IncidentSignal {
  kind: "brand" | "problem" | "source";
  /** The brand's name, a ProblemType, or a source kind. */
  name: string;
  /** Epoch ms (event time) of the minute it joined the incident. */
  firstAt: number;
  /** Epoch ms (event time) of its latest spiking minute. */
  lastSpikeAt: number;
  /** Negative mentions in its peak minute, and the detector's score (0..1; 0.5 = alert threshold) at the peak and now. */
  peakNegative: number;
  peakScore: number;
  score: number;
  /** Its usual count at the peak. */
  baseline: number;
  /** Explained by an open outage signal of the same brand: recorded, never pages, does not keep the incident open. */
  inhibited: boolean;
}

/** Counts of one brand in one minute of event time. */
export interface MinuteCount {
  brand: string;
  /** Epoch ms of the start of the minute. */
  minute: number;
  total: number;
  negative: number;
}

/** What the pipeline tells the dashboard as it happens. */
export type LiveEvent =
  | { type: "mention"; mention: ScoredMention }
  | { type: "count"; count: MinuteCount }
  | { type: "incident"; incident: Incident };
