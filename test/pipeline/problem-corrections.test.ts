import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Lang } from "../../pipeline/mention";
import { ProblemCorrections } from "../../pipeline/problem-corrections";
import { compileProblemTerms } from "../../pipeline/stages/problems/compile-problem-terms";
import { DEFAULT_PROBLEM_TERMS } from "../../pipeline/stages/problems/default-problem-terms";
import type { ProblemModel } from "../../pipeline/stages/problems/problem-model";
import { shippedProblemModel } from "../../pipeline/stages/problems/shipped-problem-model";
import { tagProblems } from "../../pipeline/stages/tag-problems";
import { openStore } from "../../pipeline/store/open-store";
import type { CorrectionRecord, Store } from "../../pipeline/store/store";
import { freshDatabase } from "../contracts/store.contract";
import { tempDirs } from "../support/temp-dir";

const dirs = tempDirs();
let store: Store;
const T = Date.UTC(2026, 10, 23, 12, 0);

const correction = (mentionId: string, text: string, lang: Lang, value: string, at = T): CorrectionRecord => ({
  mentionId,
  field: "problems",
  value,
  text,
  lang,
  correctedBy: "ola",
  at,
});

function installation() {
  const model: ProblemModel = { ...shippedProblemModel(), adapter: null };
  const terms = compileProblemTerms(DEFAULT_PROBLEM_TERMS, {}, { model });
  return { model, terms, types: (text: string, lang: Lang) => tagProblems(text, lang, terms).map((t) => t.type) };
}

beforeAll(async () => {
  store = await openStore({ kind: "embedded", dataDir: dirs.make("earshot-problem-corrections-"), database: freshDatabase() });
});
afterAll(async () => {
  await store.close();
});

describe("ProblemCorrections", () => {
  test("relearn() with no stored correction leaves the model's tags as shipped", async () => {
    const { model, terms, types } = installation();
    await new ProblemCorrections(store, terms, model).relearn();
    expect(model.adapter).toBeNull();
    expect(types("Быстрая доставка, спасибо Люмио", "ru")).toEqual(["delivery"]);
  });

  test("relearn() tags the way the team's newest correction of each mention says, and skips values that are not type lists", async () => {
    await store.saveCorrection(correction("vk:1", "Быстрая доставка, спасибо Люмио", "ru", '["delivery"]', T));
    // The same mention corrected again later: the newest wins.
    await store.saveCorrection(correction("vk:1", "Быстрая доставка, спасибо Люмио", "ru", "[]", T + 60_000));
    await store.saveCorrection(correction("rss:2", "Lumio still hasn't paid the promised cashback", "en", '["price"]'));
    await store.saveCorrection(correction("rss:3", "Lumio is slow today", "en", "not json"));
    await store.saveCorrection(correction("rss:4", "Lumio is slow today", "en", '["weather"]'));
    const { model, terms, types } = installation();
    await new ProblemCorrections(store, terms, model).relearn();
    expect(model.adapter).not.toBeNull();
    expect(types("Быстрая доставка, спасибо Люмио", "ru")).toEqual([]);
    expect(types("Lumio still hasn't paid the promised cashback", "en")).toEqual(["price"]);
    expect(types("Lovely weather in Kraków today", "en")).toEqual([]);
  });

  test("relearn() called during a relearn learns once more, so a correction stored meanwhile is not missed", async () => {
    const { model, terms, types } = installation();
    const corrections = new ProblemCorrections(store, terms, model);
    const first = corrections.relearn();
    await store.saveCorrection(correction("tg:5", "Lumio obiecało zwrot i dalej cisza, minął miesiąc", "pl", '["service"]'));
    const second = corrections.relearn();
    await Promise.all([first, second]);
    expect(types("Lumio obiecało zwrot i dalej cisza, minął miesiąc", "pl")).toEqual(["service"]);
  });
});
