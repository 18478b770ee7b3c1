import { describe, expect, test } from "vitest";
import { z } from "zod";
import { brandSchema } from "../../../../pipeline/stages/brand-query/brand-schema";

describe("brandSchema", () => {
  test("brandSchema accepts the older terms-and-exclude form and fills defaults", () => {
    expect(brandSchema.parse({ name: "Lumio", terms: ["Lumio", "Люмио*"], exclude: ["lumio lamp*"] })).toEqual({
      name: "Lumio",
      terms: ["Lumio", "Люмио*"],
      exclude: ["lumio lamp*"],
      diacritics: "ascii-too",
    });
  });

  test("brandSchema accepts a query alone and a query with terms", () => {
    expect(brandSchema.safeParse({ name: "Orlen", query: "Orlen -Orleans lang:pl" }).success).toBe(true);
    expect(brandSchema.safeParse({ name: "Orlen", query: "Orlen", terms: ["PKN"], diacritics: "strict" }).success).toBe(true);
  });

  test("brandSchema reports a query error with its column and a caret line", () => {
    const parsed = brandSchema.safeParse({ name: "Orlen", query: "(Orlen OR Lotos" });
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    expect(parsed.error.issues[0]!.path).toEqual(["query"]);
    expect(z.prettifyError(parsed.error)).toContain("missing ) to close the ( at column 1 (column 16)\n  (Orlen OR Lotos\n                 ^");
  });

  test("brandSchema refuses a brand with neither terms nor query, and a term with nothing to match", () => {
    const none = brandSchema.safeParse({ name: "Orlen" });
    expect(none.success ? null : none.error.issues[0]!.message).toBe("give terms, a query, or both");
    const star = brandSchema.safeParse({ name: "Orlen", terms: ["Orlen", "*"] });
    expect(star.success ? null : star.error.issues[0]!.path).toEqual(["terms", 1]);
  });

  test("brandSchema refuses an unknown diacritics mode and unknown keys", () => {
    expect(brandSchema.safeParse({ name: "Orlen", terms: ["Orlen"], diacritics: "loose" }).success).toBe(false);
    expect(brandSchema.safeParse({ name: "Orlen", terms: ["Orlen"], querry: "x" }).success).toBe(false);
  });
});
