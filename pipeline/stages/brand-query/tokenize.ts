import { queryError, type QueryError } from "./query-error";

/** One word of a term; `prefix` when it ended in `*` (any ending). */
export interface TermWord {
  text: string;
  prefix: boolean;
}

export type Token =
  | { type: "(" | ")"; at: number }
  | { type: "op"; op: "AND" | "OR" | "NOT"; at: number }
  /** `-` glued to what follows: the exclusion shorthand for NOT. */
  | { type: "minus"; at: number }
  /** `name:`; its value is the next token. */
  | { type: "field"; name: FieldName; at: number }
  | {
      type: "term";
      words: TermWord[];
      phrase: boolean;
      /** `=word`: only the form as written. */
      exact: boolean;
      /** `{Word}`: case-sensitive. */
      caseSensitive: boolean;
      /** The term as the user wrote it, for explanations and `matchedTerms`. */
      label: string;
      at: number;
    };

export const FIELD_NAMES = ["lang", "source", "author", "title", "text"] as const;
export type FieldName = (typeof FIELD_NAMES)[number];

const isSpace = (ch: string): boolean => /\s/u.test(ch);
/** Characters that end a bare word. */
const WORD_END = new Set(["(", ")", '"', "{", "}"]);
const HAS_WORD_CHAR = /[\p{L}\p{N}]/u;
const FIELD = /^([A-Za-z]+):/;

export type Tokens = { ok: true; tokens: Token[] } | { ok: false; error: QueryError };

/** Splits a query into tokens; never throws. */
export function tokenize(query: string): Tokens {
  const tokens: Token[] = [];
  const fail = (at: number, message: string): Tokens => ({ ok: false, error: queryError(query, at, message) });
  let i = 0;
  while (i < query.length) {
    const ch = query[i]!;
    if (isSpace(ch)) {
      i++;
      continue;
    }
    if (ch === "(" || ch === ")") {
      tokens.push({ type: ch, at: i });
      i++;
      continue;
    }
    if (ch === "}") return fail(i, "unexpected } without an opening {");
    if (ch === "-" && i + 1 < query.length && !isSpace(query[i + 1]!) && query[i + 1] !== ")") {
      tokens.push({ type: "minus", at: i });
      i++;
      continue;
    }
    let exact = false;
    const start = i;
    if (ch === "=") {
      exact = true;
      i++;
      if (i >= query.length || isSpace(query[i]!)) return fail(start, "= must be followed by a word or a \"phrase\" (exact form)");
    }
    if (query[i] === "{") {
      const close = query.indexOf("}", i + 1);
      if (close === -1) return fail(i, "unclosed { (a case-sensitive term ends with })");
      const inner = query.slice(i + 1, close);
      const innerAt = i + 1;
      const quoted = inner.trim().startsWith('"');
      const body = quoted ? unquote(inner.trim()) : inner;
      if (body === null) return fail(innerAt, "a quoted phrase inside { } must end with a quote");
      const term = makeTerm(query, body, innerAt, quoted || /\s/u.test(body.trim()), exact, true, query.slice(start, close + 1));
      if (!term.ok) return term;
      tokens.push({ ...term.token, at: start });
      i = close + 1;
      continue;
    }
    if (query[i] === '"') {
      const end = closingQuote(query, i + 1);
      if (end === -1) return fail(i, 'unclosed " (a phrase ends with a quote)');
      const body = query.slice(i + 1, end).replace(/\\(["\\])/g, "$1");
      const term = makeTerm(query, body, i + 1, true, exact, false, query.slice(start, end + 1));
      if (!term.ok) return term;
      tokens.push({ ...term.token, at: start });
      i = end + 1;
      continue;
    }
    // A bare word runs to whitespace or a bracket or quote.
    let end = i;
    while (end < query.length && !isSpace(query[end]!) && !WORD_END.has(query[end]!)) end++;
    const word = query.slice(i, end);
    if (!exact && (word === "AND" || word === "OR" || word === "NOT")) {
      tokens.push({ type: "op", op: word, at: i });
      i = end;
      continue;
    }
    const field = exact ? null : FIELD.exec(word);
    if (field !== null) {
      const name = field[1]!.toLowerCase();
      if (!(FIELD_NAMES as readonly string[]).includes(name)) {
        return fail(i, `unknown field "${field[1]}:" (fields: ${FIELD_NAMES.map((f) => `${f}:`).join(" ")}; quote a term that contains a colon)`);
      }
      const valueAt = i + field[0].length;
      if (valueAt >= query.length || isSpace(query[valueAt]!) || query[valueAt] === ")") {
        return fail(valueAt, `${name}: needs a value right after the colon`);
      }
      tokens.push({ type: "field", name: name as FieldName, at: i });
      i = valueAt;
      continue;
    }
    if (word === "") return fail(i, `unexpected ${query[i]}`);
    const term = makeTerm(query, word, i, false, exact, false, query.slice(start, end));
    if (!term.ok) return term;
    tokens.push({ ...term.token, at: start });
    i = end;
  }
  return { ok: true, tokens };
}

function closingQuote(query: string, from: number): number {
  for (let j = from; j < query.length; j++) {
    if (query[j] === "\\") j++;
    else if (query[j] === '"') return j;
  }
  return -1;
}

function unquote(s: string): string | null {
  if (s.length < 2 || !s.endsWith('"')) return null;
  return s.slice(1, -1);
}

export type MadeTerm = { ok: true; token: Extract<Token, { type: "term" }> } | { ok: false; error: QueryError };

export function makeTerm(query: string, body: string, bodyAt: number, phrase: boolean, exact: boolean, caseSensitive: boolean, label: string): MadeTerm {
  const words: TermWord[] = [];
  const re = /\S+/gu;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body)) !== null) {
    const raw = m[0];
    const stars = /\*+$/.exec(raw);
    const text = stars === null ? raw : raw.slice(0, stars.index);
    // Inside quotes a * in the middle is a literal character; in a bare word it is a mistake.
    const inner = text.indexOf("*");
    if (!phrase && inner !== -1) return termError(query, bodyAt + m.index + inner, "* is allowed only at the end of a word (any ending)");
    if (text === "") return termError(query, bodyAt + m.index, "* needs letters before it");
    if (!phrase && !HAS_WORD_CHAR.test(text)) return termError(query, bodyAt + m.index, `"${raw}" has no letter or digit to match`);
    words.push({ text: text.normalize("NFC"), prefix: stars !== null });
  }
  if (words.length === 0) return termError(query, bodyAt, phrase ? "empty phrase" : "empty term");
  if (!words.some((w) => HAS_WORD_CHAR.test(w.text))) return termError(query, bodyAt, `"${body.trim()}" has no letter or digit to match`);
  return { ok: true, token: { type: "term", words, phrase, exact, caseSensitive, label, at: bodyAt } };
}

const termError = (query: string, at: number, message: string): MadeTerm => ({ ok: false, error: queryError(query, at, message) });
