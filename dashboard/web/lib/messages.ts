/**
 * The UI's message catalogs and the plain lookup behind `t()`. No runes here, so
 * a unit test can load it and compare the catalogs key by key.
 */
import en from "../i18n/en.json";
import pl from "../i18n/pl.json";
import ru from "../i18n/ru.json";

export const LOCALES = ["en", "pl", "ru"] as const;
export type Locale = (typeof LOCALES)[number];

/** Each language names itself, so a reader finds their own in any UI language. */
export const LOCALE_NAMES: Record<Locale, string> = { en: "English", pl: "Polski", ru: "Русский" };

/** English is the reference catalog: its keys are the keys every catalog must have. */
export type MessageKey = keyof typeof en;
export type MessageParams = Record<string, string | number>;
export type Catalog = Readonly<Record<string, string>>;

export const MESSAGE_KEYS: readonly MessageKey[] = Object.keys(en) as MessageKey[];

export const CATALOGS: Readonly<Record<Locale, Catalog>> = { en, pl, ru };

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/**
 * The message for `key` with `{name}` placeholders filled. A key the catalog
 * lacks comes back as `[key]`, so a gap is visible on screen instead of blank.
 */
export function translate(catalog: Catalog, key: string, params?: MessageParams): string {
  const template = Object.hasOwn(catalog, key) ? catalog[key] : undefined;
  if (template === undefined || template === "") return `[${key}]`;
  if (params === undefined) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

/** The `{name}` placeholders a message uses, sorted; lets a test compare translations. */
export function placeholders(message: string): string[] {
  return [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? "").sort();
}
