import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Lang } from "../../mention";
import { readEmoji } from "../lexicons/emoji";
import { EN } from "../lexicons/en";
import { compileLexicon, readWithLexicon, type CompiledLexicon, type Evidence } from "../lexicons/lexicon";
import { PL } from "../lexicons/pl";
import { RU } from "../lexicons/ru";
import { UK } from "../lexicons/uk";

/**
 * The hand-written lexicons read as evidence for the model: the stem lexicons
 * of pl/ru/uk, the English service-talk list plus AFINN-165 (the word list of the
 * `sentiment` package, read with the same negation-aware reader), and emoji.
 * Unlike the lexicon-only scorer it leaves out wink-nlp, whose 50–80 µs per text
 * would be most of the time budget.
 */

export interface LexiconEvidence {
  /** Sum of positive weights (AFINN scale). */
  positive: number;
  /** Sum of the magnitudes of negative weights. */
  negative: number;
  evidence: Evidence[];
}

const require = createRequire(import.meta.url);
const afinnTerms = (): Record<string, number> => {
  const labels = JSON.parse(readFileSync(require.resolve("sentiment/languages/en/labels.json"), "utf8")) as Record<string, number>;
  const terms: Record<string, number> = {};
  // Emoji are read by the shared table; AFINN's emoji entries are left out.
  for (const [term, weight] of Object.entries(labels)) if (/\p{L}/u.test(term)) terms[term] = weight;
  return terms;
};

// AFINN and the service-talk list in one lexicon, read in one pass: a phrase of
// the list ("not working") wins over the AFINN word inside it.
const ENGLISH = compileLexicon(EN, {
  terms: afinnTerms(),
  negators: ["not", "no", "never", "cant", "can't", "cannot", "dont", "don't", "doesnt", "doesn't", "didnt", "didn't", "isnt", "isn't", "wont", "won't", "wasnt", "wasn't", "arent", "aren't", "nothing", "nobody"],
  intensifiers: { very: 1.3, really: 1.3, so: 1.2, extremely: 1.5, totally: 1.3, absolutely: 1.4, super: 1.3 },
  fold: (s) => s.replace(/’/g, "'"),
});

const LEXICONS = {
  pl: compileLexicon(PL),
  ru: compileLexicon(RU),
  uk: compileLexicon(RU, UK),
} as const;

const tally = (into: LexiconEvidence, found: Evidence[]): void => {
  for (const e of found) {
    if (e.weight > 0) into.positive += e.weight;
    else into.negative -= e.weight;
    into.evidence.push(e);
  }
};

/** What the lexicons of `lang` (both Polish and Russian for `und`) and the emoji table find in `text`. */
export const readLexicons = (text: string, lang: Lang): LexiconEvidence => {
  const out: LexiconEvidence = { positive: 0, negative: 0, evidence: [] };
  tally(out, readEmoji(text));
  if (lang === "en") {
    tally(out, readWithLexicon(text, ENGLISH).evidence);
  } else {
    const lexicons: CompiledLexicon[] = lang === "pl" ? [LEXICONS.pl] : lang === "ru" ? [LEXICONS.ru] : lang === "uk" ? [LEXICONS.uk] : [LEXICONS.pl, LEXICONS.ru];
    for (const lex of lexicons) tally(out, readWithLexicon(text, lex).evidence);
  }
  return out;
};
