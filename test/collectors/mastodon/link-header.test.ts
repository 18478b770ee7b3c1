import { describe, expect, test } from "vitest";
import { parseLinkHeader } from "../../../collectors/mastodon/link-header";

const BASE = "https://mastodon.social/api/v1/timelines/tag/lumio?limit=40";

describe("parseLinkHeader()", () => {
  test("parseLinkHeader() reads Mastodon's next and prev links", () => {
    const links = parseLinkHeader(
      '<https://mastodon.social/api/v1/timelines/tag/lumio?limit=40&max_id=112439258644480077>; rel="next", <https://mastodon.social/api/v1/timelines/tag/lumio?limit=40&min_id=112439321034752017>; rel="prev"',
      BASE,
    );
    expect(Object.fromEntries(links)).toEqual({
      next: "https://mastodon.social/api/v1/timelines/tag/lumio?limit=40&max_id=112439258644480077",
      prev: "https://mastodon.social/api/v1/timelines/tag/lumio?limit=40&min_id=112439321034752017",
    });
  });

  test("parseLinkHeader() resolves relative targets, reads unquoted and multiple rels and keeps the first of each", () => {
    const links = parseLinkHeader('</api/v1/x?min_id=5>; rel=prev; title="a, b", <https://a.example/1>; rel="next alternate", <https://a.example/2>; rel="next"', BASE);
    expect(Object.fromEntries(links)).toEqual({
      prev: "https://mastodon.social/api/v1/x?min_id=5",
      next: "https://a.example/1",
      alternate: "https://a.example/1",
    });
  });

  test("parseLinkHeader() ignores non-http targets, links without rel and a missing header", () => {
    expect(parseLinkHeader('<javascript:alert(1)>; rel="prev", <https://a.example/3>', BASE).size).toBe(0);
    expect(parseLinkHeader(undefined, BASE).size).toBe(0);
    expect(parseLinkHeader("garbage", BASE).size).toBe(0);
  });
});
