import { describe, expect, test } from "vitest";
import { stripNonProse } from "../../../../pipeline/stages/language/strip-non-prose";

describe("stripNonProse()", () => {
  test("stripNonProse() removes links, handles, e-mail addresses and hashtags", () => {
    const out = stripNonProse("@lumio_support nie działa https://lumio.example/status www.x.pl a@b.pl #fail #awaria");
    expect(out.replace(/\s+/g, " ").trim()).toBe("nie działa");
  });

  test("stripNonProse() returns plain prose unchanged", () => {
    const text = "nie dziala juz trzeci dzien";
    expect(stripNonProse(text)).toBe(text);
  });

  test("stripNonProse() removes Cyrillic hashtags too", () => {
    expect(stripNonProse("#авария Lumio").trim()).toBe("Lumio");
  });
});
