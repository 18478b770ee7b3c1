// The problem types are domain nouns: they live with the mention.
import type { ProblemType } from "../../mention";
export { PROBLEM_TYPES, type ProblemTag, type ProblemType } from "../../mention";

/** The languages with their own term lists; every other language is read with `en`. */
export const TERM_LANGS = ["en", "pl", "ru", "uk"] as const;
export type TermLang = (typeof TERM_LANGS)[number];

/**
 * The term lists of one language. Term syntax (see compile-problem-terms.ts):
 * - `awari*` a stem: any word that starts with it (awaria, awarii, awarię);
 * - `down` an exact word;
 * - `сбо{й,я,и,ев}` alternatives (сбой, сбоя, сбои, сбоев); an alternative may be a
 *   stem (`{cen*,opłat*}`) or several words (`wszystko {działa,w porządku}`);
 * - `nie dział*` a phrase of consecutive words, each exact, a stem or alternatives.
 * Hyphens and dots split words as they do in text ("wi-fi" is the phrase "wi fi").
 */
export interface ProblemTermList {
  /** Terms that report a problem of their type on their own ("awaria", "не работает"). */
  terms: Readonly<Record<ProblemType, readonly string[]>>;
  /**
   * Terms that only name the subject ("dostawa", "поддержка", "price"): they
   * tag their type only when a complaint cue is near them in the same clause
   * ("dostawa to porażka"), so praise ("szybka dostawa") tags nothing.
   */
  topics: Readonly<Record<ProblemType, readonly string[]>>;
  /** Words that make a nearby topic a complaint: "znowu", "ужасн*", "still", "worst". */
  cues: readonly string[];
  /** Words that cancel a term right after them ("nie było awarii", "not a scam"). */
  negators: readonly string[];
  /**
   * Phrases that clear the whole clause they are in: "bez problemów", "без задержек",
   * "no issues". A problem term in that clause is not reported.
   */
  shields: readonly string[];
  /**
   * Words that start a new clause besides punctuation: "ale", "но", "but". Cues
   * and shields do not reach across them.
   */
  breaks: readonly string[];
  /** Folds spelling variants on both sides before lookup (Polish without diacritics, ё → е). */
  fold: (lowercase: string) => string;
}

/** The default term lists, one per language; Ukrainian's list extends the Russian one. */
export type ProblemTermDefaults = Readonly<Record<TermLang, ProblemTermList>>;
