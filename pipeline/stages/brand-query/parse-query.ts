import type { Lang } from "../../mention";
import { ALL_LANGS } from "../language/languages";
import { queryError, type QueryError } from "./query-error";
import { tokenize, type TermWord, type Token } from "./tokenize";

/**
 * The brand query language. Grammar (EBNF; operators are upper case, a space
 * between two operands is AND):
 *
 *   query   = or ;
 *   or      = and , { "OR" , and } ;
 *   and     = unary , { [ "AND" ] , unary } ;
 *   unary   = ( "NOT" | "-" ) , unary | primary ;
 *   primary = "(" , or , ")" | field | term ;
 *   field   = ( "lang:" | "source:" | "author:" ) , value , { "," , value }
 *           | ( "title:" | "text:" ) , ( term | "(" , or , ")" ) ;
 *   term    = [ "=" ] , ( word | phrase | "{" , ( word | phrase ) , "}" ) ;
 *   word    = letters , [ "*" ] ;                 (* no spaces, brackets or quotes *)
 *   phrase  = '"' , { any character but '"' , or '\"' } , '"' ;
 *
 * Precedence: NOT binds tightest, then AND, then OR; brackets group.
 */

/** Every language detection can answer (pipeline/stages/language/languages.ts), `und` included. */
export const LANGS = ALL_LANGS;
export type QueryLang = Lang;

export type Scope = "text" | "title";

export type QueryNode =
  | { kind: "or"; children: QueryNode[]; at: number }
  | { kind: "and"; children: QueryNode[]; at: number }
  | { kind: "not"; child: QueryNode; at: number }
  | {
      kind: "term";
      words: TermWord[];
      exact: boolean;
      caseSensitive: boolean;
      scope: Scope;
      label: string;
      at: number;
    }
  | { kind: "field"; field: "lang" | "source" | "author"; values: string[]; label: string; at: number };

export type Parsed = { ok: true; ast: QueryNode } | { ok: false; error: QueryError };

/** Longer queries are refused: a brand query is a few lines, and compile time grows with size. */
export const MAX_QUERY_CHARS = 10_000;
/** Deeper nesting is refused, so a hostile query cannot exhaust the stack. */
const MAX_DEPTH = 64;

class ParseFailure {
  constructor(readonly error: QueryError) {}
}

/** Parses a query; never throws (an invalid query gives an error value with its position). */
export function parseQuery(query: string): Parsed {
  if (query.length > MAX_QUERY_CHARS) {
    return { ok: false, error: queryError(query, MAX_QUERY_CHARS, `query longer than ${MAX_QUERY_CHARS} characters`) };
  }
  const lexed = tokenize(query);
  if (!lexed.ok) return lexed;
  if (lexed.tokens.length === 0) return { ok: false, error: queryError(query, 0, "empty query: write at least one term") };
  try {
    const parser = new Parser(query, lexed.tokens);
    const ast = parser.or(0, "text");
    parser.expectEnd();
    return { ok: true, ast };
  } catch (e) {
    if (e instanceof ParseFailure) return { ok: false, error: e.error };
    throw e;
  }
}

class Parser {
  private i = 0;
  constructor(
    private readonly query: string,
    private readonly tokens: Token[],
  ) {}

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private fail(at: number, message: string): never {
    throw new ParseFailure(queryError(this.query, at, message));
  }

  private endAt(): number {
    return this.query.trimEnd().length;
  }

  expectEnd(): void {
    const t = this.peek();
    if (t === undefined) return;
    if (t.type === ")") this.fail(t.at, "unexpected ) without a matching (");
    this.fail(t.at, "unexpected token");
  }

  or(depth: number, scope: Scope): QueryNode {
    const first = this.and(depth, scope);
    const children = [first];
    for (let t = this.peek(); t?.type === "op" && t.op === "OR"; t = this.peek()) {
      this.i++;
      children.push(this.and(depth, scope, "OR"));
    }
    return children.length === 1 ? first : { kind: "or", children, at: first.at };
  }

  private and(depth: number, scope: Scope, after?: string): QueryNode {
    const first = this.unary(depth, scope, after);
    const children = [first];
    for (;;) {
      const t = this.peek();
      if (t === undefined || t.type === ")" || (t.type === "op" && t.op === "OR")) break;
      if (t.type === "op" && t.op === "AND") {
        this.i++;
        children.push(this.unary(depth, scope, "AND"));
      } else {
        children.push(this.unary(depth, scope)); // juxtaposition is AND
      }
    }
    return children.length === 1 ? first : { kind: "and", children, at: first.at };
  }

  private unary(depth: number, scope: Scope, after?: string): QueryNode {
    const t = this.peek();
    if (t !== undefined && (t.type === "minus" || (t.type === "op" && t.op === "NOT"))) {
      if (depth >= MAX_DEPTH) this.fail(t.at, `nested deeper than ${MAX_DEPTH} levels`);
      this.i++;
      return { kind: "not", child: this.unary(depth + 1, scope, t.type === "minus" ? "-" : "NOT"), at: t.at };
    }
    return this.primary(depth, scope, after);
  }

  private primary(depth: number, scope: Scope, after?: string): QueryNode {
    const t = this.peek();
    if (t === undefined) return this.fail(this.endAt(), after === undefined ? "a term is missing here" : `a term is missing after ${after}`);
    if (t.type === "op") return this.fail(t.at, after === undefined ? `${t.op} needs a term before it` : `${t.op} cannot follow ${after}: a term is missing`);
    if (t.type === ")") return this.fail(t.at, after === undefined ? "unexpected ) without a term before it" : `a term is missing after ${after}`);
    if (t.type === "(") return this.group(depth, scope);
    if (t.type === "term") {
      this.i++;
      return { kind: "term", words: t.words, exact: t.exact, caseSensitive: t.caseSensitive, scope, label: scope === "title" ? `title:${t.label}` : t.label, at: t.at };
    }
    if (t.type === "field") {
      this.i++;
      if (t.name === "title" || t.name === "text") {
        const v = this.peek();
        if (v?.type === "(") return this.group(depth, t.name);
        if (v?.type === "term") return this.primary(depth, t.name);
        return this.fail(v?.at ?? this.endAt(), `${t.name}: needs a term, a "phrase" or a (group)`);
      }
      return this.fieldValues(t.name, t.at);
    }
    // minus in a primary position cannot happen (unary took it); keep the compiler honest.
    return this.fail(t.at, "unexpected token");
  }

  private group(depth: number, scope: Scope): QueryNode {
    const open = this.peek()!;
    if (depth >= MAX_DEPTH) this.fail(open.at, `nested deeper than ${MAX_DEPTH} levels`);
    this.i++;
    if (this.peek()?.type === ")") this.fail(this.peek()!.at, "empty ( ): put a term inside");
    const inner = this.or(depth + 1, scope);
    const close = this.peek();
    if (close?.type !== ")") this.fail(close?.at ?? this.endAt(), `missing ) to close the ( at column ${queryError(this.query, open.at, "").column}`);
    this.i++;
    return inner;
  }

  private fieldValues(field: "lang" | "source" | "author", at: number): QueryNode {
    const v = this.peek();
    if (v?.type !== "term" || v.caseSensitive) return this.fail(v?.at ?? this.endAt(), `${field}: needs a value such as ${field === "lang" ? "pl" : field === "source" ? "reddit" : "@handle"}`);
    this.i++;
    const raw = v.words.map((w) => w.text + (w.prefix ? "*" : "")).join(" ");
    const values = v.label.startsWith('"') ? [raw] : raw.split(",").map((s) => s.trim());
    const clean: string[] = [];
    for (const value of values) {
      if (value === "") this.fail(v.at, `${field}: has an empty value in its list`);
      const lower = value.toLowerCase();
      if (field === "lang" && !(LANGS as readonly string[]).includes(lower)) {
        this.fail(v.at, `unknown language "${value}" (languages: ${LANGS.join(", ")})`);
      }
      clean.push(field === "author" ? lower.replace(/^@/, "") : lower);
    }
    return { kind: "field", field, values: clean, label: `${field}:${v.label}`, at };
  }
}
