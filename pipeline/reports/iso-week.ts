/**
 * ISO 8601 weeks ("2026-W47": Monday to Sunday, week 1 holds the year's first
 * Thursday) and their boundaries in a time zone. A report's week starts at
 * Monday 00:00 where its managers live, not in UTC, and a day is 23 or 25
 * hours long across a DST change, so every boundary is computed as a local
 * midnight, never as "start + n × 24 h".
 */

export interface IsoWeek {
  year: number;
  week: number;
}

/** A week's instants in one zone: [from, to) and the 8 local midnights from Monday to the next Monday. */
export interface WeekRange {
  week: string;
  timeZone: string;
  from: number;
  to: number;
  /** Epoch ms of each day's local 00:00, Monday first; the 8th is `to`. */
  dayStarts: number[];
}

const WEEK_PATTERN = /^(\d{4})-W(\d{2})$/;
const DAY_MS = 86_400_000;

/** "2026-W47" → { year: 2026, week: 47 }, or null when it is not a week that exists. */
export function parseIsoWeek(text: string): IsoWeek | null {
  const m = WEEK_PATTERN.exec(text.trim());
  if (m === null) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (year < 1970 || week < 1 || week > weeksInYear(year)) return null;
  return { year, week };
}

export function formatIsoWeek({ year, week }: IsoWeek): string {
  return `${year}-W${String(week).padStart(2, "0")}`;
}

/** 52 or 53: a year has 53 weeks when its 28 December falls in week 53. */
export function weeksInYear(year: number): number {
  return isoWeekOfDate(year, 12, 28).week;
}

/** The ISO week of a calendar date (month 1–12). */
export function isoWeekOfDate(year: number, month: number, day: number): IsoWeek {
  const date = new Date(Date.UTC(year, month - 1, day));
  const weekday = date.getUTCDay() || 7; // Monday 1 … Sunday 7
  // The Thursday of this week decides the year the week belongs to.
  const thursday = new Date(date.getTime() + (4 - weekday) * DAY_MS);
  const isoYear = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(isoYear, 0, 1)) / DAY_MS / 7) + 1;
  return { year: isoYear, week };
}

/** The week an instant falls in, as seen in `timeZone`. */
export function weekOf(epochMs: number, timeZone: string): IsoWeek {
  const { year, month, day } = civilDate(epochMs, timeZone);
  return isoWeekOfDate(year, month, day);
}

export function previousWeek({ year, week }: IsoWeek): IsoWeek {
  return week > 1 ? { year, week: week - 1 } : { year: year - 1, week: weeksInYear(year - 1) };
}

/** The calendar dates (UTC-based Date objects at 00:00 UTC) of the week's Monday … next Monday. */
function weekDates({ year, week }: IsoWeek): Date[] {
  // 4 January is always in week 1.
  const jan4 = Date.UTC(year, 0, 4);
  const monday1 = jan4 - ((new Date(jan4).getUTCDay() || 7) - 1) * DAY_MS;
  const monday = monday1 + (week - 1) * 7 * DAY_MS;
  return Array.from({ length: 8 }, (_, i) => new Date(monday + i * DAY_MS));
}

export function weekRange(week: IsoWeek, timeZone: string): WeekRange {
  const dayStarts = weekDates(week).map((d) => zonedMidnight(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), timeZone));
  return { week: formatIsoWeek(week), timeZone, from: dayStarts[0]!, to: dayStarts[7]!, dayStarts };
}

/** Year, month (1–12) and day of an instant on the wall calendar of `timeZone`. */
export function civilDate(epochMs: number, timeZone: string): { year: number; month: number; day: number } {
  const p = zoneParts(epochMs, timeZone);
  return { year: p.year, month: p.month, day: p.day };
}

/**
 * Epoch ms of 00:00 on a calendar date in `timeZone`. Where midnight does not
 * exist (a DST jump at 00:00, e.g. America/Santiago) it is the first instant
 * of that day.
 */
export function zonedMidnight(year: number, month: number, day: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day);
  // Two rounds settle the offset when the guess lands on the other side of a change.
  let t = wall - offsetAt(wall, timeZone);
  t = wall - offsetAt(t, timeZone);
  const p = civilDate(t, timeZone);
  if (Date.UTC(p.year, p.month - 1, p.day) < wall) {
    // Midnight skipped: move to the first instant of the day (within the next hours).
    while (civilDate(t, timeZone).day !== day) t += 15 * 60_000;
  }
  return t;
}

/** How far `timeZone`'s wall clock is ahead of UTC at an instant, in ms. */
export function offsetAt(epochMs: number, timeZone: string): number {
  const p = zoneParts(epochMs, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

const partFormats = new Map<string, Intl.DateTimeFormat>();

function zoneParts(epochMs: number, timeZone: string) {
  let format = partFormats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    partFormats.set(timeZone, format);
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(epochMs)) if (part.type !== "literal") parts[part.type] = Number(part.value);
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  };
}

/** Throws a RangeError unless `timeZone` is an IANA zone this runtime knows. */
export function assertTimeZone(timeZone: string): string {
  new Intl.DateTimeFormat("en", { timeZone });
  return timeZone;
}
