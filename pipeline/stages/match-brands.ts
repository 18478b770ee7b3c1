import { ConfigError } from "../errors";
import type { Mention } from "../mention";
import { drop, ok, type Verdict, type Warning } from "../verdict";
import type { NormalizedMention } from "./normalize";

/** A watched brand as configured (see `brands` in pipeline/config/schema.ts). */
export interface BrandTerms {
  name: string;
  /** Case-insensitive terms or phrases; a trailing `*` matches any ending ("Люмио*"). */
  terms: string[];
  /** A mention containing any of these is not about this brand ("lumio lamp*"). */
  exclude?: string[];
}

/** A mention that names a watched brand; the language comes next. */
export type BrandedMention = Omit<Mention, "lang">;

interface CompiledTerm {
  term: string;
  pattern: RegExp;
}

interface CompiledBrand {
  name: string;
  /** All terms in one alternation: one scan answers "is this brand here at all". */
  any: RegExp;
  terms: CompiledTerm[];
  exclude: RegExp | null;
}

/** Brands compiled once at start-up; `matchBrands` only runs the prepared expressions. */
export interface BrandMatcher {
  readonly brands: readonly CompiledBrand[];
}

// A "word character" for the boundaries below: letters, combining marks and
// digits of any script. JavaScript's \b knows only ASCII, so it would treat
// "Люмио" as having no word boundaries at all.
const WORD_CHAR = "[\\p{L}\\p{M}\\p{N}]";
const STARTS_WITH_WORD_CHAR = /^[\p{L}\p{M}\p{N}]/u;
const ENDS_WITH_WORD_CHAR = /[\p{L}\p{M}\p{N}]$/u;
const HAS_WORD_CHAR = /[\p{L}\p{N}]/u;
const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/]/g; // "-" is not escapable in u-mode

/**
 * Compiles configured brands into matchers. Matching rules, chosen for how people
 * write about brands:
 * - case-insensitive in every script ("LUMIO", "lumio", "ЛЮМИО");
 * - a term matches as a whole word: anything that is not a letter, mark or digit
 *   is a boundary, so "Lumio," "#lumio" "@lumio" "Lumio's" "lumio.pl" "@lumio_support"
 *   match, while "Lumiosity" and "Lumio2" do not (a brand name glued to other
 *   letters is usually another word);
 * - a trailing `*` accepts any ending, which covers inflection until the language-aware
 *   query language arrives: "Люмио*" matches "Люмио", "Люмиошный";
 * - whitespace inside a phrase matches any run of whitespace;
 * - an exclusion anywhere in the text rules the brand out for the whole mention,
 *   the way "excluded keywords" work in Brand24 and NOT in Brandwatch queries.
 *
 * Throws ConfigError at start-up for a term with no letter or digit (a lone `*`
 * would match every word); never at an item.
 */
export const compileBrands = (brands: readonly BrandTerms[]): BrandMatcher => ({
  brands: brands.map((brand) => {
    const terms = brand.terms.map((term) => ({ term, pattern: new RegExp(termSource(brand.name, term), "iu") }));
    const excludes = (brand.exclude ?? []).map((term) => termSource(brand.name, term));
    return {
      name: brand.name,
      any: new RegExp(terms.map((t) => t.pattern.source).join("|"), "iu"),
      terms,
      exclude: excludes.length > 0 ? new RegExp(excludes.join("|"), "iu") : null,
    };
  }),
});

const termSource = (brand: string, term: string): string => {
  const trimmed = term.normalize("NFC").trim();
  const prefix = trimmed.endsWith("*");
  const body = trimmed.replace(/\*+$/, "").trim();
  if (!HAS_WORD_CHAR.test(body)) {
    throw new ConfigError(`brand "${brand}": term "${term}" has no letter or digit to match`);
  }
  const escaped = body.replace(REGEX_SPECIAL, "\\$&").replace(/\s+/g, "\\s+");
  const before = STARTS_WITH_WORD_CHAR.test(body) ? `(?<!${WORD_CHAR})` : "";
  const after = !prefix && ENDS_WITH_WORD_CHAR.test(body) ? `(?!${WORD_CHAR})` : "";
  return `(?:${before}${escaped}${after})`;
};

/**
 * Finds which watched brand a mention is about. The first configured brand that
 * matches wins (configuration order is the user's priority); its matched terms are
 * all kept, and other brands that also matched are named in a warning. A mention
 * about no watched brand is dropped with "no-brand".
 */
export const matchBrands = (m: NormalizedMention, matcher: BrandMatcher): Verdict<BrandedMention> => {
  const text = m.text;
  let winner: CompiledBrand | null = null;
  let others: string[] | null = null;
  for (const brand of matcher.brands) {
    if (!brand.any.test(text)) continue;
    if (brand.exclude?.test(text)) continue;
    if (winner === null) winner = brand;
    else (others ??= []).push(brand.name);
  }
  if (winner === null) return drop("no-brand");

  const matchedTerms: string[] = [];
  for (const t of winner.terms) {
    if (t.pattern.test(text) && !matchedTerms.includes(t.term)) matchedTerms.push(t.term);
  }
  const warnings: Warning[] = others === null ? [] : [{ type: "several-brands", detail: others.join(", ") }];
  // An object literal, not a spread: this runs for every mention (DESIGN §10).
  const value: BrandedMention = {
    id: m.id,
    source: m.source,
    sourceId: m.sourceId,
    url: m.url,
    authorHandle: m.authorHandle,
    authorName: m.authorName,
    authorFollowers: m.authorFollowers,
    title: m.title,
    text: m.text,
    publishedAt: m.publishedAt,
    collectedAt: m.collectedAt,
    claimedLang: m.claimedLang,
    rating: m.rating,
    brand: winner.name,
    matchedTerms,
  };
  return ok(value, warnings);
};
