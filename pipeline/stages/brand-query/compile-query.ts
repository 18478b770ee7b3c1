import type { Lang } from "../../mention";
import { detectLanguage } from "../detect-language";
import { inflect, type Inflection, type InflectionLang } from "./inflect";
import { stringSource, type DiacriticMode } from "./letters";
import { parseQuery, type QueryNode, type Scope } from "./parse-query";
import { queryError, type QueryError } from "./query-error";
import type { TermWord } from "./tokenize";
import { primarySpelling, scriptOf, transliterate, type Script, type Segment } from "./transliterate";
import { WordScanner } from "./word-scanner";

export interface CompileOptions {
  /** How diacritics count (default `ascii-too`; see letters.ts). */
  diacritics?: DiacriticMode;
}

/** What a query is matched against: a mention's fields. */
export interface MatchSubject {
  text: string;
  title: string;
  source: string;
  authorHandle: string;
  authorName: string;
  /** The source's own language claim, a hint for detection. */
  claimedLang: string;
  /** A known language; when absent, `lang:` detects it from the text (only if reached). */
  lang?: Lang;
}

/** One way a word of a term may be spelled in a text. */
export interface TermVariant {
  /** "as written", "inflected (pl)", "transliterated to Latin, inflected (pl)" … */
  kind: string;
  /** The declension rule that produced the endings. */
  rule: string;
  pattern: RegExp;
}

export interface CompiledTerm {
  label: string;
  scope: Scope;
  caseSensitive: boolean;
  /** Not under a NOT: its matches are reported in `matchedTerms`. */
  positive: boolean;
  /** The whole term with its word boundaries, as one expression (explanations, reading). */
  pattern: RegExp;
  /** The same match, found faster (what matching uses). */
  scanner: WordScanner;
  /** `scanner`'s expression and whether it needs a word boundary before it: for combining terms. */
  scanSource: string;
  boundaryBefore: boolean;
  /** For single words, one per spelling family (explanations only). */
  variants: TermVariant[];
}

export interface ExplainedNode {
  /** The clause as written: a term, a field filter, or AND / OR / NOT. */
  clause: string;
  result: boolean;
  /** For a term: what matched, where, and which form. */
  detail?: string;
  children: ExplainedNode[];
}

export interface CompiledQuery {
  readonly terms: readonly CompiledTerm[];
  /**
   * One scan that every matching text passes (any positive term of the text),
   * or null when the query can match without one (`NOT x`, `source:reddit`).
   */
  readonly prefilter: WordScanner | null;
  matches(s: MatchSubject): boolean;
  /** Labels of the positive terms found, in query order, without repeats. */
  matchedTerms(s: MatchSubject): string[];
  explain(s: MatchSubject): ExplainedNode;
}

export type Compiled = { ok: true; query: CompiledQuery } | { ok: false; error: QueryError };

/** Parses and compiles a query; never throws. */
export function compileQuery(query: string, options: CompileOptions = {}): Compiled {
  const parsed = parseQuery(query);
  if (!parsed.ok) return parsed;
  return compileAst(parsed.ast, options, query);
}

/** More terms than this are refused: the alternation would grow past what one scan should cost. */
export const MAX_TERMS = 1_000;

/** Compiles a parsed (or built) query; never throws. */
export function compileAst(ast: QueryNode, options: CompileOptions = {}, query = ""): Compiled {
  try {
    return { ok: true, query: new QueryProgram(ast, options.diacritics ?? "ascii-too") };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, error: queryError(query, e instanceof TooLarge ? e.at : 0, `query cannot be compiled: ${message}`) };
  }
}

class TooLarge extends Error {
  constructor(readonly at: number) {
    super(`more than ${MAX_TERMS} terms`);
  }
}

// A "word character" for boundaries: letters, combining marks and digits of any
// script. JavaScript's \b knows only ASCII, so it would see no boundaries in "Орлен".
const WORD_CHAR = "[\\p{L}\\p{M}\\p{N}]";
const STARTS_WITH_WORD_CHAR = /^[\p{L}\p{M}\p{N}]/u;
const ENDS_WITH_WORD_CHAR = /[\p{L}\p{M}\p{N}]$/u;
const OTHER_LANG: Record<Script, InflectionLang> = { latin: "ru", cyrillic: "pl" };
const NATIVE_LANG: Record<Script, InflectionLang> = { latin: "pl", cyrillic: "ru" };
const OTHER_SCRIPT: Record<Script, string> = { latin: "Cyrillic", cyrillic: "Latin" };

interface WordPiece {
  kind: string;
  rule: string;
  source: string;
}

type Evaluate = (s: MatchSubject) => boolean;

class QueryProgram implements CompiledQuery {
  readonly terms: CompiledTerm[] = [];
  readonly prefilter: WordScanner | null;
  private readonly evaluate: Evaluate;
  private readonly termOf = new Map<QueryNode, CompiledTerm>();

  constructor(
    private readonly ast: QueryNode,
    private readonly mode: DiacriticMode,
  ) {
    this.collectTerms(ast, true);
    const prefilterTerms = requiresText(ast) ? this.terms.filter((t) => t.positive && t.scope === "text") : [];
    this.prefilter = prefilterTerms.length === 0 ? null : combine(prefilterTerms, "iu");
    // A case-sensitive term is in the prefilter case-insensitively (a superset), so
    // the prefilter's answer stands in for the terms only when none is case-sensitive.
    const exact = prefilterTerms.every((t) => !t.caseSensitive);
    this.evaluate = this.build(ast, new Set(exact ? prefilterTerms : []));
  }

  matches(s: MatchSubject): boolean {
    if (this.prefilter !== null && !this.prefilter.test(s.text)) return false;
    return this.evaluate(s);
  }

  matchedTerms(s: MatchSubject): string[] {
    const out: string[] = [];
    for (const t of this.terms) {
      if (t.positive && !out.includes(t.label) && t.scanner.test(t.scope === "title" ? s.title : s.text)) out.push(t.label);
    }
    return out;
  }

  explain(s: MatchSubject): ExplainedNode {
    const tree = this.explainNode(this.ast, s);
    if (this.prefilter !== null && !this.prefilter.test(s.text)) {
      return { clause: "(quick scan)", result: false, detail: "none of the query's terms occurs in the text", children: [tree] };
    }
    return tree;
  }

  private collectTerms(node: QueryNode, positive: boolean): void {
    switch (node.kind) {
      case "or":
      case "and":
        for (const c of node.children) this.collectTerms(c, positive);
        return;
      case "not":
        this.collectTerms(node.child, !positive);
        return;
      case "field":
        return;
      case "term": {
        if (this.terms.length >= MAX_TERMS) throw new TooLarge(node.at);
        const term = this.compileTerm(node, positive);
        this.terms.push(term);
        this.termOf.set(node, term);
      }
    }
  }

  private compileTerm(node: Extract<QueryNode, { kind: "term" }>, positive: boolean): CompiledTerm {
    const flags = node.caseSensitive ? "u" : "iu";
    const first = node.words[0]!;
    const last = node.words[node.words.length - 1]!;
    const before = STARTS_WITH_WORD_CHAR.test(first.text) ? `(?<!${WORD_CHAR})` : "";
    const after = !last.prefix && ENDS_WITH_WORD_CHAR.test(last.text) ? `(?!${WORD_CHAR})` : "";
    const pieces = node.words.map((w) => this.wordPieces(w, node.exact));
    const body = pieces.map((p) => (p.length === 1 ? p[0]!.source : `(?:${p.map((v) => v.source).join("|")})`)).join("\\s+");
    const variants =
      node.words.length === 1
        ? pieces[0]!.map((v) => ({ kind: v.kind, rule: v.rule, pattern: new RegExp(`${before}(?:${v.source})${after}`, `${flags}y`) }))
        : [];
    const scanSource = `(?:${body})${after}`;
    return {
      label: node.label,
      scope: node.scope,
      caseSensitive: node.caseSensitive,
      positive,
      pattern: new RegExp(`${before}${scanSource}`, flags),
      scanner: new WordScanner(scanSource, flags, before !== ""),
      scanSource,
      boundaryBefore: before !== "",
      variants,
    };
  }

  /** The spellings of one word: as written and inflected, then in the other script. */
  private wordPieces(w: TermWord, exact: boolean): WordPiece[] {
    const mode = exact ? "strict" : this.mode;
    if (exact) return [{ kind: w.prefix ? "exact, any ending" : "exact form", rule: "as written", source: stringSource(w.text, mode) }];
    const script = scriptOf(w.text);
    if (w.prefix) {
      const pieces: WordPiece[] = [{ kind: "any ending (*)", rule: "as written", source: stringSource(w.text, mode) }];
      const segments = script === null ? null : transliterate(w.text, script);
      if (segments !== null && script !== null) {
        pieces.push({ kind: `transliterated to ${OTHER_SCRIPT[script]}, any ending (*)`, rule: "as written", source: segmentsSource(segments, mode) });
      }
      return pieces;
    }
    if (script === null) return [{ kind: "as written", rule: "not a plain word: as written", source: stringSource(w.text, mode) }];

    const native = inflect(w.text, NATIVE_LANG[script]);
    const pieces: WordPiece[] = [
      { kind: native.tails.length > 1 ? `inflected (${NATIVE_LANG[script]})` : "as written", rule: native.rule, source: inflectionSource(native, mode) },
    ];
    const segments = transliterate(w.text, script);
    if (segments === null) return pieces;
    const otherLang = OTHER_LANG[script];
    // The last letter decides the declension, and its spellings may decide differently
    // (кс → "ks" takes -sie, "x" takes -xie): inflect each spelling of it on its own.
    const head = segments.slice(0, -1);
    const tail = segments[segments.length - 1]!;
    const others = tail.alts.map((alt) => {
      const spelled = [...head, { from: tail.from, alts: [alt] }];
      return { spelled, inflection: inflect(primarySpelling(spelled), otherLang) };
    });
    const other = others[0]!.inflection;
    pieces.push({
      kind: `transliterated to ${OTHER_SCRIPT[script]}${other.tails.length > 1 ? `, inflected (${otherLang})` : ""}`,
      rule: other.rule,
      source: alternation(others.map((o) => transliteratedInflection(o.spelled, o.inflection, mode))),
    });
    if (script === "cyrillic" && native.tails.length > 1) {
      // Russian forms written in Latin letters: "Sberbankom", "Yandeksa".
      const stem = transliterate(native.stem, script);
      if (stem !== null) {
        // Each ending is transliterated after the stem's last letter, so that "е" after a consonant is "e", not "ye".
        const lastLetter = [...native.stem].at(-1) ?? "";
        const tails = native.tails.map((t) => (t === "" ? "" : segmentsSource((transliterate(lastLetter + t, "cyrillic") ?? []).slice(1), mode)));
        pieces.push({ kind: "Russian forms transliterated to Latin", rule: native.rule, source: `${segmentsSource(stem, mode)}${alternation(tails)}` });
      }
    }
    return pieces;
  }

  private build(node: QueryNode, prefilterTerms: ReadonlySet<CompiledTerm>): Evaluate {
    switch (node.kind) {
      case "term": {
        const term = this.termOf.get(node)!;
        if (prefilterTerms.size === 1 && prefilterTerms.has(term)) return () => true; // the prefilter just found it
        const scanner = term.scanner;
        return term.scope === "title" ? (s) => scanner.test(s.title) : (s) => scanner.test(s.text);
      }
      case "or": {
        const terms = node.children.map((c) => (c.kind === "term" ? this.termOf.get(c)! : null));
        if (terms.every((t) => t !== null)) {
          const all = terms as CompiledTerm[];
          // The prefilter has already answered exactly this question.
          if (prefilterTerms.size > 0 && all.length === prefilterTerms.size && all.every((t) => prefilterTerms.has(t))) return () => true;
          const sameKind = all.every((t) => t.scope === all[0]!.scope && t.caseSensitive === all[0]!.caseSensitive);
          if (sameKind) {
            const scanner = combine(all, all[0]!.caseSensitive ? "u" : "iu");
            return all[0]!.scope === "title" ? (s) => scanner.test(s.title) : (s) => scanner.test(s.text);
          }
        }
        const children = node.children.map((c) => this.build(c, prefilterTerms));
        return (s) => children.some((c) => c(s));
      }
      case "and": {
        const children = node.children.map((c) => this.build(c, prefilterTerms));
        return (s) => children.every((c) => c(s));
      }
      case "not": {
        const child = this.build(node.child, prefilterTerms);
        return (s) => !child(s);
      }
      case "field":
        return fieldTest(node.field, node.values);
    }
  }

  private explainNode(node: QueryNode, s: MatchSubject): ExplainedNode {
    switch (node.kind) {
      case "term": {
        const term = this.termOf.get(node)!;
        const text = term.scope === "title" ? s.title : s.text;
        const m = term.pattern.exec(text);
        if (m === null) return { clause: term.label, result: false, children: [] };
        const variant = term.variants.find((v) => {
          v.pattern.lastIndex = m.index;
          return v.pattern.test(text);
        });
        const form = variant === undefined ? "" : `, ${variant.kind}${variant.rule === "as written" ? "" : ` — ${variant.rule}`}`;
        return { clause: term.label, result: true, detail: `found "${m[0]}" at character ${m.index + 1} of the ${term.scope}${form}`, children: [] };
      }
      case "field": {
        const result = fieldTest(node.field, node.values)(s);
        const actual =
          node.field === "lang" ? langOf(s) : node.field === "source" ? s.source : `${s.authorHandle || "-"} / ${s.authorName || "-"}`;
        return { clause: node.label, result, detail: `${node.field} is ${JSON.stringify(actual)}`, children: [] };
      }
      case "not": {
        const child = this.explainNode(node.child, s);
        return { clause: "NOT", result: !child.result, children: [child] };
      }
      case "and":
      case "or": {
        const children = node.children.map((c) => this.explainNode(c, s));
        const result = node.kind === "and" ? children.every((c) => c.result) : children.some((c) => c.result);
        return { clause: node.kind.toUpperCase(), result, children };
      }
    }
  }
}

/**
 * One scanner for several terms. Terms that start with a symbol need no boundary
 * before them while word terms do, so the two kinds are kept apart by a lookbehind
 * only when both occur (rare: "#lumio" next to "Lumio").
 */
function combine(terms: readonly CompiledTerm[], flags: string): WordScanner {
  const words = terms.filter((t) => t.boundaryBefore);
  if (words.length === terms.length) return new WordScanner(words.map((t) => t.scanSource).join("|"), flags, true);
  if (words.length === 0) return new WordScanner(terms.map((t) => t.scanSource).join("|"), flags, false);
  return new WordScanner(terms.map((t) => t.pattern.source).join("|"), flags, false);
}

/** True when every text the node matches contains one of its positive text terms. */
function requiresText(node: QueryNode): boolean {
  switch (node.kind) {
    case "term":
      return node.scope === "text";
    case "and":
      return node.children.some(requiresText);
    case "or":
      return node.children.every(requiresText);
    default:
      return false;
  }
}

const alternation = (parts: readonly string[]): string => {
  const unique = [...new Set(parts)];
  if (unique.length === 1) return unique[0]!;
  // Longest first is not needed for correctness (the boundary after decides), but it finds the form sooner.
  unique.sort((a, b) => b.length - a.length);
  return `(?:${unique.join("|")})`;
};

const inflectionSource = (inf: Inflection, mode: DiacriticMode): string =>
  `${stringSource(inf.stem, mode)}${alternation(inf.tails.map((t) => stringSource(t, mode)))}`;

const segmentsSource = (segments: readonly Segment[], mode: DiacriticMode): string =>
  segments.map((seg) => alternation(seg.alts.map((a) => stringSource(a, mode)))).join("");

/**
 * The transliterated word with the other language's endings. The inflection
 * was computed on the primary spelling; the segments that lie wholly inside its
 * stem keep all their alternative spellings, the rest is spelt as the stem says.
 */
function transliteratedInflection(segments: readonly Segment[], inf: Inflection, mode: DiacriticMode): string {
  let used = 0;
  let k = 0;
  while (k < segments.length && used + segments[k]!.alts[0]!.length <= inf.stem.length) {
    used += segments[k]!.alts[0]!.length;
    k++;
  }
  const leftover = inf.stem.slice(used);
  return `${segmentsSource(segments.slice(0, k), mode)}${alternation(inf.tails.map((t) => stringSource(leftover + t, mode)))}`;
}

// Detection runs at most once per mention, and only when a `lang:` clause is reached.
let lastText: string | null = null;
let lastClaimed: string | null = null;
let lastLang: Lang = "und";

function langOf(s: MatchSubject): Lang {
  if (s.lang !== undefined) return s.lang;
  if (s.text !== lastText || s.claimedLang !== lastClaimed) {
    lastLang = detectLanguage(s.text, s.claimedLang).lang;
    lastText = s.text;
    lastClaimed = s.claimedLang;
  }
  return lastLang;
}

function fieldTest(field: "lang" | "source" | "author", values: readonly string[]): Evaluate {
  if (field === "lang") {
    const set = new Set(values);
    return (s) => set.has(langOf(s));
  }
  const tests = values.map((v): ((x: string) => boolean) => {
    if (v.endsWith("*")) {
      const prefix = v.replace(/\*+$/, "");
      return (x) => x.startsWith(prefix);
    }
    return (x) => x === v;
  });
  const any = (x: string): boolean => tests.some((t) => t(x));
  if (field === "source") return (s) => any(s.source.toLowerCase());
  return (s) => any(s.authorHandle.toLowerCase().replace(/^@/, "")) || any(s.authorName.toLowerCase());
}
