import { z } from "zod";

/**
 * A crisis playbook: what to do (a checklist) and what to say first (holding
 * statements), in Polish, Russian and English. Shipped as JSON in data/ and
 * replaceable from configuration (`playbooks`), so both go through this schema.
 */

export const PLAYBOOK_LANGS = ["en", "pl", "ru"] as const;
export type PlaybookLang = (typeof PLAYBOOK_LANGS)[number];

/**
 * The placeholders a text may use. `minutes` comes from the playbook itself;
 * `brand`, `statusPage` and `support` from configuration; `date` and `details`
 * are left visible for the person who publishes the statement to complete.
 */
export const PLACEHOLDERS = ["brand", "minutes", "statusPage", "support", "date", "details"] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
const KNOWN: ReadonlySet<string> = new Set(PLACEHOLDERS);

/** Every `{name}` in a text. */
export function placeholdersIn(text: string): string[] {
  return Array.from(text.matchAll(/\{([^{}\s]*)\}/g), (m) => m[1]!);
}

const text = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(2_000)
  .superRefine((value, ctx) => {
    for (const name of placeholdersIn(value))
      if (!KNOWN.has(name)) ctx.addIssue({ code: "custom", message: `unknown placeholder {${name}}; known: ${PLACEHOLDERS.map((p) => `{${p}}`).join(" ")}` });
  });

export const statementSchema = z.strictObject({
  label: text.describe("When to use it, e.g. \"First response (cause unknown)\"."),
  text: text.describe("The statement, ready to publish once placeholders are filled."),
});

export const playbookTextSchema = z.strictObject({
  title: text,
  summary: text.describe("One sentence: the situation this playbook is for."),
  checklist: z.array(text).min(5).max(10).describe("Concrete steps, in order."),
  statements: z.array(statementSchema).min(2).max(3).describe("Holding statements for the first hours."),
});

export const playbookSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/, "lower-case letters, digits and hyphens").describe("\"default\" is used when no other playbook fits."),
    problemTypes: z.array(z.string().min(1)).default([]).describe("Problem types (see pipeline/stages/problems) this playbook answers."),
    acknowledgeWithinMinutes: z.number().int().min(1).max(24 * 60).describe("The {minutes} of the checklist: how soon to acknowledge publicly."),
    en: playbookTextSchema,
    pl: playbookTextSchema,
    ru: playbookTextSchema,
  })
  .superRefine((book, ctx) => {
    // the languages are translations of one another: the same steps and statements, in the same order
    for (const lang of ["pl", "ru"] as const) {
      if (book[lang].checklist.length !== book.en.checklist.length)
        ctx.addIssue({ code: "custom", path: [lang, "checklist"], message: `has ${book[lang].checklist.length} steps; en has ${book.en.checklist.length}` });
      if (book[lang].statements.length !== book.en.statements.length)
        ctx.addIssue({ code: "custom", path: [lang, "statements"], message: `has ${book[lang].statements.length} statements; en has ${book.en.statements.length}` });
    }
  });

export const playbookListSchema = z.array(playbookSchema).superRefine((list, ctx) => {
  const ids = new Set<string>();
  const owners = new Map<string, string>();
  list.forEach((book, n) => {
    if (ids.has(book.id)) ctx.addIssue({ code: "custom", path: [n, "id"], message: `playbook "${book.id}" is listed twice` });
    ids.add(book.id);
    for (const type of book.problemTypes) {
      const owner = owners.get(type);
      if (owner !== undefined && owner !== book.id)
        ctx.addIssue({ code: "custom", path: [n, "problemTypes"], message: `problem type "${type}" already belongs to playbook "${owner}"` });
      owners.set(type, book.id);
    }
  });
});

/**
 * `playbooks` in the configuration: whole playbooks that replace the shipped
 * one with the same id, or add one for another problem type (e.g. "price").
 */
export const playbookOverridesSchema = playbookListSchema.default([]).describe("Crisis playbooks that replace the shipped ones with the same id, or add new ones.");

export type Playbook = z.infer<typeof playbookSchema>;
export type PlaybookText = z.infer<typeof playbookTextSchema>;
