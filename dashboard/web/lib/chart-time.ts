/**
 * Dates on the charts in the reader's locale and time zone (Intl), not UTC:
 * axis ticks, hover labels and the table rows. Pure; tests pass the zone.
 */

/** The browser's own IANA time zone, e.g. "Europe/Warsaw". */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** The browser's regional tag when it speaks the UI language (en-GB keeps its 24-hour clock), else the UI language. */
export function chartLocale(uiLocale: string, browserLanguages: readonly string[]): string {
  const regional = browserLanguages.find((tag) => tag.toLowerCase().split("-")[0] === uiLocale);
  if (regional === undefined) return uiLocale;
  try {
    return Intl.getCanonicalLocales(regional)[0] ?? uiLocale;
  } catch {
    return uiLocale;
  }
}

export interface ChartTimeFormats {
  /** An axis tick: the time of day; on a span of days, midnights show the day instead. */
  tick(epochMs: number, spanMs: number): string;
  /** A hovered or tabled bucket: day and time. */
  full(epochMs: number): string;
  /** Hours and minutes only. */
  time(epochMs: number): string;
}

const DAY_MS = 24 * 60 * 60_000;

export function chartTimeFormats(locale: string, timeZone: string): ChartTimeFormats {
  const time = new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", timeZone });
  const day = new Intl.DateTimeFormat(locale, { weekday: "short", day: "numeric", timeZone });
  const full = new Intl.DateTimeFormat(locale, { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZone });
  // A fixed 24-hour form to tell midnight in the zone, whatever the locale writes.
  const clock = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone });
  return {
    tick: (ms, span) => (span > 1.5 * DAY_MS && clock.format(ms) === "00:00" ? day.format(ms) : time.format(ms)),
    full: (ms) => full.format(ms),
    time: (ms) => time.format(ms),
  };
}
