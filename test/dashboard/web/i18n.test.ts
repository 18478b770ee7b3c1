import { describe, expect, test } from "vitest";
import {
  CATALOGS,
  LOCALES,
  MESSAGE_KEYS,
  placeholders,
  translate,
} from "../../../dashboard/web/lib/messages";

describe("message catalogs", () => {
  test.each(LOCALES)("catalog %s has exactly the English keys", (locale) => {
    expect(Object.keys(CATALOGS[locale]).sort()).toEqual([...MESSAGE_KEYS].sort());
  });

  test.each(LOCALES)("catalog %s has no empty or blank messages", (locale) => {
    const blank = Object.entries(CATALOGS[locale])
      .filter(([, message]) => message.trim() === "")
      .map(([key]) => key);
    expect(blank).toEqual([]);
  });

  test.each(LOCALES)("catalog %s uses the same placeholders as English in every message", (locale) => {
    const differing = MESSAGE_KEYS.filter(
      (key) => placeholders(CATALOGS[locale][key] ?? "").join() !== placeholders(CATALOGS.en[key] ?? "").join(),
    );
    expect(differing).toEqual([]);
  });

  test.each(["pl", "ru"] as const)("catalog %s is translated, not a copy of English", (locale) => {
    // Messages made only of placeholders, numbers and punctuation may match English.
    const copied = MESSAGE_KEYS.filter(
      (key) => /\p{L}{3,}/u.test((CATALOGS.en[key] ?? "").replace(/\{\w+\}|HTTP/g, "")) &&
        CATALOGS[locale][key] === CATALOGS.en[key],
    );
    expect(copied).toEqual([]);
  });
});

describe("translate()", () => {
  test("translate() fills named placeholders and keeps unknown ones visible", () => {
    expect(translate({ hi: "Hi {name}, {missing}" }, "hi", { name: "Ola" })).toBe("Hi Ola, {missing}");
  });

  test("translate() returns the key in brackets when the catalog lacks it", () => {
    expect(translate(CATALOGS.pl, "no.such.key")).toBe("[no.such.key]");
  });

  test("translate() returns the key in brackets when the message is empty", () => {
    expect(translate({ blank: "" }, "blank")).toBe("[blank]");
  });

  test("translate() does not read inherited properties as messages", () => {
    expect(translate(CATALOGS.en, "toString")).toBe("[toString]");
  });
});
