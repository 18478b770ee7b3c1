import { describe, expect, test } from "vitest";
import { PLAYBOOK_LANGS, placeholdersIn, type Playbook } from "../../../pipeline/playbooks/playbook-schema";
import { SHIPPED_PLAYBOOKS } from "../../../pipeline/playbooks/shipped-playbooks";
import { PROBLEM_TYPES } from "../../../pipeline/stages/problems/problem-types";

const strings = (book: Playbook, lang: "en" | "pl" | "ru") => [
  book[lang].title,
  book[lang].summary,
  ...book[lang].checklist,
  ...book[lang].statements.flatMap((s) => [s.label, s.text]),
];

describe("SHIPPED_PLAYBOOKS", () => {
  test("SHIPPED_PLAYBOOKS has outage, delivery, quality, scandal, security and a default", () => {
    expect(SHIPPED_PLAYBOOKS.map((p) => p.id)).toEqual(["outage", "delivery", "quality", "scandal", "security", "default"]);
  });

  test.each(SHIPPED_PLAYBOOKS.map((p) => [p.id, p] as const))("%s has every language with the same number of steps and statements", (_, book) => {
    for (const lang of PLAYBOOK_LANGS) {
      expect(book[lang].checklist.length).toBe(book.en.checklist.length);
      expect(book[lang].statements.length).toBe(book.en.statements.length);
    }
    expect(book.en.checklist.length).toBeGreaterThanOrEqual(5);
    expect(book.en.checklist.length).toBeLessThanOrEqual(10);
    expect([2, 3]).toContain(book.en.statements.length);
  });

  test.each(SHIPPED_PLAYBOOKS.map((p) => [p.id, p] as const))("%s has no empty or untrimmed text, and each language says it differently", (_, book) => {
    for (const lang of PLAYBOOK_LANGS)
      for (const s of strings(book, lang)) {
        expect(s.trim()).toBe(s);
        expect(s.length).toBeGreaterThan(2);
      }
    const en = strings(book, "en");
    strings(book, "pl").forEach((s, n) => expect(s).not.toBe(en[n]));
    // every Russian text is in Cyrillic; Polish shows its diacritics
    for (const s of strings(book, "ru")) expect(s).toMatch(/[а-яё]/i);
    expect(strings(book, "pl").join(" ")).toMatch(/[ąćęłńóśźż]/);
  });

  test.each(SHIPPED_PLAYBOOKS.map((p) => [p.id, p] as const))("%s opens with a public acknowledgement within {minutes} in every language", (_, book) => {
    for (const lang of PLAYBOOK_LANGS) expect(book[lang].checklist[0]).toContain("{minutes}");
  });

  test.each(SHIPPED_PLAYBOOKS.map((p) => [p.id, p] as const))("%s uses the same placeholders in each language's statements", (_, book) => {
    const used = (lang: "en" | "pl" | "ru") => book[lang].statements.map((s) => placeholdersIn(s.text).sort());
    expect(used("pl")).toEqual(used("en"));
    expect(used("ru")).toEqual(used("en"));
  });

  test("SHIPPED_PLAYBOOKS name only problem types the tagger produces", () => {
    for (const type of SHIPPED_PLAYBOOKS.flatMap((p) => p.problemTypes)) expect(PROBLEM_TYPES).toContain(type);
  });
});
