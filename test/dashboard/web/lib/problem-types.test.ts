import { describe, expect, test } from "vitest";
import { PROBLEM_CHOICES, problemLabel } from "../../../../dashboard/web/lib/problem-types";
import en from "../../../../dashboard/web/i18n/en.json";
import { PROBLEM_TYPES } from "../../../../pipeline/mention";

describe("problem types in the dashboard", () => {
  test("PROBLEM_CHOICES lists the pipeline's problem types in its order, each with a label in the messages", () => {
    expect(PROBLEM_CHOICES.map(([type]) => type)).toEqual([...PROBLEM_TYPES]);
    for (const [, key] of PROBLEM_CHOICES) expect(Object.hasOwn(en, key)).toBe(true);
  });

  test("problemLabel() names a known type in the reader's words and shows an unknown one as its code", () => {
    const t = (key: string) => (en as Record<string, string>)[key]!;
    expect(problemLabel("delivery", t)).toBe((en as Record<string, string>)["problem.delivery"]);
    expect(problemLabel("weather", t)).toBe("weather");
  });
});
