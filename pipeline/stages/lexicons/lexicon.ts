/**
 * A hand-written sentiment lexicon and the scorer that reads text with it.
 *
 * Terms are written the way a person reads them:
 * - `"awari*"`: a stem; any word starting with it matches (awaria, awarii, awarię),
 *   which is how the lexicon survives Polish and Russian inflection without a lemmatiser;
 * - `"działa"`: an exact word, for short or ambiguous words whose stem would
 *   catch unrelated words ("działa" works, but "dział" is a department);
 * - `"nie dział*"`: a phrase of consecutive words, each exact or a stem. A phrase
 *   wins over the single words in it, and a phrase weighted 0 is a way to say
 *   "this is not sentiment" ("dzień dobry" is a greeting, not praise).
 * Weights follow AFINN's scale: about ±1 mild, ±2 clear, ±3 strong, ±4 abusive.
 */
export interface LexiconSource {
  terms: Readonly<Record<string, number>>;
  /** Words that flip the next one or two words: "nie polecam" is negative. */
  negators: readonly string[];
  /** Words that strengthen the next one or two words, with their factor. */
  intensifiers: Readonly<Record<string, number>>;
  /** Folds spelling variants before lookup (Polish typed without diacritics, ё/е). */
  fold: (lowercase: string) => string;
}

interface Part {
  key: string;
  prefix: boolean;
}

interface Phrase {
  parts: Part[];
  weight: number;
  /** A phrase that starts with a negator already carries its negation. */
  negated: boolean;
}

export interface CompiledLexicon {
  words: Map<string, number>;
  stems: Map<string, number>;
  /** Phrases by their first part (exact or stem), longest phrase first. */
  phrasesByWord: Map<string, Phrase[]>;
  phrasesByStem: Map<string, Phrase[]>;
  minStem: number;
  maxStem: number;
  /**
   * The first `minStem` letters of every stem (single or leading a phrase): a word
   * whose head is not here matches no stem, which spares the stem lookups (one
   * substring per possible stem length) for most words of a text.
   */
  stemHeads: Set<string>;
  negators: Set<string>;
  intensifiers: Map<string, number>;
  fold: (lowercase: string) => string;
}

/** One word or phrase that moved the score, as it appeared in the text. */
export interface Evidence {
  term: string;
  weight: number;
}

/** Stems shorter than this would match half the dictionary. */
const MIN_STEM_CHARS = 3;
/** How many words after a negator or intensifier it still reaches. */
const SCOPE_WORDS = 2;
/**
 * A negated negative is weaker than its positive: "nie jest źle" (not bad) is
 * faint praise, while "nie polecam" is a full warning.
 */
const NEGATED_NEGATIVE_FACTOR = 0.75;
/** A sentiment word written in capitals is shouted. */
const CAPS_FACTOR = 1.3;

// Words (with inner apostrophes: Ukrainian "зв'язок", English "don't") or clause breaks.
const TOKEN = /[\p{L}\p{M}\p{N}]+(?:['’ʼ][\p{L}\p{M}]+)*|[.!?;:,…\n]+/gu;
const IS_BREAK = /^[.!?;:,…\n]/;

export const compileLexicon = (...sources: LexiconSource[]): CompiledLexicon => {
  const fold = sources[0]?.fold ?? ((s: string) => s);
  const lex: CompiledLexicon = {
    words: new Map(),
    stems: new Map(),
    phrasesByWord: new Map(),
    phrasesByStem: new Map(),
    minStem: Number.POSITIVE_INFINITY,
    maxStem: 0,
    stemHeads: new Set(),
    negators: new Set(),
    intensifiers: new Map(),
    fold,
  };
  for (const source of sources) {
    for (const n of source.negators) lex.negators.add(fold(n.toLowerCase()));
    for (const [word, factor] of Object.entries(source.intensifiers)) lex.intensifiers.set(fold(word.toLowerCase()), factor);
  }
  for (const source of sources) {
    for (const [term, weight] of Object.entries(source.terms)) {
      const parts = term
        .toLowerCase()
        .split(/\s+/)
        .filter((p) => p !== "")
        .map((p): Part => (p.endsWith("*") ? { key: fold(p.slice(0, -1)), prefix: true } : { key: fold(p), prefix: false }));
      const first = parts[0];
      if (first === undefined) continue;
      if (parts.length === 1) {
        if (first.prefix) {
          if (first.key.length < MIN_STEM_CHARS) throw new Error(`lexicon stem "${term}" is shorter than ${MIN_STEM_CHARS} letters`);
          lex.stems.set(first.key, weight);
          lex.minStem = Math.min(lex.minStem, first.key.length);
          lex.maxStem = Math.max(lex.maxStem, first.key.length);
        } else {
          lex.words.set(first.key, weight);
        }
        continue;
      }
      const phrase: Phrase = { parts, weight, negated: !first.prefix && lex.negators.has(first.key) };
      const index = first.prefix ? lex.phrasesByStem : lex.phrasesByWord;
      const list = index.get(first.key) ?? [];
      list.push(phrase);
      list.sort((a, b) => b.parts.length - a.parts.length);
      index.set(first.key, list);
      if (first.prefix) {
        lex.minStem = Math.min(lex.minStem, first.key.length);
        lex.maxStem = Math.max(lex.maxStem, first.key.length);
      }
    }
  }
  for (const stem of [...lex.stems.keys(), ...lex.phrasesByStem.keys()]) lex.stemHeads.add(stem.slice(0, lex.minStem));
  return lex;
};

export interface LexiconReading {
  /** Sum of the weights found (before the caller's normalisation). */
  sum: number;
  evidence: Evidence[];
}

/**
 * Reads `text` with a compiled lexicon: phrases first, then negators and
 * intensifiers (which reach the next two words of the same clause), then single
 * words, exact before the longest matching stem.
 */
export const readWithLexicon = (text: string, lex: CompiledLexicon): LexiconReading => {
  const surface: string[] = [];
  const folded: string[] = [];
  const breakBefore: boolean[] = [];
  let pendingBreak = false;
  // Lowercasing and folding the whole text once is a fifth of the cost of doing it
  // per word; it is only possible where both keep every character in its place
  // (true of Latin and Cyrillic text; "İ" lowercases to two code units).
  const lower = lex.fold(text.toLowerCase());
  const aligned = lower.length === text.length;
  for (const match of text.matchAll(TOKEN)) {
    const token = match[0];
    const c = token.charCodeAt(0);
    if (c < 0x30 || c === 0x3a || c === 0x3b || c === 0x3f || c === 0x2026) {
      if (IS_BREAK.test(token)) {
        pendingBreak = true;
        continue;
      }
    }
    surface.push(token);
    folded.push(aligned ? lower.slice(match.index, match.index + token.length) : lex.fold(token.toLowerCase()));
    breakBefore.push(pendingBreak);
    pendingBreak = false;
  }

  const evidence: Evidence[] = [];
  let sum = 0;
  let negator: string | null = null;
  let negationLeft = 0;
  let boost = 1;
  let boostLeft = 0;
  for (let i = 0; i < folded.length; i++) {
    if (breakBefore[i]) {
      negationLeft = 0;
      boostLeft = 0;
    }
    const word = folded[i]!;
    const phrase = matchPhrase(lex, folded, breakBefore, i);
    let weight: number | null = null;
    let term = "";
    let consumed = 1;
    if (phrase !== null) {
      weight = phrase.weight;
      consumed = phrase.parts.length;
      term = surface.slice(i, i + consumed).join(" ");
      if (phrase.negated) negationLeft = 0;
    } else if (lex.negators.has(word)) {
      negator = surface[i]!.toLowerCase();
      negationLeft = SCOPE_WORDS;
      continue;
    } else if (lex.intensifiers.has(word)) {
      boost = lex.intensifiers.get(word)!;
      boostLeft = SCOPE_WORDS;
      continue;
    } else {
      weight = lookupWord(lex, word);
      term = surface[i]!;
    }

    if (weight === null) {
      negationLeft = Math.max(0, negationLeft - 1);
      boostLeft = Math.max(0, boostLeft - 1);
      continue;
    }
    i += consumed - 1;
    if (weight === 0) {
      // A neutral phrase: it is read, it counts for nothing, and it ends any scope.
      negationLeft = 0;
      boostLeft = 0;
      continue;
    }
    if (boostLeft > 0) weight *= boost;
    if (isShouted(term)) weight *= CAPS_FACTOR;
    if (negationLeft > 0) {
      weight = weight > 0 ? -weight : -weight * NEGATED_NEGATIVE_FACTOR;
      term = `${negator} ${term}`;
    }
    negationLeft = 0;
    boostLeft = 0;
    sum += weight;
    evidence.push({ term, weight });
  }
  return { sum, evidence };
};

const lookupWord = (lex: CompiledLexicon, word: string): number | null => {
  const exact = lex.words.get(word);
  if (exact !== undefined) return exact;
  if (!lex.stemHeads.has(word.slice(0, lex.minStem))) return null;
  for (let n = Math.min(word.length, lex.maxStem); n >= lex.minStem; n--) {
    const stem = lex.stems.get(word.slice(0, n));
    if (stem !== undefined) return stem;
  }
  return null;
};

const matchPhrase = (lex: CompiledLexicon, words: string[], breakBefore: boolean[], at: number): Phrase | null => {
  const word = words[at]!;
  let best = firstFit(lex.phrasesByWord.get(word), words, breakBefore, at, 0);
  if (lex.phrasesByStem.size > 0 && lex.stemHeads.has(word.slice(0, lex.minStem))) {
    for (let n = Math.min(word.length, lex.maxStem); n >= lex.minStem; n--) {
      const found = firstFit(lex.phrasesByStem.get(word.slice(0, n)), words, breakBefore, at, best?.parts.length ?? 0);
      if (found !== null) best = found;
    }
  }
  return best;
};

/** The longest phrase of `candidates` (sorted longest first) that fits and is longer than `longerThan`. */
const firstFit = (
  candidates: Phrase[] | undefined,
  words: string[],
  breakBefore: boolean[],
  at: number,
  longerThan: number,
): Phrase | null => {
  if (candidates === undefined) return null;
  for (const p of candidates) {
    if (p.parts.length <= longerThan) return null;
    if (phraseFits(p, words, breakBefore, at)) return p;
  }
  return null;
};

const phraseFits = (p: Phrase, words: string[], breakBefore: boolean[], at: number): boolean => {
  if (at + p.parts.length > words.length) return false;
  for (let k = 0; k < p.parts.length; k++) {
    if (k > 0 && breakBefore[at + k]) return false;
    const part = p.parts[k]!;
    const word = words[at + k]!;
    if (part.prefix ? !word.startsWith(part.key) : word !== part.key) return false;
  }
  return true;
};

const isShouted = (term: string): boolean => {
  if (term.length < 3) return false;
  const upper = term.toUpperCase();
  return term === upper && term !== term.toLowerCase();
};
