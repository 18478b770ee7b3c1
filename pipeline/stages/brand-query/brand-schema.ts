import { z } from "zod";
import { brandAst } from "./brand-ast";
import { compileAst } from "./compile-query";
import { DIACRITIC_MODES, type DiacriticMode } from "./letters";

/**
 * One entry of `brands` in the configuration. `terms` and `exclude` are the
 * older, plain form and stay valid; `query` is the query language. A query error
 * is reported with its column and a caret line.
 */
export const brandFields = {
    name: z.string().min(1).describe("The brand as the team calls it."),
    query: z
      .string()
      .min(1)
      .optional()
      .describe('Brand query: terms, "phrases", AND/OR/NOT, -exclusions, ( ), lang:/source:/author:/title:, word* (any ending), =exact, {CaseSensitive}.'),
    terms: z
      .array(z.string().min(1))
      .default([])
      .describe("Plain terms or phrases (inflected and transliterated like query terms); a trailing * matches any ending."),
    exclude: z.array(z.string().min(1)).default([]).describe("Terms that rule a mention out (e.g. a namesake product)."),
    diacritics: z
      .enum(DIACRITIC_MODES as [DiacriticMode, ...DiacriticMode[]])
      .default("ascii-too")
      .describe('"ascii-too": Żabka also finds Zabka; "strict": only as written; "ignore": Zabka also finds Żabka.'),
};

type BrandFields = z.infer<z.ZodObject<typeof brandFields>>;

/** Reports a query or term that does not compile, with its path: for brandSchema and schemas that extend its fields. */
export function checkBrandQuery(brand: BrandFields, ctx: z.RefinementCtx): void {
  {
    const built = brandAst(brand);
    if (!built.ok) {
      ctx.addIssue({ code: "custom", path: built.path, message: built.message });
      return;
    }
    const compiled = compileAst(built.ast, { diacritics: brand.diacritics }, brand.query ?? "");
    if (!compiled.ok) ctx.addIssue({ code: "custom", path: ["query"], message: compiled.error.message });
  }
}

export const brandSchema = z.strictObject(brandFields).superRefine(checkBrandQuery);

export type BrandConfig = z.infer<typeof brandSchema>;
