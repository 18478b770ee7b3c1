import { ConfigError } from "../errors";
import type { Mention } from "../mention";
import { drop, ok, quarantine, type Verdict, type Warning } from "../verdict";
import { brandAst, type BrandSpec } from "./brand-query/brand-ast";
import { compileAst, type CompiledQuery, type ExplainedNode, type MatchSubject } from "./brand-query/compile-query";
import type { DiacriticMode } from "./brand-query/letters";
import type { NormalizedMention } from "./normalize";

export { brandFields, brandSchema, checkBrandQuery, type BrandConfig } from "./brand-query/brand-schema";

/** A watched brand as configured (see `brands` in pipeline/config/schema.ts). */
export interface BrandTerms extends BrandSpec {
  /** How diacritics count; default "ascii-too" (Żabka also finds Zabka). */
  diacritics?: DiacriticMode;
}

/** A mention that names a watched brand; the language comes next. */
export type BrandedMention = Omit<Mention, "lang">;

export interface CompiledBrand {
  name: string;
  query: CompiledQuery;
}

/** Brands compiled once at start-up; `matchBrands` only runs the prepared expressions. */
export interface BrandMatcher {
  readonly brands: readonly CompiledBrand[];
}

const STAGE = "match-brands";

/**
 * Compiles configured brands into matchers: each brand's terms, exclusions and
 * query become one query (brand-query/brand-ast.ts), compiled to regular
 * expressions with one prefilter scan per brand (brand-query/compile-query.ts).
 *
 * Matching rules, chosen for how people write about brands:
 * - case-insensitive in every script ("LUMIO", "lumio", "ЛЮМИО"), unless a query
 *   term is written in braces ({BT});
 * - a term matches as a whole word: anything that is not a letter, mark or digit
 *   is a boundary, so "Lumio," "#lumio" "@lumio" "Lumio's" "lumio.pl" "@lumio_support"
 *   match, while "Lumiosity" and "Lumio2" do not;
 * - a Polish or Russian word matches its inflected forms (Orlen → Orlenu, Orlenie;
 *   Żabka → Żabce; Сбербанк → Сбербанке) and its transliteration (Яндекс → Yandex);
 *   a trailing `*` accepts any ending;
 * - whitespace inside a phrase matches any run of whitespace;
 * - an exclusion anywhere in the text rules the brand out for the whole mention,
 *   the way "excluded keywords" work in Brand24 and NOT in Brandwatch queries.
 *
 * Throws ConfigError at start-up for a term with nothing to match or an invalid
 * query (the message points at the column); never at an item.
 */
export const compileBrands = (brands: readonly BrandTerms[]): BrandMatcher => ({
  brands: brands.map((brand) => {
    const built = brandAst(brand);
    if (!built.ok) throw new ConfigError(`brand "${brand.name}": ${built.path.join(".")}: ${built.message}`);
    const compiled = compileAst(built.ast, { diacritics: brand.diacritics }, brand.query ?? "");
    if (!compiled.ok) throw new ConfigError(`brand "${brand.name}": ${compiled.error.display}`);
    return { name: brand.name, query: compiled.query };
  }),
});

/**
 * Finds which watched brand a mention is about. The first configured brand that
 * matches wins (configuration order is the user's priority); its matched terms are
 * all kept, and other brands that also matched are named in a warning. A mention
 * about no watched brand is dropped with "no-brand".
 */
export const matchBrands = (m: NormalizedMention, matcher: BrandMatcher): Verdict<BrandedMention> => {
  let winner: CompiledBrand | null = null;
  let others: string[] | null = null;
  let matchedTerms: string[];
  try {
    for (const brand of matcher.brands) {
      if (!brand.query.matches(m)) continue;
      if (winner === null) winner = brand;
      else (others ??= []).push(brand.name);
    }
    if (winner === null) return drop("no-brand");
    matchedTerms = winner.query.matchedTerms(m);
  } catch (error) {
    // A safety net for input no branch foresaw: the item is kept, not thrown.
    return quarantine(STAGE, "internal-error", m, error);
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

/** Why each brand does or does not match a subject: for `earshot match`. */
export const explainBrands = (subject: MatchSubject, matcher: BrandMatcher): { brand: string; matched: boolean; matchedTerms: string[]; tree: ExplainedNode }[] =>
  matcher.brands.map((b) => ({
    brand: b.name,
    matched: b.query.matches(subject),
    matchedTerms: b.query.matches(subject) ? b.query.matchedTerms(subject) : [],
    tree: b.query.explain(subject),
  }));
