import { fc, test as prop } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import { expandLinks } from "../../../collectors/bluesky/rich-text";
import { payload } from "../../support/recorded-http";

const posts = (JSON.parse(payload("bluesky/search-posts-lumio.json").toString("utf8")) as { posts: { record: { text: string; facets?: unknown } }[] }).posts;
const bytes = (s: string) => new TextEncoder().encode(s).length;
/** A link facet over `part` of `text`, by UTF-8 byte offsets as Bluesky writes them. */
const linkFacet = (text: string, part: string, uri: string) => {
  const byteStart = bytes(text.slice(0, text.indexOf(part)));
  return { index: { byteStart, byteEnd: byteStart + bytes(part) }, features: [{ $type: "app.bsky.richtext.facet#link", uri }] };
};

describe("expandLinks()", () => {
  test("expandLinks() spells out a shortened link after Polish letters and an emoji", () => {
    const { text, facets } = posts[0]!.record;
    expect(expandLinks(text, facets)).toBe(
      "Awaria #Lumio we Wrocławiu 😡 już 5 godzin bez netu. Szczegóły: https://lumio.pl/aktualnosci/awaria-sieci-wroclaw-2024-05-14",
    );
  });

  test("expandLinks() adds the URL after words that hide it in Russian text, leaving the mention facet alone", () => {
    const { text, facets } = posts[1]!.record;
    expect(expandLinks(text, facets)).toBe("Люмио опять упал 🙄 @olga.example.com, у тебя тоже? Подробнее на сайте (https://novosti.example.ru/news/184467)");
  });

  test("expandLinks() slices by bytes, which JavaScript string indices would get wrong", () => {
    const text = "Łódź 🚀 żółw: lumio.pl/x…";
    const facet = linkFacet(text, "lumio.pl/x…", "https://www.lumio.pl/x-y-z");
    // The same range read as UTF-16 indices would start inside "żółw".
    expect(text.slice(facet.index.byteStart, facet.index.byteEnd)).not.toBe("lumio.pl/x…");
    expect(expandLinks(text, [facet])).toBe("Łódź 🚀 żółw: https://www.lumio.pl/x-y-z");
  });

  test("expandLinks() keeps a link shown in full as it is and handles several links in order", () => {
    const text = "a https://lumio.pl b lumio.pl/c... d тут";
    const facets = [linkFacet(text, "тут", "https://lumio.pl/d"), linkFacet(text, "https://lumio.pl", "https://lumio.pl"), linkFacet(text, "lumio.pl/c...", "https://lumio.pl/cennik")];
    expect(expandLinks(text, facets)).toBe("a https://lumio.pl b https://lumio.pl/cennik d тут (https://lumio.pl/d)");
  });

  test("expandLinks() ignores facets out of range, inside a character, overlapping, or not http(s) links", () => {
    const text = "żółw lumio";
    const link = (byteStart: number, byteEnd: number, uri = "https://lumio.pl") => ({ index: { byteStart, byteEnd }, features: [{ $type: "app.bsky.richtext.facet#link", uri }] });
    expect(expandLinks(text, [link(0, 99)])).toBe(text);
    expect(expandLinks(text, [link(1, 4)])).toBe(text);
    expect(expandLinks(text, [link(8, 13, "javascript:alert(1)")])).toBe(text);
    expect(expandLinks(text, [link(5, 3)])).toBe(text);
    expect(expandLinks(text, [{ index: { byteStart: 8, byteEnd: 13 }, features: [{ $type: "app.bsky.richtext.facet#tag", tag: "x" }] }])).toBe(text);
    expect(expandLinks(text, [link(8, 13, "https://lumio.pl/a"), link(10, 13, "https://b.example")])).toBe("żółw https://lumio.pl/a");
    expect(expandLinks(text, "nonsense")).toBe(text);
  });

  const facetArb = fc.record({
    index: fc.record({ byteStart: fc.oneof(fc.integer({ min: -2, max: 60 }), fc.double(), fc.string()), byteEnd: fc.oneof(fc.integer({ min: -2, max: 60 }), fc.constant(null)) }),
    features: fc.array(fc.record({ $type: fc.constantFrom("app.bsky.richtext.facet#link", "app.bsky.richtext.facet#tag", "x"), uri: fc.oneof(fc.webUrl(), fc.string()) }), { maxLength: 2 }),
  });
  prop.prop([fc.string({ unit: "grapheme", maxLength: 40 }), fc.array(fc.oneof(facetArb, fc.jsonValue({ maxDepth: 2 })), { maxLength: 5 })])(
    "expandLinks() never throws and never breaks a character, whatever the facets",
    (text, facets) => {
      const out = expandLinks(text, facets);
      return typeof out === "string" && (text.includes("\uFFFD") || !out.includes("\uFFFD"));
    },
  );
});
