import { createHash } from "node:crypto";
import type { ReportStore, StoredWeeklyReport } from "../store/report-queries";
import { gatherWeeklyFigures } from "./gather-figures";
import { formatIsoWeek, weekRange, type IsoWeek } from "./iso-week";
import type { ReportLang } from "./report-labels";
import { renderWeeklyPdf } from "./render-pdf";
import type { WeeklyFigures } from "./weekly-figures";

export interface ProduceRequest {
  brand: string;
  week: IsoWeek;
  lang: ReportLang;
  timeZone: string;
  /** A user name, or "schedule". */
  producedBy: string;
  now(): number;
}

export interface ProducedReport {
  stored: StoredWeeklyReport;
  figures: WeeklyFigures;
}

/**
 * A report's id: the week, the language and a digest of the brand, so the
 * same report made twice (by the schedule after a restart, or by hand) is one
 * row, and the id is safe in a URL whatever the brand is called.
 */
export function reportId(brand: string, week: string, lang: string): string {
  const digest = createHash("sha256").update(`${brand}\u0000${week}\u0000${lang}`).digest("hex").slice(0, 12);
  return `${week}-${lang}-${digest}`;
}

/** Reads the week's figures, renders the PDF and stores both (replacing an earlier copy of the same report). */
export async function produceWeeklyReport(store: ReportStore, req: ProduceRequest): Promise<ProducedReport> {
  const figures = await gatherWeeklyFigures(store, { brand: req.brand, week: req.week, timeZone: req.timeZone });
  const producedAt = req.now();
  const pdf = await renderWeeklyPdf(figures, { lang: req.lang, producedAt });
  const week = formatIsoWeek(req.week);
  const stored: StoredWeeklyReport = {
    id: reportId(req.brand, week, req.lang),
    brand: req.brand,
    week,
    lang: req.lang,
    timeZone: req.timeZone,
    weekStart: weekRange(req.week, req.timeZone).from,
    producedAt,
    producedBy: req.producedBy,
    figures: JSON.stringify(figures),
    pdf,
  };
  await store.saveWeeklyReport(stored);
  return { stored, figures };
}
