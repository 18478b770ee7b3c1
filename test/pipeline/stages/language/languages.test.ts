import { describe, expect, test } from "vitest";
import { SUPPORTED_LANGS, claimedLang, languageConfigSchema } from "../../../../pipeline/stages/language/languages";

const all = new Set(SUPPORTED_LANGS);

describe("claimedLang()", () => {
  test("claimedLang() reads locale tags, three-letter codes and the ua misspelling", () => {
    expect(claimedLang("pl-PL", all)).toBe("pl");
    expect(claimedLang(" ru_RU ", all)).toBe("ru");
    expect(claimedLang("EN", all)).toBe("en");
    expect(claimedLang("ua", all)).toBe("uk");
    expect(claimedLang("ukr", all)).toBe("uk");
    expect(claimedLang("ger", all)).toBe("de");
  });

  test("claimedLang() answers null for a missing, unknown or not configured language", () => {
    expect(claimedLang(undefined, all)).toBeNull();
    expect(claimedLang("", all)).toBeNull();
    expect(claimedLang("ja", all)).toBeNull();
    expect(claimedLang("de", new Set(["pl"] as const))).toBeNull();
  });
});

describe("languageConfigSchema", () => {
  test("languageConfigSchema defaults to every supported language and rejects unknown codes", () => {
    expect(languageConfigSchema.parse({}).languages).toEqual([...SUPPORTED_LANGS]);
    expect(languageConfigSchema.safeParse({ languages: ["pl", "xx"] }).success).toBe(false);
    expect(languageConfigSchema.safeParse({ languages: [] }).success).toBe(false);
  });
});
