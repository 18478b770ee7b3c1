import { PROBLEM_TYPES, type ProblemType } from "./mention";
import { readableText } from "./stages/language/cyrillize";
import type { CompiledProblemTerms } from "./stages/problems/compile-problem-terms";
import { learnProblemAdapter, type ProblemCorrectionExample } from "./stages/problems/learn-problem-adapter";
import type { ProblemModel } from "./stages/problems/problem-model";
import type { Store } from "./store/store";

/** Corrections read at most, newest per mention; far more than a team makes by hand. */
const MAX_CORRECTIONS = 100_000;
const TYPES: ReadonlySet<string> = new Set(PROBLEM_TYPES);

/**
 * The installation's own layer over the problem-type model, as
 * SentimentCorrections is for sentiment: learnt from every stored problem-type
 * correction (the newest per mention) at start and again after each new one,
 * and set on the pipeline's own copy of the model, so the flow tags with it
 * from the next mention on. Nothing leaves the machine.
 */
export class ProblemCorrections {
  #learning: Promise<void> = Promise.resolve();
  #again = false;
  #running = false;
  readonly #store: Pick<Store, "corrections">;
  readonly #model: ProblemModel | null;
  readonly #terms: CompiledProblemTerms;

  /** `terms` must have been compiled with `model` (the pipeline's own copy, not the shared shipped one). */
  constructor(store: Pick<Store, "corrections">, terms: CompiledProblemTerms, model: ProblemModel | null) {
    this.#store = store;
    this.#terms = terms;
    this.#model = model;
  }

  /** Relearns from the store; a call during a relearn runs once more after it. */
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
          const model = this.#model;
          if (model === null) return;
          const stored = await this.#store.corrections({ field: "problems", limit: MAX_CORRECTIONS });
          const corrections: ProblemCorrectionExample[] = stored.flatMap((c) => {
            const problems = parseTypes(c.value);
            // Read as the pipeline reads the mention (Russian in Latin letters back in Cyrillic).
            return problems === null ? [] : [{ text: readableText(c.text, c.lang), lang: c.lang, problems }];
          });
          // Learnt against the shipped weights alone, then swapped in at once.
          model.adapter = null;
          model.adapter = learnProblemAdapter(model, this.#terms, corrections);
        } while (this.#again);
      } finally {
        this.#running = false;
      }
    })();
    return this.#learning;
  }
}

/** A stored value: a JSON list of problem types; null when it is not one. */
function parseTypes(value: string): ProblemType[] | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return null;
  }
  return Array.isArray(parsed) && parsed.every((t) => typeof t === "string" && TYPES.has(t)) ? (parsed as ProblemType[]) : null;
}
