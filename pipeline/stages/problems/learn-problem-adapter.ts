import type { Lang } from "../../mention";
import { readLists } from "../tag-problems";
import type { CompiledProblemTerms } from "./compile-problem-terms";
import { extractModelFeatures, newFeatureList, type FeatureList } from "./model-features";
import { logit, modelLogits, TYPE_COUNT, type ProblemModel } from "./problem-model";
import { PROBLEM_TYPES, type ProblemType } from "./problem-types";

/**
 * The installation's own layer over the shipped problem-type model, learnt
 * from the team's corrections alone (no training data): float weights added
 * to the shipped ones, moved by logistic-loss steps on the corrected texts
 * only until each corrected text is read the team's way with a margin. The
 * buckets a corrected text touches are its words, character n-grams and
 * bigrams, so close paraphrases move with it and unrelated texts do not.
 *
 * The term lists still win: a type the lists tag in a corrected text is left
 * to them (remove the term in the configuration to stop it), so only what the
 * model decides is learnt.
 */

export interface ProblemCorrectionExample {
  text: string;
  lang: Lang;
  /** The types the team says the mention reports (none: it reports no problem). */
  problems: readonly ProblemType[];
}

/** How far past the threshold (in logits) a corrected text must end up, so a paraphrase lands on the same side. */
const MARGIN = 1.5;
const LEARNING_RATE = 0.5;
const MAX_EPOCHS = 200;

interface Example {
  modelLang: number;
  features: FeatureList;
  /** Per type: 1 tagged, 0 not, -1 left to the lists. */
  targets: Int8Array;
}

/** The layer for `model` learnt from `corrections`; null when none of them can teach it anything. */
export function learnProblemAdapter(
  model: ProblemModel,
  terms: CompiledProblemTerms,
  corrections: readonly ProblemCorrectionExample[],
): Float32Array | null {
  const examples = corrections.flatMap((c) => exampleOf(model, terms, c) ?? []);
  if (examples.length === 0) return null;
  const adapter = new Float32Array((1 << model.bits) * TYPE_COUNT);
  const thresholds = Float64Array.from(model.thresholds, logit);
  const logits = new Float64Array(TYPE_COUNT);
  const mask = (1 << model.bits) - 1;
  const withLayer: ProblemModel = { ...model, adapter };
  for (let epoch = 0; epoch < MAX_EPOCHS; epoch++) {
    let wrong = 0;
    for (const { modelLang, features, targets } of examples) {
      modelLogits(withLayer, modelLang, features, logits);
      for (let t = 0; t < TYPE_COUNT; t++) {
        const target = targets[t]!;
        if (target < 0) continue;
        const z = logits[t]! - thresholds[t]!;
        if (target === 1 ? z >= MARGIN : z <= -MARGIN) continue;
        wrong++;
        // The logistic loss's gradient around the threshold, spread over the text's features.
        const step = (LEARNING_RATE * (target - 1 / (1 + Math.exp(-z)))) / Math.sqrt(features.count);
        for (let f = 0; f < features.count; f++) {
          const h = features.hash[f]!;
          const v = h < 0 ? -features.value[f]! : features.value[f]!;
          adapter[(h & mask) * TYPE_COUNT + t] += step * v;
        }
      }
    }
    if (wrong === 0) break;
  }
  return adapter;
}

function exampleOf(model: ProblemModel, terms: CompiledProblemTerms, c: ProblemCorrectionExample): Example | null {
  const modelLang = c.lang === "pl" ? 0 : c.lang === "ru" || c.lang === "uk" ? 1 : c.lang === "en" ? 2 : -1;
  if (modelLang < 0) return null;
  const termLang = c.lang === "pl" || c.lang === "ru" || c.lang === "uk" || c.lang === "en" ? c.lang : "en";
  const reading = readLists(c.text, terms[termLang], true);
  if (reading === null) return null;
  const shared = extractModelFeatures(reading.input, model.features, newFeatureList());
  if (shared.count === 0) return null;
  const features: FeatureList = {
    count: shared.count,
    hash: shared.hash.slice(0, shared.count),
    value: shared.value.slice(0, shared.count),
    word: shared.word.slice(0, shared.count),
  };
  const wanted = new Set(c.problems);
  const targets = Int8Array.from(PROBLEM_TYPES, (type) => (reading.found.has(type) ? -1 : wanted.has(type) ? 1 : 0));
  return targets.some((t) => t >= 0) ? { modelLang, features, targets } : null;
}
