import { describe, expect, test } from "vitest";
import { compileProblemTerms } from "../../../../pipeline/stages/problems/compile-problem-terms";
import { DEFAULT_PROBLEM_TERMS } from "../../../../pipeline/stages/problems/default-problem-terms";
import { learnProblemAdapter } from "../../../../pipeline/stages/problems/learn-problem-adapter";
import type { ProblemModel } from "../../../../pipeline/stages/problems/problem-model";
import { shippedProblemModel } from "../../../../pipeline/stages/problems/shipped-problem-model";
import { tagProblems } from "../../../../pipeline/stages/tag-problems";
import type { Lang } from "../../../../pipeline/mention";

/** A copy of the shipped model with a layer of its own, and lists compiled with it. */
function installation() {
  const model: ProblemModel = { ...shippedProblemModel(), adapter: null };
  const terms = compileProblemTerms(DEFAULT_PROBLEM_TERMS, {}, { model });
  const types = (text: string, lang: Lang) => tagProblems(text, lang, terms).map((t) => t.type);
  return { model, terms, types };
}

const UNPAID = "Lumio still hasn't paid the promised cashback";
const SILENCE = "Lumio obiecało zwrot i dalej cisza, minął miesiąc";
const PRAISE = "Быстрая доставка, спасибо Люмио";
const HUNG_UP = "оператор бросил трубку";
const STUCK = "Lumio app stuck on the loading screen for me";
const UNRELATED: [string, Lang][] = [
  ["Lovely weather in Kraków today", "en"],
  ["Kupiłam nowy telefon w Lumio, jestem zadowolona", "pl"],
  ["Отличный сервис у Люмио, всё быстро", "ru"],
];

describe("learnProblemAdapter", () => {
  test("learnProblemAdapter() teaches a type the shipped model missed, for the text and a close paraphrase", () => {
    const { model, terms, types } = installation();
    expect(types(UNPAID, "en")).toEqual([]);
    expect(types(SILENCE, "pl")).toEqual([]);
    model.adapter = learnProblemAdapter(model, terms, [
      { text: UNPAID, lang: "en", problems: ["price"] },
      { text: SILENCE, lang: "pl", problems: ["service"] },
    ]);
    expect(types(UNPAID, "en")).toEqual(["price"]);
    expect(types("Lumio still hasn't paid my promised cashback!", "en")).toEqual(["price"]);
    expect(types(SILENCE, "pl")).toEqual(["service"]);
    expect(types("Lumio obiecało zwrot i dalej cisza", "pl")).toEqual(["service"]);
  });

  test("learnProblemAdapter() takes back a type only the model gave, and leaves the lists' own tags to them", () => {
    const { model, terms, types } = installation();
    // The model reads praise of a fast delivery as a delivery complaint, and a dropped call as an outage too.
    expect(types(PRAISE, "ru")).toEqual(["delivery"]);
    expect(types(HUNG_UP, "ru")).toEqual(["outage", "service"]);
    // "stuck on the loading screen" is an outage term of the lists.
    expect(types(STUCK, "en")).toEqual(["outage"]);
    model.adapter = learnProblemAdapter(model, terms, [
      { text: PRAISE, lang: "ru", problems: [] },
      { text: HUNG_UP, lang: "ru", problems: ["service"] },
      { text: STUCK, lang: "en", problems: [] },
    ]);
    expect(types(PRAISE, "ru")).toEqual([]);
    expect(types(HUNG_UP, "ru")).toEqual(["service"]);
    expect(types(STUCK, "en")).toEqual(["outage"]);
  });

  test("learnProblemAdapter() leaves unrelated mentions as they were", () => {
    const { model, terms, types } = installation();
    const before = UNRELATED.map(([text, lang]) => types(text, lang));
    model.adapter = learnProblemAdapter(model, terms, [
      { text: UNPAID, lang: "en", problems: ["price"] },
      { text: SILENCE, lang: "pl", problems: ["service"] },
      { text: PRAISE, lang: "ru", problems: [] },
    ]);
    expect(UNRELATED.map(([text, lang]) => types(text, lang))).toEqual(before);
  });

  test("learnProblemAdapter() gives no layer when nothing can be learnt (no words, a language the model does not read, all left to the lists)", () => {
    const { model, terms } = installation();
    expect(learnProblemAdapter(model, terms, [])).toBeNull();
    expect(learnProblemAdapter(model, terms, [{ text: "", lang: "en", problems: ["outage"] }])).toBeNull();
    expect(learnProblemAdapter(model, terms, [{ text: "Lumio ist kaputt", lang: "de", problems: ["outage"] }])).toBeNull();
  });

  test("learnProblemAdapter() does not change the shipped model shared by everything else", () => {
    const { model, terms } = installation();
    model.adapter = learnProblemAdapter(model, terms, [{ text: UNPAID, lang: "en", problems: ["price"] }]);
    expect(shippedProblemModel().adapter ?? null).toBeNull();
    const shared = compileProblemTerms(DEFAULT_PROBLEM_TERMS);
    expect(tagProblems(UNPAID, "en", shared)).toEqual([]);
  });
});
