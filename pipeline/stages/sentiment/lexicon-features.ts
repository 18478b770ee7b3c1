import { RESERVED_TAIL, type FeatureBuffer } from "./feature-buffer";
import type { LexiconEvidence } from "./read-lexicons";

/**
 * The hand-written lexicons as four features of the model: how much praise,
 * how much complaint, the balance, and whether they found anything at all. The model learns their weights with the
 * n-grams, so the lexicons speak where the training data is silent (the service
 * talk Earshot reads: "awaria", "не работает", "is down") and the data where the
 * lexicons are. Values are saturating (x / (x + 2)): a third complaint word adds
 * less than the first.
 */

/** Fixed, positive (sign +1) feature hashes; they share the hash space with the n-grams. */
export const LEXICON_POSITIVE = 0x1e51a7e5;
export const LEXICON_NEGATIVE = 0x2b0d5c93;
export const LEXICON_BALANCE = 0x37c4e2f1;
/** 1 when the lexicons find nothing: most such texts are neutral, and the model learns how far. */
export const LEXICON_SILENT = 0x4a3b2c1d;

const SATURATION = 2;
export const LEXICON_FEATURES = RESERVED_TAIL;

export const appendLexiconFeatures = (f: FeatureBuffer, lex: LexiconEvidence): void => {
  const at = f.count;
  if (at + LEXICON_FEATURES > f.hash.length) return; // cannot happen: extractFeatures leaves room; kept safe anyway
  const net = lex.positive - lex.negative;
  f.hash[at] = LEXICON_POSITIVE;
  f.value[at] = lex.positive / (lex.positive + SATURATION);
  f.hash[at + 1] = LEXICON_NEGATIVE;
  f.value[at + 1] = lex.negative / (lex.negative + SATURATION);
  f.hash[at + 2] = LEXICON_BALANCE;
  f.value[at + 2] = net / (Math.abs(net) + SATURATION);
  f.hash[at + 3] = LEXICON_SILENT;
  f.value[at + 3] = lex.evidence.length === 0 ? 1 : 0;
  for (let k = at; k < at + LEXICON_FEATURES; k++) {
    f.token[k] = -1;
    f.token2[k] = -1;
  }
  f.count = at + LEXICON_FEATURES;
};
