import type { ScoredMention } from "../mention";

/**
 * Names of a brand's sub-series: one per problem type and one per source.
 * A mention counts in the series of each problem it reports and of its source.
 */
export type SeriesKind = "problem" | "source";

export const seriesKey = (kind: SeriesKind, name: string): string => `${kind}:${name}`;

export function parseSeriesKey(key: string): { kind: SeriesKind; name: string } | null {
  const colon = key.indexOf(":");
  const kind = key.slice(0, colon);
  if (colon <= 0 || (kind !== "problem" && kind !== "source")) return null;
  return { kind, name: key.slice(colon + 1) };
}

/**
 * Not a series of its own: a source's mentions that report an outage, counted
 * beside the source's series so the incident can tell whether an outage
 * explains that source's spike (inhibition, incidents/lifecycle.ts).
 */
export const sourceOutageKey = (source: string): string => `source-outage:${source}`;

export function seriesOf(m: Pick<ScoredMention, "problems" | "source">): string[] {
  const keys = m.problems.map((p) => seriesKey("problem", p.type));
  keys.push(seriesKey("source", m.source));
  if (m.problems.some((p) => p.type === "outage")) keys.push(sourceOutageKey(m.source));
  return keys;
}
