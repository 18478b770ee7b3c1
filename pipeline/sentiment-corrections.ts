import type { SentimentLabel } from "./mention";
import { readableText } from "./stages/language/cyrillize";
import { createAdaptedSentimentScorer, learnSentimentAdapter, scoreSentiment } from "./stages/score-sentiment";
import type { SentimentScorer } from "./stages/sentiment/create-scorer";
import type { Store } from "./store/store";

/** Corrections read at most, newest per mention; far more than a team makes by hand. */
const MAX_CORRECTIONS = 100_000;
const LABELS: ReadonlySet<string> = new Set(["negative", "neutral", "positive"]);

/**
 * The installation's own layer over the shipped sentiment weights: learnt from
 * every stored correction (the newest per mention) at start and again after
 * each new one, so what the team corrected is scored their way from then on.
 * Learning from all of them each time (rather than one at a time) keeps the
 * result the same whatever the order and however often Earshot restarted.
 * Nothing leaves the machine: the corrections are in the store, the layer in memory.
 */
export class SentimentCorrections {
  #scorer: SentimentScorer = scoreSentiment;
  #learning: Promise<void> = Promise.resolve();
  #again = false;
  #running = false;
  readonly #store: Pick<Store, "corrections">;

  constructor(store: Pick<Store, "corrections">) {
    this.#store = store;
  }

  /** The scorer to use now (the flow calls it per mention). */
  readonly score: SentimentScorer = (text, lang, rating) => this.#scorer(text, lang, rating);

  /** Relearns from the store; a call during a relearn runs once more after it. Resolves when the newest corrections are in. */
  relearn(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#learning;
    }
    this.#running = true;
    this.#learning = (async () => {
      try {
        do {
          this.#again = false;
          const stored = await this.#store.corrections({ field: "sentiment", limit: MAX_CORRECTIONS });
          const corrections = stored
            .filter((c) => LABELS.has(c.value))
            // Read as the pipeline reads the mention (Russian in Latin letters back in Cyrillic).
            .map((c) => ({ text: readableText(c.text, c.lang), lang: c.lang, label: c.value as SentimentLabel }));
          this.#scorer = corrections.length === 0 ? scoreSentiment : createAdaptedSentimentScorer(learnSentimentAdapter(corrections));
        } while (this.#again);
      } finally {
        this.#running = false;
      }
    })();
    return this.#learning;
  }
}
