import type { ProblemModel } from "./problem-model";
import { shippedProblemModel } from "./shipped-problem-model";
import { PROBLEM_TYPES, TERM_LANGS, type ProblemTermDefaults, type ProblemTermList, type ProblemType, type TermLang } from "./problem-types";

/**
 * Turns the term lists (defaults plus configured overrides) into lookup maps,
 * once, so tagging a text is one pass over its words with a map lookup per word.
 *
 * Inflection is handled the way hand-written sentiment lexicons do it (stems and
 * listed forms, as in the sentiment lexicons beside this folder) rather than by a
 * lemmatiser: Polish and Russian endings change, the start of the word does not
 * ("awari*" → awaria, awarii, awarię; "доставк*" → доставка, доставку, доставки).
 * Where a stem would catch unrelated words after folding (Russian "сбо*" would catch
 * "сбор", a collection), the forms are listed instead: "сбо{й,я,и,ев,ем,ю,ям,ях}".
 */

/** A stem shorter than this would match half the dictionary. */
export const MIN_STEM_CHARS = 3;
/** Longest term accepted from configuration, in characters. */
export const MAX_TERM_CHARS = 400;
/** A term with several multi-word groups multiplies; beyond this it is surely a mistake. */
const MAX_EXPANSIONS = 64;

/** One word of a pattern: the exact forms and the stems it accepts. */
export interface Part {
  exact: ReadonlySet<string>;
  stems: readonly string[];
}

/** What a matched pattern means; one pattern may mean several things. */
export type Role =
  | { kind: "term"; type: ProblemType }
  | { kind: "topic"; type: ProblemType }
  | { kind: "cue" }
  | { kind: "negator" }
  | { kind: "shield" }
  | { kind: "break" };

export interface Pattern {
  /** The pattern as written in the list, for debugging and removal. */
  source: string;
  parts: Part[];
  roles: Role[];
}

/** The lookup maps of one language. */
export interface CompiledLanguage {
  fold: (lowercase: string) => string;
  /** Single-word patterns of exact forms. */
  words: Map<string, Pattern>;
  /** Multi-word patterns by their first word's exact forms, longest first. */
  phrasesByWord: Map<string, PhraseList>;
  /**
   * Stems by their first MIN_STEM_CHARS letters, longest stem first: a word is
   * checked against the few stems that share its first letters, one map lookup
   * per word rather than one per possible stem length.
   */
  stemBuckets: Map<string, StemEntry[]>;
  /**
   * The first MIN_STEM_CHARS letters of every word that can start a pattern: most
   * words of a text start none, and one set lookup skips them.
   */
  starts: Set<string>;
  /** The trained model that catches wording the lists miss; null reads the lists alone. */
  model: ProblemModel | null;
  /**
   * Terms the configuration removed ("-delay*"), with their type: the model may not
   * tag that type on the words they match either, so a removal stays a removal.
   */
  muted: { pattern: Pattern; type: ProblemType }[];
}

/** A stem, with the single-word pattern it ends and the phrases it starts. */
export interface StemEntry {
  stem: string;
  word: Pattern | null;
  phrases: PhraseList;
}

/**
 * Phrases that start with the same word, longest first, with every form their
 * second word may take: most words after "nie" or "не" start none of the dozens
 * of phrases, and one lookup says so.
 */
export interface PhraseList {
  patterns: Pattern[];
  nextExact: Set<string>;
  nextStems: string[];
}

const emptyPhraseList = (): PhraseList => ({ patterns: [], nextExact: new Set(), nextStems: [] });

export type CompiledProblemTerms = Readonly<Record<TermLang, CompiledLanguage>>;

/**
 * Configured changes to the default lists, per problem type and language. Each
 * entry adds a term; `~term` adds a topic (tags only next to a complaint cue);
 * `-term` removes a default term or topic written exactly so. Russian changes
 * apply to Ukrainian too, because Ukrainian is read with the Russian lists.
 */
export type ProblemTermOverrides = Partial<Record<ProblemType, Partial<Record<TermLang, readonly string[]>>>>;

export class ProblemTermError extends Error {
  override readonly name = "ProblemTermError";
}

/** Says what is wrong with a term as written, or null when it can be compiled. */
export function problemTermIssue(raw: string): string | null {
  if (raw.length > MAX_TERM_CHARS) return `a term has at most ${MAX_TERM_CHARS} characters`;
  const term = normalizeSource(raw.replace(/^\s*[~-]/, ""));
  if (term === "" || term.replace(/[*{},']/g, "").trim() === "") return "a term needs at least one word";
  const expanded = expandPhrases(term);
  if (expanded.length > MAX_EXPANSIONS) return `a term expands to at most ${MAX_EXPANSIONS} phrases`;
  for (const phrase of expanded) {
    if (phrase.trim() === "") return "an alternative leaves the term empty";
    for (const word of phrase.split(" ")) {
      const issue = partIssue(word);
      if (issue !== null) return `"${word}": ${issue}`;
    }
  }
  return null;
}

function partIssue(word: string): string | null {
  if ((word.includes("{") || word.includes("}")) && !/^[^{}]*\{[^{}]*\}[^{}]*$/.test(word)) return "write alternatives as one {a,b,c} group";
  for (const form of expandWord(word)) {
    const star = form.indexOf("*");
    if (star === -1) continue;
    if (star !== form.length - 1) return "* may only end a word (a stem)";
    if ([...form.slice(0, -1)].length < MIN_STEM_CHARS) return `a stem needs at least ${MIN_STEM_CHARS} letters`;
  }
  return null;
}

/**
 * Alternatives of several words are written in one group ("wszystko {działa,w porządku}")
 * and expanded into one phrase each, so the matcher only ever sees one word per part.
 */
function expandPhrases(term: string): string[] {
  const group = /\{[^{}]*\s[^{}]*\}/.exec(term);
  if (group === null) return [term];
  const before = term.slice(0, group.index);
  const after = term.slice(group.index + group[0].length);
  const out: string[] = [];
  for (const alt of group[0].slice(1, -1).split(",")) {
    for (const phrase of expandPhrases(`${before}${alt.trim()}${after}`)) {
      out.push(phrase.trim().split(/\s+/).join(" "));
      if (out.length > MAX_EXPANSIONS) return out;
    }
  }
  return out;
}

/** "сбо{й,я}" → ["сбой", "сбоя"]; "{cen*,opłat*}" → ["cen*", "opłat*"]; "awari*" → ["awari*"]. */
function expandWord(word: string): string[] {
  const group = /^([^{}]*)\{([^{}]*)\}([^{}]*)$/.exec(word);
  if (group === null) return [word];
  const [, head = "", alternatives = "", tail = ""] = group;
  return alternatives.split(",").map((alt) => `${head}${alt.trim()}${tail}`);
}

export interface CompileOptions {
  /** The model read beside the lists: the shipped one unless given; null for the lists alone. */
  model?: ProblemModel | null;
}

/** Compiles the defaults with the configured overrides; throws ProblemTermError on a bad term. */
export function compileProblemTerms(defaults: ProblemTermDefaults, overrides: ProblemTermOverrides = {}, options: CompileOptions = {}): CompiledProblemTerms {
  const model = options.model === undefined ? shippedProblemModel() : options.model;
  const compiled = {} as Record<TermLang, CompiledLanguage>;
  for (const lang of TERM_LANGS) {
    // Ukrainian is read with the Russian lists plus its own forms.
    const lists: ProblemTermList[] = lang === "uk" ? [defaults.ru, defaults.uk] : [defaults[lang]];
    const overrideLangs: TermLang[] = lang === "uk" ? ["ru", "uk"] : [lang];
    compiled[lang] = compileLanguage(lists, (type) => overrideLangs.flatMap((l) => overrides[type]?.[l] ?? []), model);
  }
  return compiled;
}

function compileLanguage(lists: ProblemTermList[], overridesOf: (type: ProblemType) => readonly string[], model: ProblemModel | null): CompiledLanguage {
  const fold = lists[0]!.fold;
  const byCanonical = new Map<string, Pattern>();
  const add = (source: string, role: Role): void => {
    const issue = problemTermIssue(source);
    if (issue !== null) throw new ProblemTermError(`problem term "${source}": ${issue}`);
    for (const phrase of expandPhrases(normalizeSource(source))) {
      const parts = parsePhrase(phrase, fold);
      const canonical = parts.map((p) => [...p.exact, ...p.stems.map((k) => `${k}*`)].sort().join("|")).join(" ");
      const existing = byCanonical.get(canonical);
      if (existing === undefined) byCanonical.set(canonical, { source, parts, roles: [role] });
      else if (!existing.roles.some((r) => sameRole(r, role))) existing.roles.push(role);
    }
  };

  const muted: CompiledLanguage["muted"] = [];
  const mute = (source: string, type: ProblemType): void => {
    const issue = problemTermIssue(source);
    if (issue !== null) throw new ProblemTermError(`problem term "${source}": ${issue}`);
    for (const phrase of expandPhrases(normalizeSource(source))) muted.push({ pattern: { source, parts: parsePhrase(phrase, fold), roles: [] }, type });
  };
  for (const type of PROBLEM_TYPES) {
    const changes = overridesOf(type).map((c) => c.trim());
    const removed = new Set(changes.filter((c) => c.startsWith("-")).map((c) => normalizeSource(c.slice(1))));
    for (const list of lists) {
      for (const t of list.terms[type]) if (!removed.has(normalizeSource(t))) add(t, { kind: "term", type });
      for (const t of list.topics[type]) if (!removed.has(normalizeSource(t))) add(t, { kind: "topic", type });
    }
    for (const change of changes) {
      // A removed term still marks its words, so the model does not put back what the user took out.
      if (change.startsWith("-")) mute(change.slice(1), type);
      else if (change.startsWith("~")) add(change.slice(1), { kind: "topic", type });
      else add(change, { kind: "term", type });
    }
  }
  for (const list of lists) {
    for (const t of list.cues) add(t, { kind: "cue" });
    for (const t of list.negators) add(t, { kind: "negator" });
    for (const t of list.shields) add(t, { kind: "shield" });
    for (const t of list.breaks) add(t, { kind: "break" });
  }

  const lang: CompiledLanguage = { fold, words: new Map(), phrasesByWord: new Map(), stemBuckets: new Map(), starts: new Set(), model, muted };
  const stems = new Map<string, StemEntry>();
  const entry = (stem: string): StemEntry => {
    let e = stems.get(stem);
    if (e === undefined) stems.set(stem, (e = { stem, word: null, phrases: emptyPhraseList() }));
    return e;
  };
  for (const pattern of byCanonical.values()) {
    const first = pattern.parts[0]!;
    if (pattern.parts.length === 1) {
      for (const key of first.exact) mergeInto(lang.words, key, pattern);
      for (const stem of first.stems) {
        const e = entry(stem);
        e.word = e.word === null ? pattern : mergeRoles(e.word, pattern);
      }
    } else {
      for (const key of first.exact) pushPhrase(lang.phrasesByWord, key, pattern);
      for (const stem of first.stems) {
        const e = entry(stem);
        addPhrase(e.phrases, pattern);
      }
    }
  }
  for (const key of [...lang.words.keys(), ...lang.phrasesByWord.keys(), ...stems.keys()]) lang.starts.add(key.slice(0, MIN_STEM_CHARS));
  for (const e of stems.values()) {
    const key = e.stem.slice(0, MIN_STEM_CHARS);
    const bucket = lang.stemBuckets.get(key) ?? [];
    bucket.push(e);
    bucket.sort((a, b) => b.stem.length - a.stem.length);
    lang.stemBuckets.set(key, bucket);
  }
  return lang;
}

/**
 * Lower-cases a term and splits it where the tagger splits text (a hyphen or a
 * dot separates words there too: "wi-fi" is the phrase "wi fi"); apostrophes are
 * written one way.
 */
export const normalizeSource = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[’ʼ]/g, "'")
    .replace(/[^\p{L}\p{M}\p{N}\p{Sc}*{},'\s]/gu, " ")
    .replace(/(\p{Sc})/gu, " $1 ")
    .trim()
    .split(/\s+/)
    .join(" ");

function parsePhrase(phrase: string, fold: (s: string) => string): Part[] {
  return phrase
    .split(" ")
    .map((word): Part => {
      const exact = new Set<string>();
      const stems: string[] = [];
      for (const form of expandWord(word)) {
        if (form.endsWith("*")) stems.push(fold(form.slice(0, -1)));
        else exact.add(fold(form));
      }
      return { exact, stems };
    });
}

const sameRole = (a: Role, b: Role): boolean =>
  a.kind === b.kind && ("type" in a ? "type" in b && a.type === b.type : true);

/** Two single-word patterns can share a form or a stem ("down" listed twice, as a term and a cue): merge their roles. */
function mergeInto(map: Map<string, Pattern>, key: string, pattern: Pattern): void {
  const existing = map.get(key);
  map.set(key, existing === undefined ? pattern : mergeRoles(existing, pattern));
}

function mergeRoles(existing: Pattern, pattern: Pattern): Pattern {
  const merged: Pattern = { source: existing.source, parts: existing.parts, roles: [...existing.roles] };
  for (const role of pattern.roles) if (!merged.roles.some((r) => sameRole(r, role))) merged.roles.push(role);
  return merged;
}

function pushPhrase(map: Map<string, PhraseList>, key: string, pattern: Pattern): void {
  let list = map.get(key);
  if (list === undefined) map.set(key, (list = emptyPhraseList()));
  addPhrase(list, pattern);
}

function addPhrase(list: PhraseList, pattern: Pattern): void {
  list.patterns.push(pattern);
  list.patterns.sort((a, b) => b.parts.length - a.parts.length);
  const second = pattern.parts[1]!;
  for (const key of second.exact) list.nextExact.add(key);
  for (const stem of second.stems) if (!list.nextStems.includes(stem)) list.nextStems.push(stem);
}
