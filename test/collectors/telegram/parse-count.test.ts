import { fc, test as prop } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import { parseCount } from "../../../collectors/telegram/parse-count";

describe("parseCount()", () => {
  test.for([
    ["950", 950],
    ["0", 0],
    ["37.2K", 37_200],
    ["15K", 15_000],
    ["1.2M", 1_200_000],
    ["1.08K", 1_080],
    ["2B", 2_000_000_000],
    ["1,2K", 1_200],
    ["37.2k", 37_200],
    ["37.2 K", 37_200],
    ["1 234", 1_234],
    ["1\u00a0234", 1_234],
    ["1\u202f234\u202f567", 1_234_567],
    ["1,234", 1_234],
    ["12.3K subscribers", 12_300],
    ["1 024 subscribers", 1_024],
    ["12 345 подписчиков", 12_345],
    ["  8.1K  ", 8_100],
  ] as const)("parseCount() reads %j as %i", ([text, expected]) => {
    expect(parseCount(text)).toBe(expected);
  });

  test.for([[""], ["K"], ["views"], ["1.5"], ["12-3"], ["1 23"], ["-5"], ["99999999999999999999"], ["1.2.3K"]])(
    "parseCount() refuses %j",
    ([text]) => {
      expect(parseCount(text)).toBeUndefined();
    },
  );

  prop.prop([fc.nat({ max: 999_999_999 })])("parseCount() reads any plain or space-grouped number back", (n) => {
    const grouped = n.toLocaleString("en-US").replace(/,/g, "\u00a0");
    return parseCount(String(n)) === n && parseCount(grouped) === n;
  });

  prop.prop([fc.string({ maxLength: 40 })])("parseCount() returns a non-negative integer or undefined on any text", (text) => {
    const n = parseCount(text);
    return n === undefined || (Number.isSafeInteger(n) && n >= 0);
  });
});
