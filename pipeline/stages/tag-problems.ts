import type { Lang } from "../mention";
import { MIN_STEM_CHARS, type CompiledLanguage, type CompiledProblemTerms, type Pattern, type PhraseList } from "./problems/compile-problem-terms";
import { PROBLEM_TYPES, type ProblemTag, type ProblemType } from "./problems/problem-types";
import { extractModelFeatures, newFeatureList, type ModelInput } from "./problems/model-features";
import { decidingWords, logit, modelLogits, TYPE_COUNT, weightAt, type ProblemModel } from "./problems/problem-model";
import { splitWords } from "./problems/split-words";

export type { ProblemTag, ProblemType } from "./problems/problem-types";

/**
 * Tags a text with the kinds of problem it reports (outage, delivery, quality,
 * price, service, scandal, security), each with the words that decided it.
 *
 * One pass over the words of the text, with the compiled lists of its language
 * (Ukrainian: the Russian lists plus Ukrainian forms; any other language: English):
 * - a term ("awaria", "не работает", "data breach") tags its type by itself;
 * - a topic ("dostawa", "поддержка", "price") tags its type only when a complaint
 *   cue ("znowu", "ужасн*", "still") stands within CUE_WINDOW words of it in the
 *   same sentence; the cue attaches to the nearest topic, so "Обслуживание
 *   отличное, но доставка ужасная" tags delivery only;
 * - a negator right before a word cancels it ("nie było awarii", "not a scam"),
 *   while a phrase that starts with a negator is a term of its own ("nie działa");
 * - a shield ("bez problemów", "без задержек", "no issues") clears its clause, and
 *   the clause before when it opens its own ("Awaria? Jaka awaria?").
 * Sentences end at . ! ? ; … and new lines and at contrast words ("ale", "но",
 * "but"); clauses also end at commas, colons, dashes and brackets.
 *
 * Then the trained model (problems/problem-model.ts) reads the same words, with
 * the same negation and shields, and tags a type the lists missed when its
 * probability reaches the type's threshold; its deciding words are the words whose
 * n-grams weigh most for that type. The lists win: what they tag keeps their
 * words, and a term the configuration removed ("-delay*") silences the model on
 * those words for that type too.
 *
 * Limits (see the README): negation reaches two words; irony, rhetorical questions
 * and reported speech ("they say it is down, it is not") are read literally;
 * cues and topics do not cross sentences ("Zamówiłem paczkę. Nadal nic." tags nothing).
 */
export function tagProblems(text: string, lang: Lang, compiled: CompiledProblemTerms, context: ProblemContext = {}): ProblemTag[] {
  const terms = lang === "pl" || lang === "ru" || lang === "uk" ? compiled[lang] : compiled.en;
  // The model learned Polish, Russian and English (Ukrainian reads as Russian, as with the lists);
  // other languages get the English lists alone. A text that reads as praise gets the lists alone too.
  const modelLang = context.praise === true ? -1 : lang === "pl" ? 0 : lang === "ru" || lang === "uk" ? 1 : lang === "en" ? 2 : -1;
  return readProblems(typeof text === "string" ? text : "", terms, modelLang);
}

/** What else is known of the text when its problems are read. */
export interface ProblemContext {
  /**
   * The text reads as praise (readsAsPraise): the model, which learnt topics
   * as much as complaints, then adds no type of its own ("Świetna obsługa i
   * szybka dostawa" is no delivery problem); the lists still tag.
   */
  praise?: boolean;
}

/**
 * Praise, for ProblemContext: a positive sentiment with some confidence. On the
 * held-out problem set this took the false tags on lines reporting no problem
 * from 19.3 to 17.3 % with micro-F1 72.8 → 72.9; gating on any positive label
 * cut them to 14.7 % but cost half a point of F1 (complaints read as positive
 * by mistake lost their types).
 */
export const readsAsPraise = (sentiment: { label: string; confidence: number }): boolean =>
  sentiment.label === "positive" && sentiment.confidence >= PRAISE_CONFIDENCE;
const PRAISE_CONFIDENCE = 0.6;

/** How many words a cue may stand from the topic it makes a complaint. */
const CUE_WINDOW = 6;
/** How many words after a negator it still cancels. */
const NEGATION_WORDS = 2;
/** How many words a model hit names as its reason. */
const MODEL_WORDS = 2;

const CURLY_APOSTROPHE = /[’ʼ]/g;
const TYPE_INDEX = new Map<ProblemType, number>(PROBLEM_TYPES.map((t, i) => [t, i]));

interface Hit {
  pattern: Pattern;
  /** Word index of the first word, and one past the last. */
  from: number;
  to: number;
  sentence: number;
  clause: number;
  /** The matched words as written (lower-cased). */
  surface: string;
  cancelled: boolean;
}

/** What the term lists make of a text, and the words as the model reads them. */
export interface ListReading {
  /** Types the lists tag, with their deciding words. */
  found: Map<ProblemType, string[]>;
  input: ModelInput;
  /** Per word, a bit per type (PROBLEM_TYPES order) the configuration removed a term of on this word. */
  muted: Uint8Array | null;
  /** The text the words were cut from, as written (lower-cased), and their offsets. */
  surfaceOf: string;
  starts: number[];
  ends: number[];
}

// Buffers shared by every text: tagging is synchronous, so no two calls use them at once.
const FEATURES = newFeatureList();
const LOGITS = new Float64Array(TYPE_COUNT);
const NO_MARKS = new Uint8Array(0);
const newMarks = (n: number) => ({ negated: new Uint8Array(n), skip: new Uint8Array(n), clause: new Int32Array(n) });
let MARKS = newMarks(256);
/** The logit of each type's threshold, per model, worked out once. */
const THRESHOLD_LOGITS = new WeakMap<ProblemModel, Float64Array>();

function readProblems(text: string, lang: CompiledLanguage, modelLang: number): ProblemTag[] {
  if (text.length === 0) return [];
  const model = modelLang >= 0 ? lang.model : null;
  const reading = readLists(text, lang, model !== null);
  if (reading === null) return [];
  const { found } = reading;
  if (model !== null && found.size < TYPE_COUNT) addModelTags(model, modelLang, reading);
  if (found.size === 0) return [];
  const tags: ProblemTag[] = [];
  for (const type of PROBLEM_TYPES) {
    const t = found.get(type);
    if (t !== undefined) tags.push({ type, terms: t });
  }
  return tags;
}

/**
 * Tags the types the lists left out whose probability reaches the model's
 * threshold; the deciding words are the words whose n-grams weigh most for the type.
 * A word under a removed term does not count for that term's type.
 */
function addModelTags(model: ProblemModel, modelLang: number, reading: ListReading): void {
  const features = extractModelFeatures(reading.input, model.features, FEATURES);
  if (features.count === 0) return;
  modelLogits(model, modelLang, features, LOGITS);
  const { muted } = reading;
  if (muted !== null) {
    const mask = (1 << model.bits) - 1;
    for (let f = 0; f < features.count; f++) {
      const bits = muted[features.word[f]!]!;
      if (bits === 0) continue;
      const h = features.hash[f]!;
      const v = h < 0 ? -features.value[f]! : features.value[f]!;
      for (let t = 0; t < TYPE_COUNT; t++) if (bits & (1 << t)) LOGITS[t] = LOGITS[t]! - v * weightAt(model, (h & mask) * TYPE_COUNT + t);
    }
  }
  let thresholds = THRESHOLD_LOGITS.get(model);
  if (thresholds === undefined) THRESHOLD_LOGITS.set(model, (thresholds = Float64Array.from(model.thresholds, logit)));
  for (let t = 0; t < TYPE_COUNT; t++) {
    const type = PROBLEM_TYPES[t]!;
    if (LOGITS[t]! < thresholds[t]! || reading.found.has(type)) continue;
    let words = decidingWords(model, t, features, MODEL_WORDS + 4);
    if (muted !== null) words = words.filter((w) => (muted[w]! & (1 << t)) === 0);
    const terms: string[] = [];
    for (const w of words.slice(0, MODEL_WORDS)) {
      const surface = reading.surfaceOf.slice(reading.starts[w]!, reading.ends[w]!);
      if (!terms.includes(surface)) terms.push(surface);
    }
    if (terms.length > 0) reading.found.set(type, terms);
  }
}

/**
 * The lists' pass over a text: their tags, and (with `forModel`) each word's
 * negation and shield marks for the model. Null for a text without words, or
 * without any list hit when the model is not asked for.
 */
export function readLists(text: string, lang: CompiledLanguage, forModel: boolean): ListReading | null {
  const lower = text.toLowerCase();
  // The folds keep the length (ą → a, ё → е), so offsets in the folded text are
  // offsets in `lower`, and the evidence keeps the letters as written.
  const folded = lang.fold(lower.includes("’") || lower.includes("ʼ") ? lower.replace(CURLY_APOSTROPHE, "'") : lower);
  const surfaceOf = folded.length === lower.length ? lower : folded;
  const { words, starts, ends, breakBefore } = splitWords(folded);
  if (words.length === 0) return null;
  const n = words.length;
  let negated = NO_MARKS;
  let skip = NO_MARKS;
  let clauseOf: Int32Array | null = null;
  if (forModel) {
    // Reused between texts (tagging is synchronous); only the first n marks are read.
    if (MARKS.clause.length < n) MARKS = newMarks(n);
    negated = MARKS.negated.fill(0, 0, n);
    skip = MARKS.skip.fill(0, 0, n);
    clauseOf = MARKS.clause;
  }
  let muted: Uint8Array | null = null;

  const hits: Hit[] = [];
  const shieldedClauses = new Set<number>();
  let sentence = 0;
  let clause = 0;
  let negatedUntil = -1;
  let negatedClause = -1;
  for (let i = 0; i < n; ) {
    const before = breakBefore[i]!;
    if (before === 2) sentence++;
    if (before > 0) clause++;
    const pattern = matchAt(lang, words, breakBefore, i);
    if (pattern === null) {
      if (clauseOf !== null) {
        clauseOf[i] = clause;
        if (i <= negatedUntil && clause === negatedClause) negated[i] = 1;
      }
      i++;
      continue;
    }
    const to = i + pattern.parts.length;
    let isNegator = false;
    let isBreak = false;
    for (const role of pattern.roles) {
      if (role.kind === "negator") isNegator = true;
      else if (role.kind === "break") isBreak = true;
    }
    if (isBreak) {
      // A contrast word ("ale", "но", "but") starts a new sentence for cues and a new clause for shields.
      sentence++;
      clause++;
    }
    const cancelled = i <= negatedUntil && clause === negatedClause;
    if (clauseOf !== null) {
      for (let k = i; k < to; k++) {
        clauseOf[k] = clause;
        if (cancelled) negated[k] = 1;
        // The negator and the contrast word carry their meaning through the marks they set.
        if (isNegator || isBreak) skip[k] = 1;
      }
    }
    for (const role of pattern.roles) {
      if (role.kind !== "shield" || cancelled) continue;
      shieldedClauses.add(clause);
      // A shield that opens its clause answers the one before: "Awaria? Jaka awaria?",
      // "Сбой устранили. Всё работает", "Outage? What outage?".
      if (i === 0 || breakBefore[i] !== 0 || isBreak) shieldedClauses.add(clause - 1);
    }
    if (isNegator) {
      negatedUntil = to - 1 + NEGATION_WORDS;
      negatedClause = clause;
    } else if (!isBreak) {
      hits.push({ pattern, from: i, to, sentence, clause, surface: surfaceOf.slice(starts[i]!, ends[to - 1]!), cancelled });
    }
    i = to;
  }
  if (hits.length === 0 && !forModel) return null;
  if (forModel && lang.muted.length > 0) {
    for (let k = 0; k < n; k++) {
      for (const { pattern, type } of lang.muted) {
        if (!phraseFits(pattern, words, breakBefore, k)) continue;
        muted ??= new Uint8Array(n);
        for (let j = k; j < k + pattern.parts.length; j++) muted[j] = muted[j]! | (1 << TYPE_INDEX.get(type)!);
      }
    }
  }
  if (clauseOf !== null && shieldedClauses.size > 0) {
    for (let k = 0; k < n; k++) if (shieldedClauses.has(clauseOf[k]!)) skip[k] = 1;
  }

  const live = (h: Hit): boolean => !h.cancelled && !shieldedClauses.has(h.clause);
  const found = new Map<ProblemType, string[]>();
  const tag = (type: ProblemType, ...surfaces: string[]): void => {
    const list = found.get(type) ?? [];
    for (const s of surfaces) if (!list.includes(s)) list.push(s);
    found.set(type, list);
  };
  for (const h of hits) {
    if (!live(h)) continue;
    for (const role of h.pattern.roles) {
      if (role.kind === "term") tag(role.type, h.surface);
      else if (role.kind === "cue") {
        const topic = nearestTopic(hits, h, live);
        if (topic !== null) {
          for (const r of topic.pattern.roles) if (r.kind === "topic") tag(r.type, topic.surface, h.surface);
        }
      }
    }
  }
  return { found, input: { words, breakBefore, negated, skip }, muted, surfaceOf, starts, ends };
}

/** The longest pattern that starts at word `at`: a phrase, else the exact word, else the longest stem. */
function matchAt(lang: CompiledLanguage, words: string[], breakBefore: number[], at: number): Pattern | null {
  const word = words[at]!;
  // Words shorter than MIN_STEM_CHARS are their own prefix, so the set holds them too.
  if (!lang.starts.has(word.length > MIN_STEM_CHARS ? word.slice(0, MIN_STEM_CHARS) : word)) return null;
  let best: Pattern | null = longestPhrase(lang.phrasesByWord.get(word), words, breakBefore, at, 1);
  const bucket = word.length >= MIN_STEM_CHARS ? lang.stemBuckets.get(word.slice(0, MIN_STEM_CHARS)) : undefined;
  if (bucket !== undefined) {
    for (const e of bucket) {
      if (e.phrases.patterns.length === 0 || !word.startsWith(e.stem)) continue;
      const found = longestPhrase(e.phrases, words, breakBefore, at, best?.parts.length ?? 1);
      if (found !== null) best = found;
    }
  }
  if (best !== null) return best;
  const exact = lang.words.get(word);
  if (exact !== undefined) return exact;
  if (bucket !== undefined) {
    for (const e of bucket) if (e.word !== null && word.startsWith(e.stem)) return e.word;
  }
  return null;
}

/** The longest of `candidates` (sorted longest first) longer than `longerThan` words that fits at `at` within one clause. */
function longestPhrase(candidates: PhraseList | undefined, words: string[], breakBefore: number[], at: number, longerThan: number): Pattern | null {
  if (candidates === undefined || at + 1 >= words.length || breakBefore[at + 1] !== 0) return null;
  const next = words[at + 1]!;
  if (!candidates.nextExact.has(next) && !candidates.nextStems.some((stem) => next.startsWith(stem))) return null;
  for (const p of candidates.patterns) {
    if (p.parts.length <= longerThan) return null;
    if (phraseFits(p, words, breakBefore, at)) return p;
  }
  return null;
}

function phraseFits(p: Pattern, words: string[], breakBefore: number[], at: number): boolean {
  if (at + p.parts.length > words.length) return false;
  for (let k = 0; k < p.parts.length; k++) {
    if (k > 0 && breakBefore[at + k] !== 0) return false;
    const part = p.parts[k]!;
    const word = words[at + k]!;
    if (!part.exact.has(word) && !part.stems.some((stem) => word.startsWith(stem))) return false;
  }
  return true;
}

/** The live topic nearest to `cue` within CUE_WINDOW words in its sentence; the earlier one on a tie. */
function nearestTopic(hits: Hit[], cue: Hit, live: (h: Hit) => boolean): Hit | null {
  let best: Hit | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const h of hits) {
    if (h === cue || h.sentence !== cue.sentence || !live(h)) continue;
    if (!h.pattern.roles.some((r) => r.kind === "topic")) continue;
    const distance = h.to <= cue.from ? cue.from - h.to : h.from - cue.to;
    if (distance < 0 || distance >= CUE_WINDOW) continue;
    if (distance < bestDistance) {
      best = h;
      bestDistance = distance;
    }
  }
  return best;
}
