import { fc, test as prop } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import { isRedditApiError, isRedditParseError, parseListing } from "../../../collectors/reddit/parse";
import { payload } from "../../support/recorded-http";
import { ownOutcome, visible } from "../parsed";
import { thrown } from "../rejection";

const listing = (file: string) => payload(`reddit/${file}`).toString("utf8");

describe("parseListing()", () => {
  test("parseListing() reads search posts: self posts, a link post by a deleted account and a removed post's title", () => {
    const result = parseListing(listing("search-first.json"));
    expect(result).toMatchObject({ count: 5, after: "t3_1crs5nm", before: null, skipped: [] });
    expect(result.names).toEqual(["t3_1crx7kq", "t3_1crv2ab", "t3_1cru9zz", "t3_1crt4fe", "t3_1crs5nm"]);
    expect(result.items.map((i) => i.createdAt)).toEqual([1715680102, 1715674325, 1715672451, 1715670130, 1715667333]);
    expect(result.items.map((i) => visible(i.mention))).toEqual([
      {
        source: "reddit",
        sourceId: "t3_1crx7kq",
        url: "https://www.reddit.com/r/Polska/comments/1crx7kq/czy_u_was_te%C5%BC_nie_dzia%C5%82a_internet_od_lumio/",
        author: { handle: "kasia_wro" },
        title: "Czy u was też nie działa internet od Lumio?",
        text: "Wrocław, od 7 rano zero sygnału, infolinia zajęta. Masakra.",
        publishedAt: "2024-05-14T09:48:22.000Z",
        engagement: { likes: 42, replies: 17 },
      },
      {
        source: "reddit",
        sourceId: "t3_1crv2ab",
        url: "https://www.reddit.com/r/poland/comments/1crv2ab/lumio_outage_in_warsaw/",
        author: { handle: "fibre_nerd" },
        title: "Lumio outage in Warsaw?",
        text: "Is Lumio down for anyone else? Router shows <script>alert(1)</script> in the SSID, lol. Support line is busy.",
        publishedAt: "2024-05-14T08:12:05.000Z",
        engagement: { likes: 15, replies: 9 },
      },
      {
        source: "reddit",
        sourceId: "t3_1cru9zz",
        url: "https://www.reddit.com/r/russia/comments/1cru9zz/%D0%BB%D1%8E%D0%BC%D0%B8%D0%BE_%D1%81%D0%BD%D0%BE%D0%B2%D0%B0_%D0%BB%D0%B5%D0%B6%D0%B8%D1%82/",
        author: { handle: "moskvich_77" },
        title: "Люмио снова лежит",
        text: "Интернет от «Люмио» не работает с утра, поддержка не отвечает.",
        publishedAt: "2024-05-14T07:40:51.000Z",
        engagement: { likes: 8, replies: 3 },
      },
      {
        source: "reddit",
        sourceId: "t3_1crt4fe",
        url: "https://www.reddit.com/r/europe/comments/1crt4fe/polish_isp_lumio_down_for_thousands_after_fibre_cu/",
        title: "Polish ISP Lumio down for thousands after fibre cut",
        publishedAt: "2024-05-14T07:02:10.000Z",
        engagement: { likes: 311, replies: 120 },
      },
      {
        source: "reddit",
        sourceId: "t3_1crs5nm",
        url: "https://www.reddit.com/r/Polska/comments/1crs5nm/obs%C5%82uga_klienta_lumio_to_%C5%BCart/",
        author: { handle: "gniewny_klient" },
        title: "Obsługa klienta Lumio to żart",
        publishedAt: "2024-05-14T06:15:33.000Z",
        engagement: { likes: 0, replies: 2 },
      },
    ]);
  });

  test("parseListing() keeps the whole child, link target included, as raw", () => {
    const link = parseListing(listing("search-first.json")).items[3]?.mention;
    expect(link?.raw).toMatchObject({ kind: "t3", data: { url: "https://www.example-news.com/tech/2024/05/14/lumio-outage-poland", author: "[deleted]" } });
  });

  test("parseListing() reads comments with their parent and thread, keeps a deleted author's text and skips a removed body", () => {
    const result = parseListing(listing("subreddit-comments.json"));
    expect(result.items.map((i) => visible(i.mention))).toEqual([
      {
        source: "reddit",
        sourceId: "t1_l3x9k2p",
        url: "https://www.reddit.com/r/Polska/comments/1crx7kq/czy_u_was_te%C5%BC_nie_dzia%C5%82a_internet_od_lumio/l3x9k2p/",
        author: { handle: "piotr_z" },
        text: "Lumio znowu leży. Masakra, trzeci raz w tym miesiącu.",
        publishedAt: "2024-05-14T11:02:14.000Z",
        engagement: { likes: 9 },
        parentId: "t3_1crx7kq",
        threadId: "t3_1crx7kq",
      },
      {
        source: "reddit",
        sourceId: "t1_l3x8m4d",
        url: "https://www.reddit.com/r/Polska/comments/1crx7kq/czy_u_was_te%C5%BC_nie_dzia%C5%82a_internet_od_lumio/l3x8m4d/",
        text: "Mnie też nie działa od rana, Kraków.",
        publishedAt: "2024-05-14T10:55:00.000Z",
        engagement: { likes: 3 },
        parentId: "t3_1crx7kq",
        threadId: "t3_1crx7kq",
      },
      {
        source: "reddit",
        sourceId: "t1_l3x7q1d",
        url: "https://www.reddit.com/r/Polska/comments/1crx7kq/czy_u_was_te%C5%BC_nie_dzia%C5%82a_internet_od_lumio/l3x7q1d/",
        author: { handle: "kasia_wro" },
        text: "@piotr_z u mnie wróciło po 10:40, polecam zrestartować router.",
        publishedAt: "2024-05-14T10:45:12.000Z",
        engagement: { likes: 4 },
        parentId: "t1_l3x6w0b",
        threadId: "t3_1crx7kq",
      },
    ]);
    expect(result.skipped).toEqual([{ reason: "removed comment with nothing left to read", id: "t1_l3x7zzz" }]);
    expect(result.names).toEqual(["t1_l3x9k2p", "t1_l3x8m4d", "t1_l3x7zzz", "t1_l3x7q1d"]);
  });

  test("parseListing() skips children it cannot use, with a reason, and keeps the rest", () => {
    const result = parseListing(listing("odd-children.json"));
    // A child without `name` is named from its kind and id.
    expect(result.items.map((i) => i.mention.sourceId)).toEqual(["t3_1crz1xy", "t3_1crv2ab"]);
    expect(result.skipped).toEqual([
      { reason: 'not a post or comment (kind "t5")', id: "t5_8x2kq1" },
      { reason: "child without a readable created_utc", id: "t3_nodate1" },
      { reason: "deleted comment with nothing left to read", id: "t1_gone2" },
      { reason: "child without data" },
      { reason: "child is string, not an object" },
    ]);
    expect(result.count).toBe(7);
  });

  test("parseListing() reads an empty listing", () => {
    expect(parseListing(listing("empty-listing.json"))).toEqual({ items: [], skipped: [], names: [], count: 0, after: null, before: null });
  });

  test("parseListing() turns Reddit's error object into a RedditApiError with its status and reason", () => {
    const err = thrown(() => parseListing(listing("error-private.json")), isRedditApiError, "a RedditApiError");
    expect(err).toMatchObject({ status: 403, reason: "private", message: "Reddit answered with an error: 403 Forbidden (private)" });
  });

  test.for([
    ["an HTML page", "<!doctype html><html><body>whoa there, pardner!</body></html>", /^expected JSON, got an HTML page/],
    ["malformed JSON", '{"kind": "Listing", "data": {', /^malformed JSON: /],
    ["a JSON array", "[]", /^expected a Listing object, got an array$/],
    ["another kind", '{"kind": "t3", "data": {}}', /^expected a Listing, got kind "t3"$/],
    ["a Listing without children", '{"kind": "Listing", "data": {"after": null}}', /^Listing without a "data.children" array$/],
  ])("parseListing() refuses %s with a clear error", ([, text, message]) => {
    const err = thrown(() => parseListing(text as string), isRedditParseError, "a RedditParseError");
    expect(err.message).toMatch(message as RegExp);
  });

  const ownError = (err: unknown) => isRedditParseError(err) || isRedditApiError(err);

  prop.prop([fc.string({ maxLength: 2_000 })])("parseListing() either parses or throws its own error on any text", (text) =>
    ownOutcome(() => parseListing(text), (r) => Array.isArray(r.items), ownError),
  );

  prop.prop([fc.jsonValue({ maxDepth: 5 })])("parseListing() either parses or throws its own error on any JSON document", (doc) =>
    ownOutcome(() => parseListing(JSON.stringify(doc)), (r) => Array.isArray(r.items), ownError),
  );

  prop.prop([fc.array(fc.oneof(fc.jsonValue({ maxDepth: 3 }), childLike()), { maxLength: 20 })])(
    "parseListing() keeps or skips every child of a well-formed listing, whatever the children hold",
    (children) => {
      const result = parseListing(JSON.stringify({ kind: "Listing", data: { after: null, before: null, children } }));
      return result.items.length + result.skipped.length === children.length;
    },
  );
});

/** Objects shaped like listing children, with each field of a plausible or a wrong type. */
function childLike() {
  const anyScalar = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
  const text = fc.oneof(fc.string(), fc.constantFrom("[deleted]", "[removed]", ""), anyScalar);
  return fc.record({
    kind: fc.oneof(fc.constantFrom("t1", "t3", "t5", "more"), anyScalar),
    data: fc.oneof(
      fc.record(
        {
          name: fc.oneof(fc.string(), anyScalar),
          id: fc.oneof(fc.string(), anyScalar),
          created_utc: fc.oneof(fc.double(), fc.integer(), anyScalar),
          title: text,
          selftext: text,
          body: text,
          author: text,
          permalink: fc.oneof(fc.string().map((s) => `/${s}`), anyScalar),
          score: anyScalar,
          ups: anyScalar,
          num_comments: anyScalar,
          parent_id: anyScalar,
          link_id: anyScalar,
        },
        { requiredKeys: [] },
      ),
      anyScalar,
    ),
  });
}
