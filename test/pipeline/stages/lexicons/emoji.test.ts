import { describe, expect, test } from "vitest";
import { readEmoji } from "../../../../pipeline/stages/lexicons/emoji";

const terms = (text: string) => readEmoji(text).map((e) => e.term);

describe("readEmoji()", () => {
  test("readEmoji() finds emoji with variation selectors and skin tones", () => {
    expect(terms("Lumio 😡 ❤️ 👍🏽")).toEqual(["😡", "❤", "👍"]);
    expect(readEmoji("😡")[0]!.weight).toBeLessThan(0);
    expect(readEmoji("👍")[0]!.weight).toBeGreaterThan(0);
  });

  test("readEmoji() finds emoticons standing apart, with repeated last characters", () => {
    expect(terms("ok :) fine :-( meh :DDD <3")).toEqual([":)", ":-(", ":DDD", "<3"]);
    expect(readEmoji(":)))")[0]).toEqual({ term: ":)))", weight: 1.5 });
  });

  test("readEmoji() does not read links or words as emoticons", () => {
    expect(terms("see https://lumio.example/status and http://x.pl/a:/b")).toEqual([]);
    expect(terms("xDx and AXD")).toEqual([]);
  });

  test("readEmoji() reads Russian bracket smiles and frowns", () => {
    expect(readEmoji("починили))")).toEqual([{ term: "))", weight: 1.5 }]);
    expect(readEmoji("опять((")).toEqual([{ term: "((", weight: -1.5 }]);
  });

  test("readEmoji() counts one emoji at most three times", () => {
    expect(readEmoji("😡😡😡😡😡😡")).toHaveLength(3);
  });
});
