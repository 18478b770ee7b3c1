/**
 * GET API.overview: one brand's overview for a range. Failures are the same
 * RequestError as every other call (lib/api.ts); an answer that is not an
 * overview is refused rather than drawn half.
 */
import { API, OVERVIEW_RANGES, type OverviewRange, type OverviewView } from "../../protocol";
import { callJson, RequestError } from "./api";

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const isShareList = (v: unknown): boolean =>
  Array.isArray(v) && v.every((s) => isRecord(s) && typeof s.value === "string" && isNumber(s.total) && isNumber(s.negative));

/** The checks the page relies on before drawing: shapes, not every field's meaning. */
export function isOverviewView(v: unknown): v is OverviewView {
  if (!isRecord(v)) return false;
  return (
    typeof v.brand === "string" &&
    (OVERVIEW_RANGES as readonly unknown[]).includes(v.range) &&
    isNumber(v.from) &&
    isNumber(v.to) &&
    isNumber(v.bucketMs) &&
    v.bucketMs > 0 &&
    Array.isArray(v.buckets) &&
    v.buckets.every((b) => isRecord(b) && isNumber(b.start) && isNumber(b.total) && isNumber(b.negative)) &&
    isRecord(v.sentiment) &&
    isNumber(v.sentiment.total) &&
    (v.netSentiment === null || isNumber(v.netSentiment)) &&
    (v.negativeShare === null || isNumber(v.negativeShare)) &&
    isShareList(v.sources) &&
    isShareList(v.languages) &&
    isShareList(v.problems) &&
    Array.isArray(v.topAuthors) &&
    v.topAuthors.every((a) => isRecord(a) && typeof a.handle === "string" && typeof a.name === "string" && isNumber(a.reach)) &&
    Array.isArray(v.incidents) &&
    v.incidents.every((i) => isRecord(i) && typeof i.key === "string" && isNumber(i.startedAt))
  );
}

export function overviewPath(brand: string, range: OverviewRange): string {
  return `${API.overview}?${new URLSearchParams({ brand, range }).toString()}`;
}

export async function fetchOverview(brand: string, range: OverviewRange, signal?: AbortSignal): Promise<OverviewView> {
  const path = overviewPath(brand, range);
  const body = await callJson("GET", path, undefined, signal);
  if (!isOverviewView(body)) throw new RequestError(200, null, `${path}: the answer is not an overview`);
  return body;
}
