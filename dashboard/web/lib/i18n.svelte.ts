/**
 * The UI language: the current locale, `t()` and date and number formats in
 * that locale and the user's time zone. Signed in, the user's language and
 * time zone come from the server (kept per user, see session.svelte.ts);
 * before that, localStorage holds the last language used in this browser and
 * dates follow the browser's own zone.
 */
import { createContext } from "svelte";
import {
  CATALOGS,
  LOCALES,
  isLocale,
  translate,
  type Locale,
  type MessageKey,
  type MessageParams,
} from "./messages";
import { elapsed } from "./relative-time";

const STORAGE_KEY = "earshot.locale";

/** Builds the formatters once per locale: Intl constructors are slow to call per row. */
function formattersFor(locale: string, timeZone: string | undefined) {
  return {
    time: new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", timeZone }),
    dayTime: new Intl.DateTimeFormat(locale, {
      day: "numeric",
      month: "short",
      hour: "2-digit",
      minute: "2-digit",
      timeZone,
    }),
    full: new Intl.DateTimeFormat(locale, { dateStyle: "full", timeStyle: "long", timeZone }),
    // The calendar day in the user's zone, to tell "today" from other days there.
    day: new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit", timeZone }),
    integer: new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }),
    // A length of time in its plural form ("5 minut", "3 часа"), one Intl formatter per unit.
    minutes: new Intl.NumberFormat(locale, { style: "unit", unit: "minute", unitDisplay: "long" }),
    hours: new Intl.NumberFormat(locale, { style: "unit", unit: "hour", unitDisplay: "long" }),
    days: new Intl.NumberFormat(locale, { style: "unit", unit: "day", unitDisplay: "long" }),
    decimal: new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }),
    score: new Intl.NumberFormat(locale, {
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
      signDisplay: "exceptZero",
    }),
    languages: new Intl.DisplayNames([locale], { type: "language", fallback: "none" }),
    // numeric "always": "1 day ago", not "yesterday" (24–47 hours back need not be yesterday's date).
    relative: new Intl.RelativeTimeFormat(locale, { numeric: "always", style: "long" }),
  };
}

function storedLocale(storage: Storage | null): Locale | null {
  try {
    const value = storage?.getItem(STORAGE_KEY);
    return isLocale(value) ? value : null;
  } catch {
    return null; // storage can be disabled (private mode, policy): fall back quietly
  }
}

/** The first of the browser's preferred languages that we speak, else English. */
function preferredLocale(languages: readonly string[]): Locale {
  for (const tag of languages) {
    const base = tag.toLowerCase().split("-")[0];
    if (isLocale(base)) return base;
  }
  return "en";
}

/**
 * The locale for dates and numbers: the browser's own regional tag when it is
 * the UI language (en-GB keeps its 24-hour clock), else the UI language.
 */
function formatLocale(locale: Locale, browserLanguages: readonly string[]): string {
  const regional = browserLanguages.find((tag) => tag.toLowerCase().split("-")[0] === locale);
  if (regional === undefined) return locale;
  try {
    return Intl.getCanonicalLocales(regional)[0] ?? locale;
  } catch {
    return locale;
  }
}

export class I18n {
  readonly locales = LOCALES;
  #storage: Storage | null;
  #browserLanguages: readonly string[];
  #locale: Locale = $state("en");
  #timeZone: string | null = $state(null);
  #formats = $derived.by(() => formattersFor(formatLocale(this.#locale, this.#browserLanguages), this.#timeZone ?? undefined));

  constructor(storage: Storage | null, browserLanguages: readonly string[]) {
    this.#storage = storage;
    this.#browserLanguages = browserLanguages;
    this.#locale = storedLocale(storage) ?? preferredLocale(browserLanguages);
  }

  get locale(): Locale {
    return this.#locale;
  }

  set locale(next: Locale) {
    this.#locale = next;
    try {
      this.#storage?.setItem(STORAGE_KEY, next);
    } catch {
      // not remembered across visits, but the switch itself still works
    }
  }

  /** The IANA zone dates are shown in; null: the browser's own. An unknown zone is ignored (the browser's applies). */
  get timeZone(): string | null {
    return this.#timeZone;
  }

  set timeZone(zone: string | null) {
    this.#timeZone = zone !== null && isKnownZone(zone) ? zone : null;
  }

  t = (key: MessageKey, params?: MessageParams): string =>
    translate(CATALOGS[this.#locale], key, params);

  /** A message given as a key and its parameters (a Notice), in the UI language. */
  notice = (n: { key: MessageKey; params?: MessageParams }): string => this.t(n.key, n.params);

  /** "14:05", or "23 Nov, 14:05" when not today. */
  when = (epochMs: number, now: number = Date.now()): string => {
    const sameDay = this.#formats.day.format(epochMs) === this.#formats.day.format(now);
    return (sameDay ? this.#formats.time : this.#formats.dayTime).format(epochMs);
  };

  /** "just now", "5 minutes ago", "3 days ago": how long before `now` a moment was. */
  ago = (epochMs: number, now: number = Date.now()): string => {
    const e = elapsed(epochMs, now);
    return e === null ? this.t("time.justNow") : this.#formats.relative.format(-e.value, e.unit);
  };

  /** "under a minute", "5 minutes", "3 hours", "2 days": a length of time in one unit. */
  duration = (ms: number): string => {
    const e = elapsed(0, ms);
    if (e === null) return this.t("time.underMinute");
    const format = e.unit === "minute" ? this.#formats.minutes : e.unit === "hour" ? this.#formats.hours : this.#formats.days;
    return format.format(e.value);
  };

  /** Hours and minutes only, for axis labels. */
  time = (epochMs: number): string => this.#formats.time.format(epochMs);

  /** Date, time and zone in full, for tooltips. */
  fullDate = (epochMs: number): string => this.#formats.full.format(epochMs);

  integer = (n: number): string => this.#formats.integer.format(n);

  decimal = (n: number): string => this.#formats.decimal.format(n);

  /** A sentiment score with its sign: "−0.62", "+0.40". */
  score = (n: number): string => this.#formats.score.format(n);

  /** A language code as a name in the UI language: "pl" → "Polish" / "polski". */
  language = (code: string): string => {
    if (code === "" || code === "und") return this.t("language.unknown");
    try {
      return this.#formats.languages.of(code) ?? code;
    } catch {
      return code; // not a valid BCP 47 tag: show it as it came
    }
  };
}

function isKnownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Components read the one I18n instance that App.svelte provides. */
export const [getI18n, setI18n] = createContext<I18n>();
