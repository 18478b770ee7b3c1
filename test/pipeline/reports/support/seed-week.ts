import type { Incident, ScoredMention, SentimentLabel, ProblemType } from "../../../../pipeline/mention";
import type { Store } from "../../../../pipeline/store/store";

/**
 * A known week for the Lumio brand in Europe/Warsaw (2026-W47: Monday 16 to
 * Sunday 22 November 2026, CET = UTC+1) and the week before, with figures
 * counted by hand below. Times are written in UTC; the comments give Warsaw time.
 */
export const ZONE = "Europe/Warsaw";
export const WEEK = "2026-W47";

const at = (iso: string) => Date.parse(iso);
let serial = 0;

export function mention(
  brand: string,
  publishedAt: string,
  label: SentimentLabel,
  text: string,
  extra: { problems?: ProblemType[]; author?: string; name?: string; followers?: number; source?: string } = {},
): ScoredMention {
  serial++;
  const source = extra.source ?? "reddit";
  return {
    id: `${source}:m${serial}`,
    source,
    sourceId: `m${serial}`,
    url: `https://example.test/${serial}`,
    authorHandle: extra.author ?? `user${serial}`,
    authorName: extra.name ?? "",
    authorFollowers: extra.followers ?? 10,
    title: "",
    text,
    publishedAt: at(publishedAt),
    collectedAt: at(publishedAt) + 1_000,
    claimedLang: "",
    rating: null,
    brand,
    matchedTerms: [brand],
    lang: "pl",
    sentiment: { score: label === "negative" ? -0.6 : label === "positive" ? 0.6 : 0, label, confidence: 0.9, terms: [] },
    problems: (extra.problems ?? []).map((type) => ({ type, terms: [] })),
  };
}

/** The repeated complaint: three copies that differ in case, punctuation, a link and an @handle. */
export const REPEATED = "Lumio nie działa!!! Aplikacja leży od rana.";

export const WEEK_MENTIONS: ScoredMention[] = [
  // Monday 16 (00:30 Warsaw is still Sunday 15 in UTC: the day must be counted in Warsaw time)
  mention("Lumio", "2026-11-15T23:30:00Z", "negative", "Awaria Lumio, nic nie działa", { problems: ["outage"], author: "kasia", followers: 1_200 }),
  mention("Lumio", "2026-11-16T08:00:00Z", "negative", "Znowu awaria w Lumio", { problems: ["outage"], author: "kasia", followers: 1_200 }),
  mention("Lumio", "2026-11-16T09:00:00Z", "positive", "Lumio działa szybko", { author: "tomek", followers: 40 }),
  // Tuesday 17: the repeated complaint three times, and a neutral one
  mention("Lumio", "2026-11-17T09:05:00Z", "negative", REPEATED, { problems: ["outage"], author: "ola", followers: 900 }),
  mention("Lumio", "2026-11-17T09:06:00Z", "negative", "RT @ola: lumio nie działa! Aplikacja leży od rana https://t.co/x", { problems: ["outage"], author: "piotr", followers: 20_000, name: "Piotr Żak" }),
  mention("Lumio", "2026-11-17T09:07:00Z", "negative", "LUMIO NIE DZIAŁA — aplikacja leży od rana @lumio_pl", { problems: ["outage"], author: "ewa", followers: 30 }),
  mention("Lumio", "2026-11-17T12:00:00Z", "neutral", "Czy ktoś wie, co z Lumio?", { author: "kasia", followers: 1_200 }),
  // Thursday 19: praise, unrepeated (quotes by reach)
  mention("Lumio", "2026-11-19T10:00:00Z", "positive", "Люмио — отличный сервис, спасибо!", { author: "ivan", followers: 5_000, source: "vk", name: "Иван" }),
  mention("Lumio", "2026-11-19T11:00:00Z", "positive", "Świetna obsługa, polecam Lumio", { author: "zosia", followers: 300 }),
  // Friday 20: a late parcel
  mention("Lumio", "2026-11-20T15:00:00Z", "negative", "Paczka od Lumio spóźniona o tydzień", { problems: ["delivery"], author: "kasia", followers: 1_200 }),
  // Sunday 22, 23:30 Warsaw: the last minutes of the week
  mention("Lumio", "2026-11-22T22:30:00Z", "neutral", "Lumio w niedzielę wieczorem", { author: "tomek", followers: 40 }),
];

export const OUTSIDE_MENTIONS: ScoredMention[] = [
  // Monday 23, 00:30 Warsaw: next week, although still Sunday in UTC
  mention("Lumio", "2026-11-22T23:30:00Z", "negative", "Lumio już w następnym tygodniu", { problems: ["price"] }),
  // another brand in the same week
  mention("Other", "2026-11-18T10:00:00Z", "negative", "Other brand complaint", { problems: ["quality"] }),
];

export const PREVIOUS_WEEK_MENTIONS: ScoredMention[] = [
  mention("Lumio", "2026-11-10T10:00:00Z", "negative", "Lumio podniosło ceny", { problems: ["price"] }),
  mention("Lumio", "2026-11-11T10:00:00Z", "positive", "Lubię Lumio"),
  mention("Lumio", "2026-11-12T10:00:00Z", "positive", "Lumio jest super"),
  mention("Lumio", "2026-11-13T10:00:00Z", "neutral", "Lumio ma nową wersję"),
  mention("Lumio", "2026-11-14T10:00:00Z", "neutral", "Lumio w gazecie"),
];

function incident(over: Partial<Incident> & Pick<Incident, "key" | "startedAt">): Incident {
  return {
    kind: "spike",
    source: null,
    brand: "Lumio",
    state: "resolved",
    severity: "critical",
    updatedAt: over.startedAt,
    acknowledgedAt: null,
    acknowledgedBy: null,
    resolvedAt: null,
    peakNegative: 12,
    baseline: 1,
    firstMentionId: "",
    summary: "",
    ...over,
  };
}

/** Tuesday 10:00 Warsaw: paged at 10:02, acknowledged 10:16 (14 min), resolved 12:00 (2 h after the start). */
export const ACKED = incident({
  key: "lumio-tuesday",
  startedAt: at("2026-11-17T09:00:00Z"),
  updatedAt: at("2026-11-17T11:00:00Z"),
  acknowledgedAt: at("2026-11-17T09:16:00Z"),
  acknowledgedBy: "anna",
  resolvedAt: at("2026-11-17T11:00:00Z"),
  peakNegative: 34,
});
/** Sunday 20:00 Warsaw, still firing: nobody acknowledged it yet. */
export const OPEN = incident({ key: "lumio-sunday", state: "firing", severity: "warning", startedAt: at("2026-11-22T19:00:00Z"), peakNegative: 7 });
/** A surge that faded before it fired: not an incident anyone was paged for. */
const DISMISSED = incident({ key: "lumio-friday", startedAt: at("2026-11-20T15:00:00Z"), resolvedAt: at("2026-11-20T15:10:00Z") });
const OTHER_BRAND = incident({ key: "other-wednesday", brand: "Other", startedAt: at("2026-11-18T10:00:00Z") });

export async function seedWeek(store: Store): Promise<void> {
  await store.insertMentions([...WEEK_MENTIONS, ...OUTSIDE_MENTIONS, ...PREVIOUS_WEEK_MENTIONS]);
  for (const i of [ACKED, OPEN, DISMISSED, OTHER_BRAND]) await store.saveIncident(i);
  const event = (incidentKey: string, iso: string, type: "pending" | "firing" | "acknowledged" | "resolved" | "dismissed", actor = "earshot") =>
    store.recordIncidentEvent({ incidentKey, at: at(iso), type, actor, detail: "" });
  await event(ACKED.key, "2026-11-17T09:00:00Z", "pending");
  await event(ACKED.key, "2026-11-17T09:02:00Z", "firing");
  await event(ACKED.key, "2026-11-17T09:16:00Z", "acknowledged", "anna");
  await event(ACKED.key, "2026-11-17T11:00:00Z", "resolved");
  await event(OPEN.key, "2026-11-22T19:00:00Z", "firing");
  await event(DISMISSED.key, "2026-11-20T15:00:00Z", "pending");
  await event(DISMISSED.key, "2026-11-20T15:10:00Z", "dismissed");
}
