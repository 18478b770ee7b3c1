import type { IncomingMessage, ServerResponse } from "node:http";
import {
  API,
  OVERVIEW_RANGES,
  type OverviewBucket,
  type OverviewIncident,
  type OverviewRange,
  type OverviewShare,
  type OverviewView,
} from "../protocol";
import type { Incident } from "../../pipeline/mention";
import type { OverviewBucketRecord, OverviewFacetRecord, OverviewStore } from "../../pipeline/store/overview-queries";
import type { ApiHandler } from "./api";
import { HttpError, sendJson } from "./http";

/**
 * GET API.overview?brand=&range=hour|day|week: one brand's overview in one
 * answer, for any signed-in user (it only reads). The window ends with the
 * bucket in progress, so the newest minute is on the chart as it fills.
 */

export interface OverviewDeps {
  store: OverviewStore;
  /** Epoch ms: the server's now (mentions are in its event time). */
  now(): number;
}

const MINUTE_MS = 60_000;
/** Bucket size and bucket count per range. */
export const OVERVIEW_GRAIN: Readonly<Record<OverviewRange, { bucketMs: number; buckets: number }>> = {
  hour: { bucketMs: MINUTE_MS, buckets: 60 },
  day: { bucketMs: 15 * MINUTE_MS, buckets: 96 },
  week: { bucketMs: 60 * MINUTE_MS, buckets: 168 },
};
export const TOP_AUTHORS = 10;
const MAX_BRAND_CHARS = 200;

/**
 * The window of a range at `now`: whole buckets aligned to UTC (so a bucket
 * does not shift as time passes), the last one holding `now`.
 */
export function overviewWindow(range: OverviewRange, now: number): { from: number; to: number; bucketMs: number } {
  const { bucketMs, buckets } = OVERVIEW_GRAIN[range];
  const to = (Math.floor(now / bucketMs) + 1) * bucketMs;
  return { from: to - buckets * bucketMs, to, bucketMs };
}

/** Every bucket of [from, to), zero where the store had none, so a quiet hour shows as a dip rather than a gap. */
export function fillBuckets(records: readonly OverviewBucketRecord[], from: number, to: number, bucketMs: number): OverviewBucket[] {
  const count = Math.max(0, Math.ceil((to - from) / bucketMs));
  const buckets: OverviewBucket[] = Array.from({ length: count }, (_, i) => ({ start: from + i * bucketMs, total: 0, negative: 0 }));
  for (const r of records) {
    const bucket = buckets[Math.floor((r.start - from) / bucketMs)];
    if (bucket === undefined) continue;
    bucket.total += r.total;
    bucket.negative += r.negative;
  }
  return buckets;
}

/** The answer's figures from the store's facet rows: breakdowns largest first, sentiment totals, net sentiment. */
export function summarizeFacets(rows: readonly OverviewFacetRecord[]): Pick<
  OverviewView,
  "sentiment" | "netSentiment" | "negativeShare" | "sources" | "languages" | "problems"
> {
  const of = (facet: OverviewFacetRecord["facet"]): OverviewShare[] =>
    rows
      .filter((r) => r.facet === facet && r.total > 0)
      .map(({ value, total, negative }) => ({ value, total, negative }))
      .sort((a, b) => b.total - a.total || b.negative - a.negative || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  const label = (value: string): number => rows.find((r) => r.facet === "sentiment" && r.value === value)?.total ?? 0;
  const negative = label("negative");
  const neutral = label("neutral");
  const positive = label("positive");
  // Each mention has exactly one label, so the labels' sum is the window's total.
  const total = negative + neutral + positive;
  return {
    sentiment: { total, negative, neutral, positive },
    netSentiment: total === 0 ? null : (positive - negative) / total,
    negativeShare: total === 0 ? null : negative / total,
    sources: of("source"),
    languages: of("lang"),
    problems: of("problem"),
  };
}

export function toOverviewIncident(i: Incident): OverviewIncident {
  return {
    key: i.key,
    state: i.state,
    severity: i.severity,
    startedAt: i.startedAt,
    acknowledgedAt: i.acknowledgedAt,
    resolvedAt: i.resolvedAt,
    summary: i.summary,
  };
}

/** The brand and range of a request, or a 400 naming the parameter that is wrong. */
export function overviewQuery(params: URLSearchParams): { brand: string; range: OverviewRange } {
  const one = (name: string): string | undefined => {
    const values = params.getAll(name);
    if (values.length > 1) throw new HttpError(400, `${name} is given more than once`);
    return values[0];
  };
  const brand = one("brand");
  if (brand === undefined || brand.length === 0 || brand.length > MAX_BRAND_CHARS) {
    throw new HttpError(400, `brand is required (1–${MAX_BRAND_CHARS} characters)`);
  }
  const range = one("range") ?? "hour";
  if (!(OVERVIEW_RANGES as readonly string[]).includes(range)) {
    throw new HttpError(400, `range must be one of ${OVERVIEW_RANGES.join(", ")}`);
  }
  return { brand, range: range as OverviewRange };
}

/** Builds the whole answer: four reads of the store, run together. */
export async function buildOverview(store: OverviewStore, brand: string, range: OverviewRange, now: number): Promise<OverviewView> {
  const { from, to, bucketMs } = overviewWindow(range, now);
  const [buckets, facets, authors, incidents] = await Promise.all([
    store.overviewBuckets({ brand, from, to, bucketMs }),
    store.overviewFacets({ brand, from, to }),
    store.overviewAuthors({ brand, from, to, limit: TOP_AUTHORS }),
    store.overviewIncidents({ brand, from, to }),
  ]);
  return {
    brand,
    range,
    from,
    to,
    bucketMs,
    buckets: fillBuckets(buckets, from, to, bucketMs),
    ...summarizeFacets(facets),
    topAuthors: authors,
    incidents: incidents.map(toOverviewIncident),
  };
}

export function createOverviewRoutes(deps: OverviewDeps): ApiHandler {
  return async (req, res: ServerResponse, url) => {
    if (url.pathname !== API.overview) return false;
    allowGet(req);
    const { brand, range } = overviewQuery(url.searchParams);
    sendJson(res, 200, await buildOverview(deps.store, brand, range, deps.now()));
    return true;
  };
}

function allowGet(req: IncomingMessage): void {
  if (req.method === "GET" || req.method === "HEAD") return;
  throw new HttpError(405, "use GET here", { Allow: "GET, HEAD" });
}
