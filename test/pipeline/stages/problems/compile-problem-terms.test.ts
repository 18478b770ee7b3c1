import { describe, expect, test } from "vitest";
import {
  compileProblemTerms,
  problemTermIssue,
  ProblemTermError,
} from "../../../../pipeline/stages/problems/compile-problem-terms";
import { DEFAULT_PROBLEM_TERMS } from "../../../../pipeline/stages/problems/default-problem-terms";
import { PROBLEM_TYPES, TERM_LANGS } from "../../../../pipeline/stages/problems/problem-types";
import { problemsConfigSchema } from "../../../../pipeline/stages/problems/problems-config";
import { tagProblems } from "../../../../pipeline/stages/tag-problems";

// The lists alone: these tests pin how configuration changes them.
const types = (text: string, lang: "pl" | "ru" | "uk" | "en", overrides = {}) =>
  tagProblems(text, lang, compileProblemTerms(DEFAULT_PROBLEM_TERMS, overrides, { model: null })).map((t) => t.type);
const modelTypes = (text: string, lang: "pl" | "ru" | "uk" | "en", overrides = {}) =>
  tagProblems(text, lang, compileProblemTerms(DEFAULT_PROBLEM_TERMS, overrides)).map((t) => t.type);

describe("compileProblemTerms()", () => {
  test("compileProblemTerms() compiles every shipped list with terms for each type", () => {
    const compiled = compileProblemTerms(DEFAULT_PROBLEM_TERMS);
    for (const lang of TERM_LANGS) {
      expect(compiled[lang].words.size + compiled[lang].stemBuckets.size).toBeGreaterThan(50);
      for (const type of PROBLEM_TYPES) expect(DEFAULT_PROBLEM_TERMS[lang === "uk" ? "ru" : lang].terms[type].length).toBeGreaterThan(5);
    }
  });

  test("compileProblemTerms() adds a configured term to its type and language", () => {
    expect(types("skrytka zamarzła", "pl")).toEqual([]);
    expect(types("skrytka zamarzła", "pl", { delivery: { pl: ["skrytk* zamarz*"] } })).toEqual(["delivery"]);
    expect(types("skrytka zamarzła", "ru", { delivery: { pl: ["skrytk* zamarz*"] } })).toEqual([]);
  });

  test("compileProblemTerms() removes a shipped term written with a leading minus", () => {
    expect(types("delivery delayed", "en")).toEqual(["delivery"]);
    expect(types("delivery delayed", "en", { delivery: { en: ["-delay*"] } })).toEqual([]);
  });

  test("compileProblemTerms() adds a topic with a leading tilde, which needs a complaint word", () => {
    const overrides = { service: { en: ["~concierge"] } };
    expect(types("the concierge was lovely", "en", overrides)).toEqual([]);
    expect(types("the concierge was terrible again", "en", overrides)).toEqual(["service"]);
  });

  test("compileProblemTerms() applies Russian changes to Ukrainian too", () => {
    const overrides = { outage: { ru: ["тупит"] } };
    expect(types("сайт тупит", "uk", overrides)).toEqual(["outage"]);
    expect(types("сайт тупит", "uk")).toEqual([]);
  });

  test("compileProblemTerms() expands alternatives, stems inside them and multi-word alternatives", () => {
    const overrides = { quality: { pl: ["{rdzewiej*,koroduje}", "farba {schodzi,się łuszczy}"] } };
    expect(types("lodówka rdzewieje", "pl", overrides)).toEqual(["quality"]);
    expect(types("rama koroduje", "pl", overrides)).toEqual(["quality"]);
    expect(types("farba się łuszczy", "pl", overrides)).toEqual(["quality"]);
  });

  test("compileProblemTerms() lets a configured term tag beside the shipped model", () => {
    expect(modelTypes("skrytka zamarzła", "pl", { delivery: { pl: ["skrytk* zamarz*"] } })).toContain("delivery");
  });

  test("compileProblemTerms() silences the model on the words of a removed term", () => {
    expect(modelTypes("оператор бросил трубку", "ru")).toContain("service");
    expect(modelTypes("оператор бросил трубку", "ru", { service: { ru: ["-оператор*", "-трубк*"] } })).not.toContain("service");
    // Other words may still carry the type, but never the removed ones.
    const compiled = compileProblemTerms(DEFAULT_PROBLEM_TERMS, { security: { en: ["-account*", "-accessed"] } });
    for (const tag of tagProblems("my account was accessed from another country", "en", compiled)) {
      expect(tag.terms).not.toContain("account");
      expect(tag.terms).not.toContain("accessed");
    }
  });

  test("compileProblemTerms() reads the lists alone with no model", () => {
    expect(compileProblemTerms(DEFAULT_PROBLEM_TERMS, {}, { model: null }).pl.model).toBeNull();
    expect(compileProblemTerms(DEFAULT_PROBLEM_TERMS).pl.model).not.toBeNull();
  });

  test("compileProblemTerms() refuses a stem too short to be safe", () => {
    expect(() => compileProblemTerms(DEFAULT_PROBLEM_TERMS, { outage: { en: ["do*"] } })).toThrow(ProblemTermError);
  });
});

describe("problemTermIssue()", () => {
  test.each([
    ["awari*", null],
    ["сбо{й,я,и}", null],
    ["nie {mogę,da się} zalogować", null],
    ["", "a term needs at least one word"],
    ["**", "a term needs at least one word"],
    ["aw*", "a stem needs at least 3 letters"],
    ["a*b", "* may only end a word (a stem)"],
    ["{a,b}{c,d}", "write alternatives as one {a,b,c} group"],
  ])("problemTermIssue() says %j → %j", (term, issue) => {
    const found = problemTermIssue(term);
    if (issue === null) expect(found).toBeNull();
    else expect(found).toContain(issue);
  });
});

describe("problemsConfigSchema", () => {
  test("problemsConfigSchema accepts additions per type and language and defaults to none", () => {
    expect(problemsConfigSchema.parse(undefined)).toEqual({});
    const parsed = problemsConfigSchema.parse({ delivery: { pl: ["skrytk* zamarz*", "~kurier*"], en: ["-delay*"] } });
    expect(types("skrytka zamarzła", "pl", parsed)).toEqual(["delivery"]);
  });

  test("problemsConfigSchema reports a bad term, an unknown type and an unknown language with their paths", () => {
    const result = problemsConfigSchema.safeParse({ outage: { en: ["do*"] }, weather: { en: ["rain"] }, delivery: { de: ["Verspätung"] } });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => i.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["outage.en.0", "delivery"]));
    expect(result.error!.issues.some((i) => i.message.includes("a stem needs at least 3 letters"))).toBe(true);
    expect(result.error!.issues.some((i) => JSON.stringify(i).includes("weather"))).toBe(true);
  });
});
