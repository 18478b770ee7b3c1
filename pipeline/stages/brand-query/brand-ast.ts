import { parseQuery, type QueryNode } from "./parse-query";
import { makeTerm } from "./tokenize";

/** A watched brand as configured: a query, plain terms, or both. */
export interface BrandSpec {
  name: string;
  /** Plain terms or phrases, each taken literally (no query syntax); a trailing `*` takes any ending. */
  terms?: readonly string[];
  /** A mention containing any of these is not about this brand. */
  exclude?: readonly string[];
  /** A query in the brand query language (see parse-query.ts). */
  query?: string;
}

export type BrandAst = { ok: true; ast: QueryNode } | { ok: false; path: (string | number)[]; message: string };

/**
 * The brand as one query: `(term1 OR term2 OR … OR (query)) AND NOT (exclude1 OR …)`.
 * Plain terms are sugar: each is one term node, so "C++", "#lumio" or "(x)" stay
 * literal text and configurations written before the query language keep working.
 */
export function brandAst(brand: BrandSpec): BrandAst {
  const include: QueryNode[] = [];
  const terms = brand.terms ?? [];
  for (let i = 0; i < terms.length; i++) {
    const node = literalTerm(terms[i]!);
    if (!node.ok) return { ok: false, path: ["terms", i], message: node.message };
    include.push(node.node);
  }
  if (brand.query !== undefined) {
    const parsed = parseQuery(brand.query);
    if (!parsed.ok) return { ok: false, path: ["query"], message: parsed.error.display };
    include.push(parsed.ast);
  }
  if (include.length === 0) return { ok: false, path: ["terms"], message: "give terms, a query, or both" };
  const excluded: QueryNode[] = [];
  const exclude = brand.exclude ?? [];
  for (let i = 0; i < exclude.length; i++) {
    const node = literalTerm(exclude[i]!);
    if (!node.ok) return { ok: false, path: ["exclude", i], message: node.message };
    excluded.push(node.node);
  }
  const positive = include.length === 1 ? include[0]! : { kind: "or" as const, children: include, at: 0 };
  if (excluded.length === 0) return { ok: true, ast: positive };
  const not: QueryNode = { kind: "not", child: excluded.length === 1 ? excluded[0]! : { kind: "or", children: excluded, at: 0 }, at: 0 };
  return { ok: true, ast: { kind: "and", children: [positive, not], at: 0 } };
}

function literalTerm(term: string): { ok: true; node: QueryNode } | { ok: false; message: string } {
  const made = makeTerm(term, term.trim(), 0, true, false, false, term);
  if (!made.ok) return { ok: false, message: `term "${term}": ${made.error.message}` };
  const t = made.token;
  return { ok: true, node: { kind: "term", words: t.words, exact: false, caseSensitive: false, scope: "text", label: term, at: 0 } };
}
