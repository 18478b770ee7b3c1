import { fc, test as propTest } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import { parseQuery, type QueryNode } from "../../../../pipeline/stages/brand-query/parse-query";

/** The tree as a compact string: (a OR (b AND NOT c)). */
function show(node: QueryNode): string {
  switch (node.kind) {
    case "term":
      return `${node.exact ? "=" : ""}${node.caseSensitive ? "{" : ""}${node.scope === "title" ? "title:" : ""}${node.words.map((w) => w.text + (w.prefix ? "*" : "")).join("_")}${node.caseSensitive ? "}" : ""}`;
    case "field":
      return `${node.field}=${node.values.join("|")}`;
    case "not":
      return `NOT ${show(node.child)}`;
    default:
      return `(${node.children.map(show).join(` ${node.kind.toUpperCase()} `)})`;
  }
}

const tree = (query: string): string => {
  const parsed = parseQuery(query);
  if (!parsed.ok) throw new Error(parsed.error.display);
  return show(parsed.ast);
};

describe("parseQuery()", () => {
  test.each([
    ["Orlen", "Orlen"],
    ["Orlen OR Lotos", "(Orlen OR Lotos)"],
    ["Orlen Lotos", "(Orlen AND Lotos)"],
    ["a OR b AND c", "(a OR (b AND c))"],
    ["(a OR b) AND c", "((a OR b) AND c)"],
    ["a AND NOT b", "(a AND NOT b)"],
    ["a -b -c", "(a AND NOT b AND NOT c)"],
    ["NOT NOT a", "NOT NOT a"],
    ['"Żabka Nano" OR żabka*', "(Żabka_Nano OR żabka*)"],
    ["=Orlen {BT}", "(=Orlen AND {BT})"],
    ['{"Bank Pekao"}', "{Bank_Pekao}"],
    ["Orlen lang:pl,ru source:reddit author:@Jan", "(Orlen AND lang=pl|ru AND source=reddit AND author=jan)"],
    ["title:(Orlen OR Lotos) text:awaria", "((title:Orlen OR title:Lotos) AND awaria)"],
    ['title:"stacja paliw"', "title:stacja_paliw"],
    ["Coca-Cola lumio.pl C++ #lumio @lumio", "(Coca-Cola AND lumio.pl AND C++ AND #lumio AND @lumio)"],
    ['"say \\"hi\\""', 'say_"hi"'],
    ["  Orlen\n  OR\tLotos  ", "(Orlen OR Lotos)"],
    ["or and not", "(or AND and AND not)"],
  ])("parseQuery() reads %j as %s", (query, expected) => {
    expect(tree(query)).toBe(expected);
  });

  // Each case: the query, the column the caret must point at, and a piece of the message.
  test.each([
    ["", 1, "empty query"],
    ["   ", 1, "empty query"],
    ["(Orlen OR Lotos", 16, "missing ) to close the ( at column 1"],
    ["Orlen OR", 9, "a term is missing after OR"],
    ["Orlen AND OR Lotos", 11, "OR cannot follow AND"],
    ["OR Orlen", 1, "OR needs a term before it"],
    ["Orlen)", 6, "unexpected ) without a matching ("],
    ["Orlen ()", 8, "empty ( )"],
    ['Orlen "stacja paliw', 7, 'unclosed "'],
    ["Orlen {BT", 7, "unclosed {"],
    ["Orlen }", 7, "unexpected }"],
    ["Or*len", 3, "* is allowed only at the end"],
    ["Orlen *", 7, "* needs letters before it"],
    ["Orlen #", 7, "no letter or digit"],
    ["Orlen lnag:pl", 7, 'unknown field "lnag:"'],
    ["Orlen lang:xx", 12, 'unknown language "xx"'],
    ["Orlen lang: pl", 12, "lang: needs a value"],
    ["Orlen title:OR", 13, "title: needs a term"],
    ["Orlen NOT", 10, "a term is missing after NOT"],
    ["Orlen = Lotos", 7, "= must be followed by a word"],
    ["Żółć (Orlen", 12, "missing )"],
  ])("parseQuery() rejects %j with a caret at column %i", (query, column, message) => {
    const parsed = parseQuery(query);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.column).toBe(column);
    expect(parsed.error.message).toContain(message);
    const [, line, caret] = parsed.error.display.split("\n");
    expect(line).toBe(`  ${query.trim() === "" ? query : query}`);
    expect(caret).toBe(`  ${" ".repeat(column - 1)}^`);
  });

  test("parseQuery() names the line of an error in a query written over several lines", () => {
    const parsed = parseQuery("Orlen\nOR (Lotos\nOR");
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect([parsed.error.line, parsed.error.column]).toEqual([3, 3]);
    expect(parsed.error.display.split("\n")).toEqual(["a term is missing after OR (line 3, column 3)", "  OR", "    ^"]);
  });

  test("parseQuery() refuses nesting deeper than 64 levels instead of exhausting the stack", () => {
    const parsed = parseQuery(`${"(".repeat(4_000)}a${")".repeat(4_000)}`);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.message).toContain("nested deeper");
    expect(parseQuery(`${"NOT ".repeat(2_000)}a`).ok).toBe(false);
    expect(parseQuery(`${"(".repeat(30)}a${")".repeat(30)}`).ok).toBe(true);
  });

  test("parseQuery() refuses a query longer than 10,000 characters", () => {
    const parsed = parseQuery("a ".repeat(6_000));
    expect(parsed.ok ? null : parsed.error.message).toContain("longer than 10000");
  });
});

describe("parseQuery() on arbitrary input", () => {
  const queryish = fc.array(
    fc.oneof(
      fc.constantFrom("(", ")", '"', "{", "}", "*", "-", "=", ":", ",", " ", "\n", "AND", "OR", "NOT", "lang:", "title:", "source:", "author:", "pl", "Orlen", "Żabka", "Сбер", "\\"),
      fc.string({ maxLength: 4 }),
    ),
    { maxLength: 40 },
  );

  propTest.prop([fc.string({ unit: "binary", maxLength: 300 })])("parseQuery() never throws on any string and errors point inside it", (query) => {
    const parsed = parseQuery(query);
    if (!parsed.ok) {
      expect(parsed.error.offset).toBeGreaterThanOrEqual(0);
      expect(parsed.error.offset).toBeLessThanOrEqual(query.length);
    }
  });

  propTest.prop([queryish])("parseQuery() never throws on query-like token soup", (parts) => {
    const parsed = parseQuery(parts.join(""));
    expect(typeof parsed.ok).toBe("boolean");
  });
});
