import type { Lang } from "../mention";
import { MIN_STEM_CHARS, type CompiledLanguage, type CompiledProblemTerms, type Pattern, type PhraseList } from "./problems/compile-problem-terms";
import { PROBLEM_TYPES, type ProblemTag, type ProblemType } from "./problems/problem-types";
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
 * Limits (see the README): negation reaches two words; irony, rhetorical questions
 * and reported speech ("they say it is down, it is not") are read literally;
 * cues and topics do not cross sentences ("Zamówiłem paczkę. Nadal nic." tags nothing).
 */
export function tagProblems(text: string, lang: Lang, compiled: CompiledProblemTerms): ProblemTag[] {
  const terms = lang === "pl" || lang === "ru" || lang === "uk" ? compiled[lang] : compiled.en;
  return readProblems(typeof text === "string" ? text : "", terms);
}

/** How many words a cue may stand from the topic it makes a complaint. */
const CUE_WINDOW = 6;
/** How many words after a negator it still cancels. */
const NEGATION_WORDS = 2;

const CURLY_APOSTROPHE = /[’ʼ]/g;

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

function readProblems(text: string, lang: CompiledLanguage): ProblemTag[] {
  if (text.length === 0) return [];
  const lower = text.toLowerCase();
  // The folds keep the length (ą → a, ё → е), so offsets in the folded text are
  // offsets in `lower`, and the evidence keeps the letters as written.
  const folded = lang.fold(lower.includes("’") || lower.includes("ʼ") ? lower.replace(CURLY_APOSTROPHE, "'") : lower);
  const surfaceOf = folded.length === lower.length ? lower : folded;
  const { words, starts, ends, breakBefore } = splitWords(folded);

  const hits: Hit[] = [];
  const shieldedClauses = new Set<number>();
  let sentence = 0;
  let clause = 0;
  let negatedUntil = -1;
  let negatedClause = -1;
  for (let i = 0; i < words.length; ) {
    const before = breakBefore[i]!;
    if (before === 2) sentence++;
    if (before > 0) clause++;
    const pattern = matchAt(lang, words, breakBefore, i);
    if (pattern === null) {
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
  if (hits.length === 0) return [];

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
  if (found.size === 0) return [];
  const tags: ProblemTag[] = [];
  for (const type of PROBLEM_TYPES) {
    const t = found.get(type);
    if (t !== undefined) tags.push({ type, terms: t });
  }
  return tags;
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
