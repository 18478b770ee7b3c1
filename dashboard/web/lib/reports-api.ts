/**
 * The weekly-report calls the dashboard makes: the stored reports, one
 * report's figures, and "make one now". Failures are RequestErrors, as in
 * api.ts; a refusal carries the server's own reason ("brand must be one of …").
 */
import {
  API,
  type ReportLang,
  type WeeklyFiguresView,
  type WeeklyReportDetailView,
  type WeeklyReportRequest,
  type WeeklyReportView,
} from "../../protocol";
import { callJson, RequestError } from "./api";

const LANGS: readonly string[] = ["en", "pl", "ru"];
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;


export function toReportView(v: unknown): WeeklyReportView | null {
  if (!isRecord(v) || typeof v.id !== "string" || typeof v.brand !== "string" || typeof v.week !== "string") return null;
  if (typeof v.lang !== "string" || !LANGS.includes(v.lang)) return null;
  const num = (x: unknown) => (typeof x === "number" && Number.isFinite(x) ? x : 0);
  return {
    id: v.id,
    brand: v.brand,
    week: v.week,
    lang: v.lang as ReportLang,
    timeZone: typeof v.timeZone === "string" ? v.timeZone : "UTC",
    weekStart: num(v.weekStart),
    producedAt: num(v.producedAt),
    producedBy: typeof v.producedBy === "string" ? v.producedBy : "",
    pdfBytes: num(v.pdfBytes),
  };
}

/** Stored reports, newest week first. Entries that fail the checks are left out. */
export async function listReports(): Promise<WeeklyReportView[]> {
  const body = await callJson("GET", API.reports);
  if (!Array.isArray(body)) throw new RequestError(200, null, `${API.reports}: the answer is not a list`);
  return body.map(toReportView).filter((r): r is WeeklyReportView => r !== null);
}

/** One report and its figures. */
export async function fetchReport(id: string): Promise<WeeklyReportDetailView> {
  const path = API.report(id);
  const body = await callJson("GET", path);
  const report = isRecord(body) ? toReportView(body.report) : null;
  const figures = isRecord(body) && isRecord(body.figures) ? body.figures : null;
  if (report === null || figures === null || !Array.isArray(figures.daily) || !isRecord(figures.volume)) {
    throw new RequestError(200, null, `${path}: the answer is not a report`);
  }
  // Our own server's figures, checked for the parts every view reads; mention text in them is rendered as text only.
  return { report, figures: figures as unknown as WeeklyFiguresView };
}

/** Makes (or makes again) a report now; the server answers the stored report. */
export async function makeReport(request: WeeklyReportRequest): Promise<WeeklyReportView> {
  const body = await callJson("POST", API.reports, request);
  const report = toReportView(body);
  if (report === null) throw new RequestError(201, null, `${API.reports}: the answer is not a report`);
  return report;
}

/** The ISO 8601 week ("2026-W47") of the week before `now`, on the browser's calendar. */
export function lastIsoWeek(now: Date = new Date()): string {
  const day = new Date(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate() - 7));
  const weekday = day.getUTCDay() || 7;
  const thursday = new Date(day.getTime() + (4 - weekday) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 / 7) + 1;
  return `${year}-W${String(week).padStart(2, "0")}`;
}
