import type { Logger } from "../../collectors/source";
import type { ReportStore, StoredWeeklyReport } from "../store/report-queries";
import type { Store } from "../store/store";
import { formatIsoWeek, previousWeek, weekOf, weekRange, type IsoWeek } from "./iso-week";
import type { ReportLang } from "./report-labels";
import type { ReportMailer } from "./report-mailer";
import { produceWeeklyReport, reportId } from "./produce-report";
import { renderReportEmail } from "./render-email";
import type { WeeklyFigures } from "./weekly-figures";

export interface Manager {
  name: string;
  email: string;
  lang: ReportLang;
  /** Unset: every configured brand. */
  brands?: readonly string[] | undefined;
}

export interface WeeklyRunDeps {
  /** mentionsBetween: whether the brand was heard at all before the week ended. */
  store: ReportStore & Pick<Store, "mentionsBetween">;
  /** The configured brands. */
  brands: readonly string[];
  managers: readonly Manager[];
  timeZone: string;
  /** Null: reports are made and kept, and nobody is e-mailed (no SMTP relay configured). */
  mailer: ReportMailer | null;
  log: Logger;
  now(): number;
}

export interface WeeklyRunResult {
  week: string;
  /** Ids of reports made in this run (not those found already made). */
  produced: string[];
  sent: { reportId: string; email: string }[];
  failed: { reportId: string; email: string; error: string }[];
  /** Deliveries skipped because an earlier run delivered them. */
  alreadySent: number;
}

/**
 * Last week's reports: one per brand and language some manager needs, made
 * only when not stored yet, and e-mailed to each manager who has no delivered
 * record for it yet. Both checks read the store, so a run repeated after a
 * restart (or a second cron tick) neither makes nor sends a week twice, and a
 * delivery that failed is tried again by the next run.
 */
export async function runWeeklyReports(deps: WeeklyRunDeps, week: IsoWeek = previousWeek(weekOf(deps.now(), deps.timeZone))): Promise<WeeklyRunResult> {
  const weekText = formatIsoWeek(week);
  const result: WeeklyRunResult = { week: weekText, produced: [], sent: [], failed: [], alreadySent: 0 };
  const known = new Set(deps.brands);
  const needed = new Map<string, { brand: string; lang: ReportLang }>();
  for (const m of deps.managers) {
    for (const brand of m.brands ?? deps.brands) {
      if (!known.has(brand)) {
        deps.log.warn({ brand, manager: m.email }, "weekly report: the manager's brand is not configured; skipped");
        continue;
      }
      needed.set(reportId(brand, weekText, m.lang), { brand, lang: m.lang });
    }
  }
  // Without managers the reports are still made, in English, for the dashboard.
  if (deps.managers.length === 0) for (const brand of deps.brands) needed.set(reportId(brand, weekText, "en"), { brand, lang: "en" });

  const reports = new Map<string, { stored: StoredWeeklyReport; figures: WeeklyFigures }>();
  const { to: end } = weekRange(week, deps.timeZone);
  const heardBefore = new Map<string, boolean>();
  for (const [id, { brand, lang }] of needed) {
    const existing = await deps.store.weeklyReport(id);
    if (existing !== null) {
      reports.set(id, { stored: existing, figures: JSON.parse(existing.figures) as WeeklyFigures });
      continue;
    }
    // A brand with no mention stored up to the week's end was not being
    // listened to yet (a fresh installation): an all-zero report would only
    // mislead. A quiet week of a brand heard before still gets its report.
    if (!heardBefore.has(brand)) {
      heardBefore.set(brand, (await deps.store.mentionsBetween({ brand, from: 0, to: end, limit: 1 })).length > 0);
    }
    if (!heardBefore.get(brand)) {
      deps.log.info({ brand, week: weekText }, "weekly report: nothing stored for the brand up to the week's end; no report");
      continue;
    }
    const made = await produceWeeklyReport(deps.store, { brand, week, lang, timeZone: deps.timeZone, producedBy: "schedule", now: deps.now });
    reports.set(id, made);
    result.produced.push(id);
  }

  if (deps.mailer === null) {
    if (deps.managers.length > 0) deps.log.warn({ week: weekText }, "weekly report: no SMTP relay configured; reports kept, not e-mailed");
    return result;
  }
  for (const m of deps.managers) {
    for (const brand of m.brands ?? deps.brands) {
      const id = reportId(brand, weekText, m.lang);
      const report = reports.get(id);
      if (report === undefined) continue;
      const deliveries = await deps.store.reportDeliveries(id);
      if (deliveries.some((d) => d.email === m.email && d.status === "delivered")) {
        result.alreadySent++;
        continue;
      }
      const email = renderReportEmail(report.figures, { lang: m.lang, recipientName: m.name });
      try {
        await deps.mailer.send({
          to: { name: m.name, email: m.email },
          lang: m.lang,
          ...email,
          pdf: report.stored.pdf,
          filename: reportFilename(report.stored),
          messageId: `<${id}.${m.email.replace(/[^A-Za-z0-9._-]/g, "_")}@earshot>`,
        });
        await deps.store.recordReportDelivery({ reportId: id, email: m.email, at: deps.now(), status: "delivered", error: "" });
        result.sent.push({ reportId: id, email: m.email });
      } catch (err) {
        const message = (err as Error).message?.split("\n")[0] ?? String(err);
        await deps.store.recordReportDelivery({ reportId: id, email: m.email, at: deps.now(), status: "failed", error: message });
        result.failed.push({ reportId: id, email: m.email, error: message });
        deps.log.warn({ err, reportId: id, manager: m.email }, "weekly report: e-mail failed; the next run tries again");
      }
    }
  }
  deps.log.info(
    { week: weekText, produced: result.produced.length, sent: result.sent.length, failed: result.failed.length },
    "weekly reports done",
  );
  return result;
}

/** "earshot-lumio-2026-W47-pl.pdf": ASCII only, so every mail client and file system takes it. */
export function reportFilename(r: Pick<StoredWeeklyReport, "brand" | "week" | "lang">): string {
  const slug = r.brand
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/ł/g, "l")
    .replace(/Ł/g, "L")
    .replace(/[^A-Za-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .toLowerCase()
    .slice(0, 40);
  return `earshot-${slug === "" ? "brand" : slug}-${r.week}-${r.lang}.pdf`;
}
