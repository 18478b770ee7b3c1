import { API, type WeeklyFiguresView, type WeeklyReportDetailView, type WeeklyReportView } from "../protocol";
import { formatIsoWeek, parseIsoWeek, previousWeek, weekOf } from "../../pipeline/reports/iso-week";
import { produceWeeklyReport } from "../../pipeline/reports/produce-report";
import { isReportLang, type ReportLang } from "../../pipeline/reports/report-labels";
import type { WeeklyFigures } from "../../pipeline/reports/weekly-figures";
import { reportFilename } from "../../pipeline/reports/weekly-run";
import type { StoredWeeklyReport, WeeklyReportSummary } from "../../pipeline/store/report-queries";
import type { Store } from "../../pipeline/store/store";
import type { ApiHandler } from "./api";
import { HttpError, readJsonBody, sendJson } from "./http";
import { requireRole } from "./roles";

/**
 * The weekly reports over HTTP: the list, one report's figures, its PDF as a
 * download, and "make one now" for a responder. A report is identified by the
 * id the store gave it (week, language and a digest of the brand), checked
 * to that shape before it reaches a query.
 */
export interface ReportRoutesDeps {
  store: Pick<Store, "weeklyReports" | "weeklyReport" | "brands"> & Parameters<typeof produceWeeklyReport>[0];
  /** The zone weeks start in (reports.weekly.timeZone, else alerts.timeZone). */
  timeZone: string;
  /** The configured brands; without it, the brands that have stored mentions. */
  brands?: readonly string[];
  now(): number;
}

const ONE = /^\/api\/reports\/(\d{4}-W\d{2}-(?:en|pl|ru)-[0-9a-f]{12})(\.pdf)?$/;
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 500;
const MAX_BODY_BYTES = 2_048;

export function createReportRoutes(deps: ReportRoutesDeps): ApiHandler {
  return async (req, res, url, session) => {
    const path = url.pathname;
    if (path === API.reports) {
      if (req.method === "POST") {
        requireRole(session, "responder");
        const body = await readJsonBody(req, MAX_BODY_BYTES);
        const request = await reportRequest(body, deps);
        const { stored } = await produceWeeklyReport(deps.store, {
          ...request,
          timeZone: deps.timeZone,
          producedBy: session.username,
          now: deps.now,
        });
        sendJson(res, 201, toReportView({ ...stored, pdfBytes: stored.pdf.length }));
        return true;
      }
      allow(req.method);
      const brand = single(url.searchParams, "brand");
      const limitText = single(url.searchParams, "limit");
      const limit = limitText === undefined ? DEFAULT_LIMIT : /^\d{1,3}$/.test(limitText) ? Number(limitText) : NaN;
      if (!(limit >= 1 && limit <= MAX_LIMIT)) throw new HttpError(400, `limit must be a whole number from 1 to ${MAX_LIMIT}`);
      const reports = await deps.store.weeklyReports(brand === undefined || brand === "" ? { limit } : { brand, limit });
      const body: WeeklyReportView[] = reports.map(toReportView);
      sendJson(res, 200, body);
      return true;
    }
    if (!path.startsWith(`${API.reports}/`)) return false;
    const match = ONE.exec(path);
    if (match === null) throw new HttpError(404, "no such report");
    allow(req.method);
    const stored = await deps.store.weeklyReport(match[1]!);
    if (stored === null) throw new HttpError(404, "no such report");
    if (match[2] === ".pdf") {
      sendPdf(res, stored);
      return true;
    }
    const body: WeeklyReportDetailView = {
      report: toReportView({ ...stored, pdfBytes: stored.pdf.length }),
      figures: JSON.parse(stored.figures) as WeeklyFigures satisfies WeeklyFiguresView,
    };
    sendJson(res, 200, body);
    return true;
  };
}

function sendPdf(res: Parameters<ApiHandler>[1], r: StoredWeeklyReport): void {
  const filename = reportFilename(r);
  res.writeHead(200, {
    "Content-Type": "application/pdf",
    "Content-Length": String(r.pdf.length),
    // the ASCII name for every client, and the same name again in RFC 5987 form (RFC 6266 §4.3)
    "Content-Disposition": `attachment; filename="${filename}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
    "Cache-Control": "private, no-store",
  });
  res.end(r.pdf);
}

function toReportView(r: WeeklyReportSummary): WeeklyReportView {
  return {
    id: r.id,
    brand: r.brand,
    week: r.week,
    lang: isReportLang(r.lang) ? r.lang : "en",
    timeZone: r.timeZone,
    weekStart: r.weekStart,
    producedAt: r.producedAt,
    producedBy: r.producedBy,
    pdfBytes: r.pdfBytes,
  };
}

async function reportRequest(body: unknown, deps: ReportRoutesDeps): Promise<{ brand: string; week: ReturnType<typeof previousWeek>; lang: ReportLang }> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'the body must be {"brand": "…", "week"?: "2026-W47", "lang"?: "en" | "pl" | "ru"}');
  }
  const b = body as Record<string, unknown>;
  const problems: string[] = [];
  const brands = deps.brands ?? (await deps.store.brands());
  const brand = typeof b.brand === "string" ? brands.find((name) => name.toLowerCase() === (b.brand as string).toLowerCase()) : undefined;
  if (brand === undefined) problems.push(`brand must be one of: ${brands.join(", ") || "(no brands yet)"}`);
  const week = b.week === undefined ? previousWeek(weekOf(deps.now(), deps.timeZone)) : typeof b.week === "string" ? parseIsoWeek(b.week) : null;
  if (week === null) problems.push("week must be an ISO 8601 week such as 2026-W47");
  else if (formatIsoWeek(week) > formatIsoWeek(weekOf(deps.now(), deps.timeZone))) problems.push("week must not be in the future");
  const lang = b.lang ?? "en";
  if (!isReportLang(lang)) problems.push("lang must be en, pl or ru");
  if (problems.length > 0 || brand === undefined || week === null || !isReportLang(lang)) throw new HttpError(400, problems.join("; "));
  return { brand, week, lang };
}

function allow(method: string | undefined): void {
  if (method === "GET" || method === "HEAD") return;
  throw new HttpError(405, "use GET here", { Allow: "GET, HEAD" });
}

function single(params: URLSearchParams, name: string): string | undefined {
  const values = params.getAll(name);
  if (values.length > 1) throw new HttpError(400, `${name} is given more than once`);
  return values[0];
}
