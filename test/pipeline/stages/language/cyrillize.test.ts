import { fc, test as propTest } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import { cyrillize, readableText } from "../../../../pipeline/stages/language/cyrillize";
import { compileProblemTerms } from "../../../../pipeline/stages/problems/compile-problem-terms";
import { DEFAULT_PROBLEM_TERMS } from "../../../../pipeline/stages/problems/default-problem-terms";
import { scoreSentiment } from "../../../../pipeline/stages/score-sentiment";
import { tagProblems } from "../../../../pipeline/stages/tag-problems";

describe("cyrillize()", () => {
  test.each([
    ["ne rabotaet", "не работает"],
    ["eto prosto uzhas", "это просто ужас"],
    ["podderzhka molchit uzhe nedelyu", "поддержка молчит уже неделю"],
    ["otlichnyy servis, rekomenduyu", "отличный сервис, рекомендую"],
    ["ochen dovolna dostavkoy", "очен доволна доставкой"],
    ["den'gi spisali", "деньги списали"],
    ["nichego ne gruzitsya", "ничего не грузится"],
    ["spasibo bolshoe za pomoshch", "спасибо болшое за помощ"],
    ["tretij den bez sveta, ja v shoke", "третий ден без света, я в шоке"],
    ["vse horosho, spasibo", "все хорошо, спасибо"],
    ["Privet, Lumio", "Привет, Лумио"],
  ])("cyrillize(%j) reads %j", (latin, cyrillic) => {
    expect(cyrillize(latin)).toBe(cyrillic);
  });

  test("cyrillize() leaves links, handles, hashtags, numbers and punctuation as written", () => {
    expect(cyrillize("@lumio_help ne rabotaet https://lumio.example/status #sboi 502!!! 😡")).toBe(
      "@lumio_help не работает https://lumio.example/status #sboi 502!!! 😡",
    );
  });

  propTest.prop([fc.string({ unit: "binary", maxLength: 500 })])("cyrillize() and readableText() never throw and keep non-Latin text as it is", (text) => {
    const out = cyrillize(text);
    expect(typeof out).toBe("string");
    expect(readableText(text, "en")).toBe(text);
    expect(typeof readableText(text, "ru")).toBe("string");
  });
});

describe("readableText()", () => {
  test("readableText() reads back only Russian or Ukrainian written wholly in Latin letters", () => {
    expect(readableText("opyat ne rabotaet", "ru")).toBe("опят не работает");
    expect(readableText("znovu ne pratsyuye", "uk")).toBe("знову не працюе");
    expect(readableText("Lumio снова не работает", "ru")).toBe("Lumio снова не работает"); // a Latin brand in Cyrillic text
    expect(readableText("still not working", "en")).toBe("still not working");
    expect(readableText("nie działa", "pl")).toBe("nie działa");
  });
});

describe("transliterated Russian, read back, through the Russian readers", () => {
  const terms = compileProblemTerms(DEFAULT_PROBLEM_TERMS);
  test.each([
    ["privet, u vas tozhe ne rabotaet internet?", "negative", ["outage"]],
    ["zakaz tak i ne prishel", "negative", ["delivery"]],
    ["podderzhka molchit uzhe nedelyu", "negative", ["service"]],
    ["prilozhenie vyletaet pri vhode", "negative", ["outage"]],
    ["otlichnyy servis, rekomenduyu", "positive", []],
    ["vse horosho, spasibo", "positive", []],
  ])("%j is %s with problems %j (the Latin text alone read neutral, with none)", (text, label, problems) => {
    expect(scoreSentiment(text, "ru", null).label).toBe("neutral");
    const readable = readableText(text, "ru");
    expect(scoreSentiment(readable, "ru", null).label).toBe(label);
    expect(tagProblems(readable, "ru", terms).map((p) => p.type)).toEqual(problems);
  });
});
