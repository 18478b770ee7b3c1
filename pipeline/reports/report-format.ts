import { fill, REPORT_LABELS, type ReportLabels, type ReportLang } from "./report-labels";
import type { Trend } from "./weekly-figures";

/**
 * Numbers, dates and lengths of time in the report's language and time zone,
 * all through Intl (ECMA-402), so a Polish report writes "1 234,5" and
 * "23 listopada 2026" and a Russian one "23 ноября 2026 г.".
 */
export interface ReportFormat {
  lang: ReportLang;
  labels: ReportLabels;
  integer(n: number): string;
  /** 0.253 → "25.3%". */
  percent(share: number | null): string;
  /** Net sentiment in [-1, 1], signed: "+0.25". */
  signed(n: number | null): string;
  /** A trend's change: "+25%" (relative) or "+5.0 pp" (points); null when there is nothing to compare. */
  change(t: Trend): string | null;
  /** A count's change: "+3", "−2", "0". */
  countChange(n: number): string;
  /** "23 Nov 2026". */
  date(epochMs: number): string;
  /** "Mon 23". */
  weekday(epochMs: number): string;
  /** "23 Nov, 14:05". */
  dateTime(epochMs: number): string;
  /** "23–29 November 2026". */
  period(from: number, toExclusive: number): string;
  /** "12 min", "3.5 h", "2 days". */
  duration(ms: number | null): string;
}

/** The locale behind a report language: en-GB for English (day before month, 24-hour clock, as in pl and ru). */
const LOCALE: Record<ReportLang, string> = { en: "en-GB", pl: "pl-PL", ru: "ru-RU" };

export function reportFormat(lang: ReportLang, timeZone: string): ReportFormat {
  const locale = LOCALE[lang];
  const labels = REPORT_LABELS[lang];
  const integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 });
  const signedPercent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1, signDisplay: "exceptZero" });
  const signed = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: "exceptZero" });
  const signedPoints = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: "exceptZero" });
  const signedInteger = new Intl.NumberFormat(locale, { maximumFractionDigits: 0, signDisplay: "exceptZero" });
  const date = new Intl.DateTimeFormat(locale, { timeZone, day: "numeric", month: "short", year: "numeric" });
  const weekday = new Intl.DateTimeFormat(locale, { timeZone, weekday: "short", day: "numeric" });
  const dateTime = new Intl.DateTimeFormat(locale, { timeZone, day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
  const range = new Intl.DateTimeFormat(locale, { timeZone, day: "numeric", month: "long", year: "numeric" });
  const unit = (u: "minute" | "hour" | "day", digits: number) =>
    new Intl.NumberFormat(locale, { style: "unit", unit: u, unitDisplay: u === "day" ? "long" : "short", maximumFractionDigits: digits });
  const minutes = unit("minute", 0);
  const hours = unit("hour", 1);
  const days = unit("day", 1);

  return {
    lang,
    labels,
    integer: (n) => integer.format(n),
    percent: (share) => (share === null ? "—" : percent.format(share)),
    signed: (n) => (n === null ? "—" : signed.format(n)),
    change(t) {
      if (t.change === null) return null;
      if (t.kind === "relative") return signedPercent.format(t.change);
      // net sentiment moves on a [-1, 1] scale: shown as points of 0.01 like the shares
      return `${signedPoints.format(t.change * 100)} ${labels.points}`;
    },
    countChange: (n) => signedInteger.format(n),
    date: (ms) => date.format(ms),
    weekday: (ms) => weekday.format(ms),
    dateTime: (ms) => dateTime.format(ms),
    // the last day is the one before the exclusive end
    period: (from, to) => range.formatRange(from, to - 1),
    duration(ms) {
      if (ms === null) return "—";
      const min = ms / 60_000;
      if (min < 60) return minutes.format(Math.max(0, Math.round(min)));
      if (min < 48 * 60) return hours.format(min / 60);
      return days.format(min / 1_440);
    },
  };
}

export { fill };
