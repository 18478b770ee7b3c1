import { describe, expect, test } from "vitest";
import { compileQuery } from "../../../../pipeline/stages/brand-query/compile-query";
import { inflect } from "../../../../pipeline/stages/brand-query/inflect";

const subject = (text: string) => ({ text, title: "", source: "rss", authorHandle: "", authorName: "", claimedLang: "" });

function matcher(query: string) {
  const compiled = compileQuery(query);
  if (!compiled.ok) throw new Error(compiled.error.display);
  return (text: string) => compiled.query.matches(subject(text));
}

const forms = (word: string, lang: "pl" | "ru"): string[] => {
  const inf = inflect(word, lang);
  return inf.tails.map((t) => inf.stem + t);
};

describe("inflect() Polish", () => {
  test.each([
    ["Orlen", ["Orlen", "Orlenu", "Orlena", "Orlenowi", "Orlenem", "Orlenie", "Orleny", "Orlenów", "Orlenom", "Orlenami", "Orlenach"]],
    ["Żabka", ["Żabka", "Żabki", "Żabce", "Żabkę", "Żabką", "Żabko", "Żabek", "Żabkom", "Żabkami", "Żabkach"]],
    ["Praga", ["Praga", "Pragi", "Pradze", "Pragę", "Pragą"]],
    ["Poczta", ["Poczta", "Poczty", "Poczcie", "Pocztę", "Pocztą"]],
    ["Nokia", ["Nokia", "Nokii", "Nokię", "Nokią"]],
    ["Internet", ["Internetu", "Internecie", "Internetem"]],
    ["Carrefour", ["Carrefoura", "Carrefourze", "Carrefourem"]],
    ["Netflix", ["Netflixa", "Netfliksa", "Netflixie", "Netfliksie", "Netflixem"]],
    ["Empik", ["Empiku", "Empikiem", "Empiki"]],
    ["Play", ["Playa", "Playu", "Playem"]],
    ["Poznań", ["Poznania", "Poznaniu", "Poznaniem"]],
  ])("inflect() gives %s its Polish case forms", (word, expected) => {
    expect(forms(word, "pl")).toEqual(expect.arrayContaining(expected));
  });

  test.each(["Lumio", "Allegro", "Tesco", "Sony", "Orange", "PKO", "PZU"])("inflect() leaves %s as written (indeclinable or abbreviation)", (word) => {
    expect(forms(word, "pl")).toEqual([word]);
  });
});

describe("inflect() Russian", () => {
  test.each([
    ["Сбербанк", ["Сбербанк", "Сбербанка", "Сбербанку", "Сбербанком", "Сбербанке", "Сбербанки", "Сбербанков"]],
    ["Яндекс", ["Яндекс", "Яндекса", "Яндексу", "Яндексом", "Яндексе", "Яндексы"]],
    ["Жабка", ["Жабка", "Жабки", "Жабке", "Жабку", "Жабкой", "Жабок", "Жабці"]],
    ["Прага", ["Праге", "Прагу", "Прагой", "Празі"]],
    ["Россия", ["России", "Россию", "Россией"]],
    ["Копейка", ["Копейки", "Копейке", "Копеек"]],
    ["Связь", ["Связи", "Связью"]],
    ["Билайн", ["Билайн", "Билайна", "Билайном", "Билайне"]],
    ["Мегафон", ["Мегафона", "Мегафону", "Мегафоном"]],
    ["Трамвай", ["Трамвая", "Трамваю", "Трамваем"]],
  ])("inflect() gives %s its Russian case forms", (word, expected) => {
    expect(forms(word, "ru")).toEqual(expect.arrayContaining(expected));
  });

  test.each(["Авито", "Люмио", "МТС", "Кафе"])("inflect() leaves %s as written", (word) => {
    expect(forms(word, "ru")).toEqual([word]);
  });
});

describe("brand terms follow inflection in texts", () => {
  test.each([
    ["Orlen", ["Tankuję na Orlenie", "ceny Orlenu", "z Orlenem", "ORLENOWI", "stacje Orlenów", "w orlenie znowu drogo"]],
    ["Żabka", ["kupiłem w Żabce", "nie ma Żabki", "idę do żabki", "przed Żabką", "lubię Żabkę", "sieć Żabek", "w zabce", "zabke", "żabkę-to"]],
    ["Сбербанк", ["в Сбербанке", "у Сбербанка", "Сбербанку", "со Сбербанком", "СБЕРБАНК"]],
    ["Яндекс", ["в Яндексе", "от Яндекса", "с Яндексом"]],
  ])("a %s term matches each inflected form", (term, texts) => {
    const matches = matcher(term);
    for (const text of texts) expect(matches(text), text).toBe(true);
  });

  test.each([
    ["Orlen", ["Orleans", "Orlenka", "Orle", "Orlando", "Korlen", "Orlenowski"]],
    ["Żabka", ["Żab", "żabkowy", "Żabno", "Żabiniec", "żaba", "Ząbki"]],
    ["Сбербанк", ["Сбербанкомат", "Сбер", "Сбербанковский"]],
    ["Яндекс", ["Яндексович", "Яндексоид", "Янд"]],
    ["Сбер", ["Сбербанк", "Сберкасса", "Sberbank"]],
  ])("a %s term ignores unrelated words", (term, texts) => {
    const matches = matcher(term);
    for (const text of texts) expect(matches(text), text).toBe(false);
  });
});
