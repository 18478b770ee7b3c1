import { z } from "zod";
import type { Lang } from "../../mention";

/**
 * The languages Earshot can name. The first four are the ones it scores
 * (sentiment, problem types); the rest are neighbours people actually post in
 * near our users (German, French, Spanish, Italian, Portuguese, Dutch, Czech,
 * Slovak, Belarusian), named so they are not mistaken for Polish, Russian or
 * English. All are in eld's 60 (node_modules/eld/README.md, "Languages").
 */
export const SUPPORTED_LANGS = ["pl", "ru", "uk", "en", "de", "fr", "es", "it", "pt", "nl", "cs", "sk", "be"] as const satisfies readonly Lang[];
export type KnownLang = (typeof SUPPORTED_LANGS)[number];

/** The languages our users write; a statistical guess leans towards these when it is close. */
export const CORE_LANGS: readonly KnownLang[] = ["pl", "ru", "uk", "en"];

/** Every value a detection can answer: a known language or `und`. */
export const ALL_LANGS: readonly Lang[] = [...SUPPORTED_LANGS, "und"];

const SUPPORTED: ReadonlySet<string> = new Set(SUPPORTED_LANGS);

export const isKnownLang = (code: string): code is KnownLang => SUPPORTED.has(code);

/**
 * Configuration fragment (belongs under `language` in pipeline/config/schema.ts):
 * which languages detection may answer; everything else is `und`.
 */
export const languageConfigSchema = z.object({
  languages: z.array(z.enum(SUPPORTED_LANGS)).min(1).default([...SUPPORTED_LANGS]),
});
export type LanguageConfig = z.infer<typeof languageConfigSchema>;

/** "pl-PL", "ru_RU", "EN", "ukr" → a language we know; "ua" is a common misspelling of "uk". */
export const claimedLang = (claimed: string | undefined, allowed: ReadonlySet<KnownLang>): KnownLang | null => {
  if (!claimed) return null;
  const primary = claimed.trim().toLowerCase().split(/[-_]/, 1)[0] ?? "";
  const code = ALIASES.get(primary) ?? primary;
  return isKnownLang(code) && allowed.has(code) ? code : null;
};

// ISO 639-2/3 codes some feeds send (RSS <language>, app stores), and "ua".
const ALIASES = new Map([
  ["ua", "uk"], ["ukr", "uk"], ["pol", "pl"], ["rus", "ru"], ["eng", "en"], ["deu", "de"], ["ger", "de"],
  ["fra", "fr"], ["fre", "fr"], ["spa", "es"], ["ita", "it"], ["por", "pt"], ["nld", "nl"], ["dut", "nl"],
  ["ces", "cs"], ["cze", "cs"], ["slk", "sk"], ["slo", "sk"], ["bel", "be"],
]);
