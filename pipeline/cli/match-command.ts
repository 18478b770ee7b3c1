import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { z } from "zod";
import { stripJsonComments } from "../config/load";
import { configSchema } from "../config/schema";
import type { Lang } from "../mention";
import type { ExplainedNode, MatchSubject } from "../stages/brand-query/compile-query";
import { DIACRITIC_MODES, type DiacriticMode } from "../stages/brand-query/letters";
import { LANGS } from "../stages/brand-query/parse-query";
import { brandSchema, compileBrands, explainBrands, type BrandTerms } from "../stages/match-brands";
import { detectLanguage } from "../stages/detect-language";

export const MATCH_HELP = `earshot match — does a text match a brand, and why

Usage:
  earshot match [--config FILE] [--brand NAME] TEXT…
  earshot match --query QUERY [--diacritics MODE] TEXT…

  --config FILE     brands from this configuration (default: the demo brand)
  --brand NAME      only this configured brand (default: every brand, first match wins)
  --query QUERY     a brand query given here instead of a configuration
  --diacritics MODE ascii-too (default), strict or ignore (with --query)
  --title TEXT      the mention's title (for title:)
  --source KIND     the mention's source kind (for source:), default "cli"
  --author NAME     the mention's author handle (for author:)
  --lang CODE       the mention's language (for lang:); default: detected from the text

Exit code: 0 when a brand matches, 1 when none does, 2 for a usage, configuration or query error.
`;

interface Io {
  out(text: string): void;
  err(text: string): void;
}

/** `earshot match`: shows whether and why a text matches a brand (terms, inflected forms, clauses). */
export async function runMatchCommand(args: string[], io: Io): Promise<number> {
  let values: { config?: string; brand?: string; query?: string; diacritics?: string; title?: string; source?: string; author?: string; lang?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        config: { type: "string", short: "c" },
        brand: { type: "string", short: "b" },
        query: { type: "string", short: "q" },
        diacritics: { type: "string" },
        title: { type: "string" },
        source: { type: "string" },
        author: { type: "string" },
        lang: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (e) {
    io.err(`earshot match: ${(e as Error).message}\n\n${MATCH_HELP}`);
    return 2;
  }
  if (values.help) {
    io.out(MATCH_HELP);
    return 0;
  }
  const text = positionals.join(" ");
  if (text.trim() === "") return usage(io, "give the text to match");
  if (values.query !== undefined && values.config !== undefined) return usage(io, "give --query or --config, not both");
  if (values.lang !== undefined && !(LANGS as readonly string[]).includes(values.lang)) return usage(io, `--lang must be one of ${LANGS.join(", ")}`);
  if (values.diacritics !== undefined && !(DIACRITIC_MODES as readonly string[]).includes(values.diacritics)) {
    return usage(io, `--diacritics must be one of ${DIACRITIC_MODES.join(", ")}`);
  }

  let brands: BrandTerms[];
  if (values.query !== undefined) {
    const parsed = brandSchema.safeParse({ name: values.brand ?? "query", query: values.query, diacritics: values.diacritics });
    if (!parsed.success) {
      io.err(`earshot match: invalid query:\n${parsed.error.issues.map((i) => i.message).join("\n")}\n`);
      return 2;
    }
    brands = [parsed.data];
  } else {
    const loaded = values.config === undefined ? configSchema.parse({}).brands : readBrands(values.config, io);
    if (loaded === null) return 2;
    brands = values.brand === undefined ? loaded : loaded.filter((b) => b.name.toLowerCase() === values.brand!.toLowerCase());
    if (brands.length === 0) {
      io.err(`earshot match: no brand "${values.brand}" in the configuration (brands: ${loaded.map((b) => b.name).join(", ")})\n`);
      return 2;
    }
  }

  const title = values.title ?? "";
  // As normalize() does: the title leads the text.
  const fullText = title !== "" && !text.startsWith(title) ? `${title}\n${text}` : text;
  const detected = detectLanguage(fullText, "");
  const subject: MatchSubject = {
    text: fullText,
    title,
    source: values.source ?? "cli",
    authorHandle: values.author ?? "",
    authorName: "",
    claimedLang: "",
    lang: (values.lang as Lang | undefined) ?? detected.lang,
  };
  const results = explainBrands(subject, compileBrands(brands));
  const winner = results.find((r) => r.matched);
  const lines: string[] = [];
  lines.push(`language: ${subject.lang}${values.lang === undefined ? ` (detected: ${detected.method})` : " (given)"}`);
  for (const r of results) {
    lines.push("", `${r.brand}: ${r.matched ? "MATCHES" : "no match"}${r === winner && results.length > 1 ? " (first match: this brand gets the mention)" : ""}`);
    if (r.matched) lines.push(`  matched terms: ${r.matchedTerms.join(", ") || "(none: matched by filters only)"}`);
    renderTree(r.tree, "  ", lines);
  }
  io.out(`${lines.join("\n")}\n`);
  return winner === undefined ? 1 : 0;
}

function renderTree(node: ExplainedNode, indent: string, lines: string[]): void {
  lines.push(`${indent}${node.result ? "✓" : "✗"} ${node.clause}${node.detail === undefined ? "" : ` — ${node.detail}`}`);
  for (const child of node.children) renderTree(child, `${indent}  `, lines);
}

function usage(io: Io, message: string): number {
  io.err(`earshot match: ${message}\n\n${MATCH_HELP}`);
  return 2;
}

/** Only the brands are read from the file, so the rest of the configuration need not be complete here. */
function readBrands(file: string, io: Io): BrandTerms[] | null {
  let json: unknown;
  try {
    json = JSON.parse(stripJsonComments(readFileSync(file, "utf8")));
  } catch (e) {
    io.err(`earshot match: cannot read ${file}: ${(e as Error).message}\n`);
    return null;
  }
  const brands = (json as { brands?: unknown } | null)?.brands;
  const parsed = z.array(brandSchema).min(1).safeParse(brands);
  if (!parsed.success) {
    io.err(`earshot match: invalid brands in ${file}:\n${parsed.error.issues.map((i) => `  brands.${i.path.join(".")}: ${i.message}`).join("\n")}\n`);
    return null;
  }
  return parsed.data;
}
