import type { SentimentAdapter } from "./sentiment/adapter";
import { createSentimentScorer, type SentimentScorer } from "./sentiment/create-scorer";
import { learnAdapter, type Correction } from "./sentiment/learn-adapter";
import { loadShippedModels } from "./sentiment/shipped-models";

/**
 * Scores one text in its language: the trained model of that language (pl, ru,
 * en; Ukrainian is read by the Russian one) with the hand-written lexicons as its
 * features, and the star rating of a review when the source has one (1–2 stars
 * pull negative, 4–5 positive; clear text outweighs them). Text in no language
 * Earshot scores goes to the lexicon-only scorer. The same text always gets the
 * same score, and `terms` says why. See sentiment/create-scorer.ts.
 *
 * The weights (768 KiB of 8-bit codes per language, 2^18 buckets) are read once, when this module loads.
 */
const shipped = loadShippedModels();

export const scoreSentiment: SentimentScorer = createSentimentScorer(shipped);

/**
 * A scorer with an installation's own adapter (learnt from the team's
 * corrections) on top of the shipped weights; `scoreSentiment` is this with none.
 */
export const createAdaptedSentimentScorer = (adapter: SentimentAdapter): SentimentScorer => createSentimentScorer(shipped, adapter);

/**
 * The adapter after the team's corrections (all stored corrections, newest
 * included), built on `previous` when there is one. Pure; see sentiment/learn-adapter.ts.
 */
export const learnSentimentAdapter = (corrections: readonly Correction[], previous?: SentimentAdapter): SentimentAdapter =>
  learnAdapter(shipped, corrections, previous);
