import { test as prop, fc } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import { cleanText } from "../../../pipeline/reports/clean-text";

describe("cleanText()", () => {
  test("cleanText() removes control and bidi characters and folds line breaks", () => {
    expect(cleanText("a\u0000b\u0007\tc\r\nd\u202Ee\u200Bf\u0085", 100)).toBe("ab c def");
  });

  test("cleanText() clips at whole code points with an ellipsis", () => {
    expect(cleanText("😀😀😀😀", 3)).toBe("😀😀…");
    expect(cleanText("Żółć", 4)).toBe("Żółć");
  });

  prop.prop([fc.string({ unit: "binary", maxLength: 2_000 }), fc.integer({ min: 1, max: 500 })])(
    "cleanText() never leaves a control character nor exceeds the limit",
    (text, max) => {
      const clean = cleanText(text, max);
      return Array.from(clean).length <= max && !/[\u0000-\u001F\u007F-\u009F\u202A-\u202E]/.test(clean);
    },
  );
});
