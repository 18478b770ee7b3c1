import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import { fillPlaceholders } from "../../../pipeline/playbooks/fill-placeholders";

describe("fillPlaceholders()", () => {
  test("fillPlaceholders() replaces every occurrence and keeps unknown or unfilled ones", () => {
    expect(fillPlaceholders("{brand}: {brand} at {support}, by {date}, {nope}", { brand: "Lumio", support: "help@lumio.test" })).toBe(
      "Lumio: Lumio at help@lumio.test, by {date}, {nope}",
    );
  });

  test("fillPlaceholders() does not read values off the object prototype", () => {
    expect(fillPlaceholders("{constructor} {toString}", {})).toBe("{constructor} {toString}");
  });

  const printable = fc.string({ minLength: 1, maxLength: 300 }).filter((v) => /^[^\s\u0000-\u001f\u007f-\u009f]+$/.test(v));
  fcTest.prop([printable])("fillPlaceholders() inserts any one-line value verbatim, never re-expanding it", (brand) => {
    expect(fillPlaceholders("[{brand}] {support}", { brand, support: "{brand}" })).toBe(`[${brand}] {brand}`);
  });

  fcTest.prop([fc.string()])("fillPlaceholders() never lets a value break the line", (brand) => {
    expect(fillPlaceholders("[{brand}]", { brand })).not.toMatch(/[\n\r\u2028\u2029\u0085]/);
  });
});
