import type { Lang } from "../../mention";
import { FNV_OFFSET, fnvRange as fnvRangeOf, fnvString } from "./hash";

/**
 * The sentiment model's tokenizer: one pass over char codes of the lowercased
 * text, writing into typed arrays it reuses, so scoring a mention allocates one
 * lowercased string and nothing per token.
 *
 * What it normalises, and why:
 * - lowercase, ё→е, ’ and ʼ → ' (people type either);
 * - Polish letters folded to ASCII ("działa" = "dziala": mentions are often typed without them);
 * - letters repeated three or more times cut to two ("suuuper" = "suuper");
 * - URLs, @user handles and numbers become one token each: their value never carries sentiment;
 * - emoji are tokens of their own (skin tones and variation selectors dropped), and ASCII
 *   emoticons (":)", ":-(", "<3", Russian "))" and "((" ) become a token per kind;
 * - "#tag" is read as the word "tag".
 * - greetings and set phrases with a sentiment word in them ("dzień dobry", "добрый
 *   день") become KIND_SET_PHRASE tokens, which the features read as one greeting:
 *   the hand-written lexicons mark them as not sentiment, and the training data has
 *   too few of them to learn it.
 * Negation: the words after a negator (nie/не/ни/not/no/never …) up to the next
 * punctuation, at most `NEGATION_SCOPE` of them, are marked negated.
 */

// A local binding: under tsx an imported function is read through a getter on every call.
const fnvRange = fnvRangeOf;

export const KIND_WORD = 0;
export const KIND_URL = 1;
export const KIND_USER = 2;
export const KIND_NUMBER = 3;
export const KIND_EMOJI = 4;
export const KIND_EMOTICON = 5;
/**
 * "?" (one token per punctuation run, whatever its length). "!" is no token: it
 * strengthens what the words say (the scorer sharpens the logits) and creates no
 * sentiment of its own, where a feature would learn that most "!" in the data are happy.
 */
export const KIND_MARK = 6;
/** A word of a set phrase that looks like sentiment and is not ("dzień dobry", "добрый день", "good morning"). */
export const KIND_SET_PHRASE = 7;

/** Mentions are clipped at 5,000 characters by default; longer text adds little to its tone. */
export const MAX_CHARS = 5_000;
/** How many words after a negator it still reaches (within one clause). */
export const NEGATION_SCOPE = 4;

export interface TokenBuffer {
  /** The lowercased (and clipped) text the spans point into. */
  text: string;
  count: number;
  kind: Uint8Array;
  /** Span of the token in `text`, for showing the deciding words. */
  start: Int32Array;
  end: Int32Array;
  /** Span of the token's normalised code units in `chars`. */
  charStart: Int32Array;
  charEnd: Int32Array;
  chars: Uint16Array;
  /** FNV-1a of the normalised token (constant per kind for URL, user, number, emoticons). */
  hash: Int32Array;
  /** 1 when a negator governs the token. */
  negated: Uint8Array;
  /** The negator's token index, or -1. */
  negator: Int32Array;
}

export const createTokenBuffer = (): TokenBuffer => ({
  text: "",
  count: 0,
  kind: new Uint8Array(MAX_CHARS + 1),
  start: new Int32Array(MAX_CHARS + 1),
  end: new Int32Array(MAX_CHARS + 1),
  charStart: new Int32Array(MAX_CHARS + 1),
  charEnd: new Int32Array(MAX_CHARS + 1),
  chars: new Uint16Array(MAX_CHARS + 16),
  hash: new Int32Array(MAX_CHARS + 1),
  negated: new Uint8Array(MAX_CHARS + 1),
  negator: new Int32Array(MAX_CHARS + 1),
});

// ---- per-language negators ---------------------------------------------------

const NEGATOR_WORDS: Record<"pl" | "ru" | "en", string> = {
  pl: "nie ani nigdy brak bez żaden żadna żadne żadnego żadnej żadnych nic niczego nikt nikogo",
  // Ukrainian words ride along: Ukrainian is scored with the Russian model.
  ru: "не ни нет никогда без ничего никто никого нельзя ні немає ніколи нічого ніхто",
  en: "not no never nothing nobody none nor neither without cannot can't cant don't dont doesn't doesnt didn't didnt isn't isnt aren't arent wasn't wasnt weren't werent won't wont wouldn't wouldnt couldn't couldnt shouldn't shouldnt haven't havent hasn't hasnt hadn't hadnt ain't aint",
};

export type ModelLang = "pl" | "ru" | "en";

/** The model a language is read with: Ukrainian shares the Russian one. */
export const modelLangOf = (lang: Lang): ModelLang | null =>
  lang === "pl" ? "pl" : lang === "ru" || lang === "uk" ? "ru" : lang === "en" ? "en" : null;

const POLISH_FOLD = new Map<number, number>(
  [..."ąaćcęełlńnóośsźzżz"].reduce<[number, number][]>((pairs, ch, i, all) => {
    if (i % 2 === 0) pairs.push([ch.charCodeAt(0), all[i + 1]!.charCodeAt(0)]);
    return pairs;
  }, []),
);

/** Maps one lowercased code unit to its normalised form. */
const normaliseCode = (code: number, foldPolish: boolean): number => {
  if (code < 0x80) return code;
  if (code === 0x451) return 0x435; // ё → е
  if (code === 0x2019 || code === 0x2bc || code === 0x60) return 0x27; // ’ ʼ → '
  if (foldPolish) {
    const folded = POLISH_FOLD.get(code);
    if (folded !== undefined) return folded;
  }
  return code;
};

const hashWord = (word: string, foldPolish: boolean): number => {
  let h = FNV_OFFSET;
  const lower = word.toLowerCase();
  for (let i = 0; i < lower.length; i++) h = Math.imul(h ^ normaliseCode(lower.charCodeAt(i), foldPolish), 16777619);
  return h;
};

/** The lexicons' zero-weight set phrases (pipeline/stages/lexicons), as pairs of words. */
const SET_PHRASES: Record<ModelLang, string[]> = {
  pl: ["dzień dobry", "dobry wieczór", "dobrej nocy", "na dobre", "po prostu", "dobry dzień"],
  ru: ["добрый день", "доброе утро", "добрый вечер", "доброй ночи", "всего доброго", "в общем", "добрий день", "доброго дня"],
  en: ["good morning", "good evening", "good night", "good afternoon", "good day"],
};

const pairKey = (a: number, b: number): number => Math.imul(a, 0x9e3779b1) ^ b;

const SET_PHRASE_KEYS: Record<ModelLang, Set<number>> = {
  pl: new Set(SET_PHRASES.pl.map((p) => phraseKey(p, true))),
  ru: new Set(SET_PHRASES.ru.map((p) => phraseKey(p, false))),
  en: new Set(SET_PHRASES.en.map((p) => phraseKey(p, false))),
};

function phraseKey(phrase: string, foldPolish: boolean): number {
  const [a = "", b = ""] = phrase.split(" ");
  return pairKey(hashWord(a, foldPolish), hashWord(b, foldPolish));
}

const NEGATORS: Record<ModelLang, Set<number>> = {
  pl: new Set(NEGATOR_WORDS.pl.split(" ").map((w) => hashWord(w, true))),
  ru: new Set(NEGATOR_WORDS.ru.split(" ").map((w) => hashWord(w, false))),
  en: new Set(NEGATOR_WORDS.en.split(" ").map((w) => hashWord(w.replace("’", "'"), false))),
};

// Constant hashes of the placeholder tokens and emoticon kinds.
export const URL_HASH = fnvString("\u0001url");
export const USER_HASH = fnvString("\u0001user");
export const NUMBER_HASH = fnvString("\u0001num");
export const QUESTION_HASH = fnvString("\u0001?");
export const EMOTICON = {
  smile: fnvString("\u0002smile"),
  laugh: fnvString("\u0002laugh"),
  wink: fnvString("\u0002wink"),
  tongue: fnvString("\u0002tongue"),
  heart: fnvString("\u0002heart"),
  kiss: fnvString("\u0002kiss"),
  frown: fnvString("\u0002frown"),
  cry: fnvString("\u0002cry"),
  skeptic: fnvString("\u0002skeptic"),
  flat: fnvString("\u0002flat"),
  angry: fnvString("\u0002angry"),
  bracketSmile: fnvString("\u0002))"),
  bracketFrown: fnvString("\u0002(("),
} as const;

// ---- character classes ---------------------------------------------------------

const isSpace = (c: number): boolean =>
  c <= 0x20 || c === 0xa0 || c === 0x85 || (c >= 0x2000 && c <= 0x200b) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;

/** Joiners and modifiers that belong to the emoji before them. */
const isEmojiModifier = (c: number): boolean => c === 0xfe0f || c === 0xfe0e || c === 0x200d || c === 0x20e3;

/** BMP symbols used as emoji: arrows, technical, misc symbols, dingbats, stars. */
const isBmpEmoji = (c: number): boolean =>
  (c >= 0x2190 && c <= 0x21ff) || (c >= 0x2300 && c <= 0x23ff) || (c >= 0x25a0 && c <= 0x27bf) || (c >= 0x2900 && c <= 0x297f) || (c >= 0x2b00 && c <= 0x2bff) || c === 0x3030 || c === 0x303d || c === 0x3297 || c === 0x3299;

const isAsciiPunct = (c: number): boolean => (c >= 0x21 && c <= 0x2f) || (c >= 0x3a && c <= 0x40) || (c >= 0x5b && c <= 0x60) || (c >= 0x7b && c <= 0x7e);

const isPunct = (c: number): boolean =>
  isAsciiPunct(c) || (c >= 0xa1 && c <= 0xbf && c !== 0xaa && c !== 0xb5 && c !== 0xba) || c === 0xd7 || c === 0xf7 || (c >= 0x2010 && c <= 0x2027) || (c >= 0x2030 && c <= 0x205e) || (c >= 0x3001 && c <= 0x3003) || c === 0x2e3a || c === 0x2e3b;

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/** Letters of any script (and combining marks): whatever is not space, digit, punctuation, emoji or a surrogate. */
const isLetter = (c: number): boolean => {
  if (c < 0x80) return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
  return !isSpace(c) && !isPunct(c) && !isBmpEmoji(c) && !isEmojiModifier(c) && (c < 0xd800 || c > 0xdfff) && c !== 0xfffd && c !== 0xfffc;
};

/** A character that ends a clause, and with it any negation. */
const isBreak = (c: number): boolean =>
  c === 0x2e || c === 0x2c || c === 0x21 || c === 0x3f || c === 0x3b || c === 0x3a || c === 0x2026 || c === 0xa1 || c === 0xbf || c === 0x28 || c === 0x29;

// ---- the tokenizer ---------------------------------------------------------------

/** Tokenizer state between tokens; kept in one reused object. */
interface State {
  scope: number;
  negatorIndex: number;
  openParens: number;
}
const state: State = { scope: 0, negatorIndex: -1, openParens: 0 };

/** Tokenizes `raw` for the model of `lang` into `out`; returns `out`. */
export const tokenize = (raw: string, lang: ModelLang, out: TokenBuffer): TokenBuffer => {
  const clipped = raw.length > MAX_CHARS ? raw.slice(0, MAX_CHARS) : raw;
  const text = clipped.toLowerCase();
  out.text = text;
  out.count = 0;
  const n = text.length;
  const foldPolish = lang === "pl";
  const negators = NEGATORS[lang];
  const setPhrases = SET_PHRASE_KEYS[lang];
  const chars = out.chars;
  let nChars = 0;
  state.scope = 0;
  state.negatorIndex = -1;
  state.openParens = 0;
  let i = 0;

  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c) || isEmojiModifier(c)) {
      i++;
      continue;
    }
    // URLs
    if (c === 0x68 || c === 0x77) {
      if (text.startsWith("http://", i) || text.startsWith("https://", i) || text.startsWith("www.", i)) {
        const start = i;
        while (i < n && !isSpace(text.charCodeAt(i))) i++;
        push(out, KIND_URL, start, i, 0, 0, URL_HASH, false);
        continue;
      }
    }
    // @handles (a lone "@" falls through to punctuation)
    if (c === 0x40 && i + 1 < n && (isLetter(text.charCodeAt(i + 1)) || isDigit(text.charCodeAt(i + 1)) || text.charCodeAt(i + 1) === 0x5f)) {
      const start = i;
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (isLetter(d) || isDigit(d) || d === 0x5f || (d === 0x2e && i + 1 < n && isLetter(text.charCodeAt(i + 1)))) i++;
        else break;
      }
      push(out, KIND_USER, start, i, 0, 0, USER_HASH, false);
      continue;
    }
    // #tag is read as the word
    if (c === 0x23 && i + 1 < n && isLetter(text.charCodeAt(i + 1))) {
      i++;
      continue;
    }
    if (isLetter(c)) {
      const start = i;
      const charStart = nChars;
      let prev = -1;
      let run = 0;
      while (i < n) {
        const d = text.charCodeAt(i);
        let joins = isLetter(d) || isDigit(d);
        // Inner apostrophes and hyphens: "don't", "что-то", "e-mail".
        if (!joins && (d === 0x27 || d === 0x2019 || d === 0x2bc || d === 0x2d) && i + 1 < n && isLetter(text.charCodeAt(i + 1))) joins = true;
        if (!joins) break;
        const code = normaliseCode(d, foldPolish);
        run = code === prev ? run + 1 : 1;
        prev = code;
        if (run <= 2) chars[nChars++] = code;
        i++;
      }
      const hash = fnvRange(chars, charStart, nChars, FNV_OFFSET);
      const previous = out.count - 1;
      if (previous >= 0 && out.kind[previous] === KIND_WORD && out.end[previous]! < start && setPhrases.has(pairKey(out.hash[previous]!, hash))) {
        out.kind[previous] = KIND_SET_PHRASE;
        push(out, KIND_SET_PHRASE, start, i, charStart, nChars, hash, true);
      } else if (negators.has(hash)) {
        push(out, KIND_WORD, start, i, charStart, nChars, hash, false);
        state.scope = NEGATION_SCOPE;
        state.negatorIndex = out.count - 1;
      } else {
        push(out, KIND_WORD, start, i, charStart, nChars, hash, true);
      }
      continue;
    }
    if (isDigit(c)) {
      const start = i;
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (isDigit(d) || ((d === 0x2e || d === 0x2c || d === 0x3a || d === 0x2f || d === 0x2d) && i + 1 < n && isDigit(text.charCodeAt(i + 1)))) i++;
        else break;
      }
      push(out, KIND_NUMBER, start, i, 0, 0, NUMBER_HASH, true);
      continue;
    }
    // Emoji: a surrogate pair in the emoji planes, or a BMP symbol.
    if (c >= 0xd800 && c <= 0xdbff) {
      const low = i + 1 < n ? text.charCodeAt(i + 1) : 0;
      if (low < 0xdc00 || low > 0xdfff) {
        i++;
        continue;
      }
      const skinTone = c === 0xd83c && low >= 0xdffb && low <= 0xdfff;
      if ((c === 0xd83c || c === 0xd83d || c === 0xd83e) && !skinTone) {
        const charStart = nChars;
        chars[nChars++] = c;
        chars[nChars++] = low;
        push(out, KIND_EMOJI, i, i + 2, charStart, nChars, fnvRange(chars, charStart, nChars, FNV_OFFSET), false);
      }
      i += 2;
      continue;
    }
    if (isBmpEmoji(c)) {
      const charStart = nChars;
      chars[nChars++] = c;
      push(out, KIND_EMOJI, i, i + 1, charStart, nChars, fnvRange(chars, charStart, nChars, FNV_OFFSET), false);
      i++;
      continue;
    }
    if (isPunct(c)) {
      i = readPunctuation(text, i, out);
      continue;
    }
    // Lone low surrogates, U+FFFD and the like: skipped.
    i++;
  }
  return out;
};

const push = (out: TokenBuffer, kind: number, start: number, end: number, charStart: number, charEnd: number, hash: number, negatable: boolean): void => {
  const t = out.count;
  if (t >= out.kind.length) return;
  out.kind[t] = kind;
  out.start[t] = start;
  out.end[t] = end;
  out.charStart[t] = charStart;
  out.charEnd[t] = charEnd;
  out.hash[t] = hash;
  if (negatable && state.scope > 0) {
    out.negated[t] = 1;
    out.negator[t] = state.negatorIndex;
    state.scope--;
  } else {
    out.negated[t] = 0;
    out.negator[t] = -1;
  }
  out.count = t + 1;
};

/**
 * Reads one run of punctuation starting at `at`: emits at most one emoticon
 * and a "?" token, and ends the clause when the run holds a break. Returns the index after the run.
 */
const readPunctuation = (text: string, at: number, out: TokenBuffer): number => {
  const n = text.length;
  let end = at;
  while (end < n && isPunct(text.charCodeAt(end))) end++;
  // ":d" and ":p": the letter is part of the face when nothing follows it.
  const last = text.charCodeAt(end - 1);
  if ((last === 0x3a || last === 0x3b || last === 0x3d || last === 0x2d) && end < n) {
    const next = text.charCodeAt(end);
    if ((next === 0x64 || next === 0x70) && (end + 1 >= n || !isLetter(text.charCodeAt(end + 1)))) end++;
  }
  // "<3"
  if (last === 0x3c && end < n && text.charCodeAt(end) === 0x33 && (end + 1 >= n || !isDigit(text.charCodeAt(end + 1)))) end++;

  let emoticon = 0;
  let hasBreak = false;
  let exclaim = false;
  let question = false;
  let opens = 0;
  let closes = 0;
  let dots = 0;
  for (let k = at; k < end; k++) {
    const c = text.charCodeAt(k);
    if (isBreak(c)) hasBreak = true;
    if (c === 0x21 || c === 0xa1) exclaim = true;
    else if (c === 0x3f || c === 0xbf) question = true;
    else if (c === 0x28) opens++;
    else if (c === 0x29) closes++;
    else if (c === 0x2e) dots++;
    if (emoticon === 0) emoticon = faceAt(text, k, end);
  }
  if (emoticon === 0) {
    // Russian brackets: "спасибо))" smiles and "опять((" frowns, but "(w biurze)" is a parenthesis.
    const others = end - at - opens - closes - dots - (exclaim ? countOf(text, at, end, 0x21) : 0);
    const before = at > 0 ? text.charCodeAt(at - 1) : 0x20;
    const after = end < n ? text.charCodeAt(end) : 0x20;
    if (others === 0 && closes > 0 && opens === 0 && (closes >= 2 || state.openParens === 0)) emoticon = EMOTICON.bracketSmile;
    else if (others === 0 && opens > 0 && closes === 0 && (opens >= 2 || (!isSpace(before) && isSpace(after)))) emoticon = EMOTICON.bracketFrown;
    else state.openParens = Math.max(0, state.openParens + opens - closes);
  }
  if (emoticon !== 0) push(out, KIND_EMOTICON, at, end, 0, 0, emoticon, false);
  if (hasBreak || emoticon !== 0) state.scope = 0;
  if (question) push(out, KIND_MARK, at, end, 0, 0, QUESTION_HASH, false);
  return end;
};

const countOf = (text: string, from: number, to: number, code: number): number => {
  let count = 0;
  for (let k = from; k < to; k++) if (text.charCodeAt(k) === code) count++;
  return count;
};
/** The emoticon starting at `k` (eyes, an optional nose or tear, a mouth), or 0. */
const faceAt = (text: string, k: number, end: number): number => {
  const c = text.charCodeAt(k);
  if (c === 0x3c && k + 1 < end && text.charCodeAt(k + 1) === 0x33) return EMOTICON.heart; // <3
  if (c === 0x5e && k + 1 < end && (text.charCodeAt(k + 1) === 0x5e || (text.charCodeAt(k + 1) === 0x5f && text.charCodeAt(k + 2) === 0x5e))) return EMOTICON.smile; // ^^ ^_^
  let j = k;
  let angry = false;
  if (c === 0x3e && k + 1 < end && text.charCodeAt(k + 1) === 0x3a) {
    angry = true;
    j++;
  }
  const eyes = text.charCodeAt(j);
  if (eyes !== 0x3a && eyes !== 0x3b && eyes !== 0x3d) return 0;
  j++;
  let tear = false;
  while (j < end && (text.charCodeAt(j) === 0x2d || text.charCodeAt(j) === 0x27 || text.charCodeAt(j) === 0x2019 || text.charCodeAt(j) === 0x5e)) {
    if (text.charCodeAt(j) !== 0x2d && text.charCodeAt(j) !== 0x5e) tear = true;
    j++;
  }
  if (j >= end) return 0;
  const mouth = text.charCodeAt(j);
  if (mouth === 0x29 || mouth === 0x5d) return eyes === 0x3b ? EMOTICON.wink : EMOTICON.smile;
  if (mouth === 0x28 || mouth === 0x5b) return angry ? EMOTICON.angry : tear ? EMOTICON.cry : EMOTICON.frown;
  if (mouth === 0x64) return EMOTICON.laugh;
  if (mouth === 0x70) return EMOTICON.tongue;
  if (mouth === 0x2a) return EMOTICON.kiss;
  if (mouth === 0x7c) return EMOTICON.flat;
  if ((mouth === 0x2f || mouth === 0x5c) && (j + 1 >= end || text.charCodeAt(j + 1) !== 0x2f)) return EMOTICON.skeptic;
  return 0;
};
