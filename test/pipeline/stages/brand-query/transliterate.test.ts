import { describe, expect, test } from "vitest";
import { compileQuery } from "../../../../pipeline/stages/brand-query/compile-query";
import { primarySpelling, scriptOf, transliterate } from "../../../../pipeline/stages/brand-query/transliterate";

const subject = (text: string) => ({ text, title: "", source: "rss", authorHandle: "", authorName: "", claimedLang: "" });

function matcher(query: string) {
  const compiled = compileQuery(query);
  if (!compiled.ok) throw new Error(compiled.error.display);
  return (text: string) => compiled.query.matches(subject(text));
}

describe("transliterate()", () => {
  test.each([
    ["Яндекс", "cyrillic", "Yandeks"],
    ["Сбер", "cyrillic", "Sber"],
    ["Щука", "cyrillic", "Shchuka"],
    ["Жабка", "cyrillic", "Zhabka"],
    ["Orlen", "latin", "Орлен"],
    ["Yandex", "latin", "Яндекс"],
    ["Żabka", "latin", "Жабка"],
    ["Sber", "latin", "Сбер"],
    ["Shop", "latin", "Шоп"],
  ] as const)("transliterate() spells %s primarily as %s → %s", (word, script, expected) => {
    expect(primarySpelling(transliterate(word, script)!)).toBe(expected);
  });

  test("scriptOf() tells plain Latin and Cyrillic words from mixed ones", () => {
    expect(scriptOf("Orlen")).toBe("latin");
    expect(scriptOf("Сбер")).toBe("cyrillic");
    expect(scriptOf("Sбер")).toBeNull();
    expect(scriptOf("C++")).toBeNull();
  });
});

describe("terms match across scripts", () => {
  test.each([
    ["Яндекс", ["Yandex", "yandex.ru", "Jandeks", "Yandeksa", "Yandexem", "w Yandexie", "Yandexa"]],
    ["Yandex", ["Яндекс", "Яндекса", "Яндексом", "в Яндексе"]],
    ["Сбер", ["Sber", "SBER", "Sbera", "Sberze"]],
    ["Sber", ["Сбер", "Сбера", "Сбером"]],
    ["Сбербанк", ["Sberbank", "Sberbanku", "Sberbankiem", "Sberbankom"]],
    ["Orlen", ["Орлен", "Орлена", "Орленом", "в Орлене"]],
    ["Żabka", ["Жабка", "Жабке", "Жабку"]],
    ["Жабка", ["Zhabka", "Żabka", "Żabce", "Zabce"]],
  ])("a %s term matches its transliterations", (term, texts) => {
    const matches = matcher(term);
    for (const text of texts) expect(matches(text), text).toBe(true);
  });

  test.each([
    ["Яндекс", ["Yandexowski", "Yan", "Yandek"]],
    ["Сбер", ["Sberbank", "Sbierka"]],
    ["Orlen", ["Орлеан", "Орленок"]],
    ["Lumio", ["Люмио"]],
  ])("a %s term does not match unrelated spellings", (term, texts) => {
    const matches = matcher(term);
    for (const text of texts) expect(matches(text), text).toBe(false);
  });
});
