import { fc, test as prop } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import { isBlueskyParseError, parseProfiles, parseSearchPosts, postUrl, type ParsedSearch } from "../../../collectors/bluesky/parse";
import { payload } from "../../support/recorded-http";
import { ownOutcome, visible } from "../parsed";
import { thrown } from "../rejection";

const fixture = (file: string) => payload(`bluesky/${file}`).toString("utf8");

const parseError = (fn: () => unknown) => thrown(fn, isBlueskyParseError, "a BlueskyParseError");

describe("parseSearchPosts()", () => {
  test("parseSearchPosts() reads posts in Polish, Russian and English with links spelled out", () => {
    const page = parseSearchPosts(fixture("search-posts-lumio.json"));
    expect(page).toMatchObject({ count: 4, cursor: undefined, skipped: [] });
    expect(page.posts.map((p) => visible(p.mention))).toEqual([
      {
        source: "bluesky",
        sourceId: "at://did:plc:k4s5aw7rzc3l4wz2m5qvn6ty/app.bsky.feed.post/3ksdbqy2zmo2k",
        url: "https://bsky.app/profile/kasia.bsky.social/post/3ksdbqy2zmo2k",
        author: { handle: "kasia.bsky.social", name: "Kasia 🌷" },
        text: "Awaria #Lumio we Wrocławiu 😡 już 5 godzin bez netu. Szczegóły: https://lumio.pl/aktualnosci/awaria-sieci-wroclaw-2024-05-14",
        publishedAt: "2024-05-14T11:58:02.120Z",
        lang: "pl",
        engagement: { likes: 14, shares: 3, replies: 2 },
      },
      {
        source: "bluesky",
        sourceId: "at://did:plc:iv4np3trzvmzskv4r7y2u5xz/app.bsky.feed.post/3ksdbjx5ctk2y",
        url: "https://bsky.app/profile/ivan.example.ru/post/3ksdbjx5ctk2y",
        author: { handle: "ivan.example.ru", name: "Иван Петров" },
        text: "Люмио опять упал 🙄 @olga.example.com, у тебя тоже? Подробнее на сайте (https://novosti.example.ru/news/184467)",
        publishedAt: "2024-05-14T11:55:00.000Z",
        lang: "ru",
        engagement: { likes: 4, shares: 0, replies: 1 },
      },
      {
        source: "bluesky",
        sourceId: "at://did:plc:s4r4hzn3ellfabr3w4tchxya/app.bsky.feed.post/3ksdb3nq7ek2c",
        url: "https://bsky.app/profile/fibrewatch.bsky.social/post/3ksdb3nq7ek2c",
        author: { handle: "fibrewatch.bsky.social", name: "Sarah O'Neill" },
        text: "@fibrewatch.bsky.social same here in Łódź, Lumio support says engineers are on site",
        publishedAt: "2024-05-14T11:48:33.000Z",
        lang: "en",
        engagement: { likes: 9, shares: 2, replies: 0 },
        parentId: "at://did:plc:s4r4hzn3ellfabr3w4tchxya/app.bsky.feed.post/3ksdaxpf2gk2n",
        threadId: "at://did:plc:s4r4hzn3ellfabr3w4tchxya/app.bsky.feed.post/3ksd7yw4hmc2a",
      },
      {
        source: "bluesky",
        sourceId: "at://did:plc:brzk3nh4ndl3zzzzzzzzzzzz/app.bsky.feed.post/3ksdaz7pxwc2f",
        // handle.invalid: the link and the handle go by DID.
        url: "https://bsky.app/profile/did%3Aplc%3Abrzk3nh4ndl3zzzzzzzzzzzz/post/3ksdaz7pxwc2f",
        author: { handle: "did:plc:brzk3nh4ndl3zzzzzzzzzzzz", name: "did:plc:brzk3nh4ndl3zzzzzzzzzzzz" },
        text: "lumio down again?",
        // createdAt (12:30) is after indexedAt: the author's clock ran ahead, so the post is dated when it was indexed.
        publishedAt: "2024-05-14T11:45:10.000Z",
        engagement: { likes: 0, shares: 0, replies: 0 },
      },
    ]);
    expect(page.posts.map((p) => [p.did, p.sortAt])).toEqual([
      ["did:plc:k4s5aw7rzc3l4wz2m5qvn6ty", Date.parse("2024-05-14T11:58:02.120Z")],
      ["did:plc:iv4np3trzvmzskv4r7y2u5xz", Date.parse("2024-05-14T11:55:00.000Z")],
      ["did:plc:s4r4hzn3ellfabr3w4tchxya", Date.parse("2024-05-14T11:48:33.000Z")],
      ["did:plc:brzk3nh4ndl3zzzzzzzzzzzz", Date.parse("2024-05-14T11:45:10.000Z")],
    ]);
    expect(page.posts[0]?.mention.raw).toMatchObject({ cid: "bafyreib2rxk3rh6kzwq7ovekqxgpzh5zmxvgeqdqvwqsqlqmgk4xkhvzwm", record: { $type: "app.bsky.feed.post" } });
  });

  test("parseSearchPosts() returns the page cursor", () => {
    expect(parseSearchPosts({ cursor: "100", posts: [] })).toEqual({ posts: [], skipped: [], cursor: "100", count: 0 });
  });

  test("parseSearchPosts() skips unreadable posts with a reason and keeps the rest", () => {
    const good = JSON.parse(fixture("search-posts-lumio.json")).posts[1];
    const page = parseSearchPosts({
      posts: [
        "x",
        { uri: "https://bsky.app/profile/a/post/1" },
        { uri: "at://did:plc:abc/app.bsky.feed.like/3k", record: {} },
        { uri: "at://did:plc:abc/app.bsky.feed.post/3kaaa", indexedAt: "2024-05-14T11:00:00Z" },
        { uri: "at://did:plc:abc/app.bsky.feed.post/3kbbb", record: { text: "no date" }, indexedAt: "yesterday" },
        good,
      ],
    });
    expect(page.skipped).toEqual([
      { reason: "item 0 is a string, not a post" },
      { reason: "item 1 has no post uri" },
      { reason: "item 2 has no post uri" },
      { reason: "post at://did:plc:abc/app.bsky.feed.post/3kaaa has no record", uri: "at://did:plc:abc/app.bsky.feed.post/3kaaa", sortAt: Date.parse("2024-05-14T11:00:00Z") },
      { reason: "post at://did:plc:abc/app.bsky.feed.post/3kbbb has no readable date", uri: "at://did:plc:abc/app.bsky.feed.post/3kbbb" },
    ]);
    expect(page.posts.map((p) => p.uri)).toEqual(["at://did:plc:iv4np3trzvmzskv4r7y2u5xz/app.bsky.feed.post/3ksdbjx5ctk2y"]);
    expect(page.count).toBe(6);
  });

  test("parseSearchPosts() keeps an image-only post without text and ignores a non-string language", () => {
    const page = parseSearchPosts({
      posts: [{ uri: "at://did:plc:abc/app.bsky.feed.post/3kccc", author: { did: "did:plc:abc", handle: "a.bsky.social" }, record: { text: "", langs: [7], createdAt: "2024-05-14T11:00:00Z" } }],
    });
    expect(visible(page.posts[0]!.mention)).toEqual({
      source: "bluesky",
      sourceId: "at://did:plc:abc/app.bsky.feed.post/3kccc",
      url: "https://bsky.app/profile/a.bsky.social/post/3kccc",
      author: { handle: "a.bsky.social", name: "a.bsky.social" },
      publishedAt: "2024-05-14T11:00:00.000Z",
    });
  });

  test.for([
    ["an empty body", "", /empty/],
    ["an HTML page", "<html><body>Bluesky</body></html>", /markup, not JSON/],
    ["malformed JSON", "{\"posts\": [", /^malformed JSON/],
    ["an XRPC error", "{\"error\":\"InvalidRequest\",\"message\":\"Error: Params must have the property \\\"q\\\"\"}", /without a "posts" array \(the server says: InvalidRequest: Error: Params must have the property "q"\)$/],
    ["an array", "[]", /got an array/],
  ])("parseSearchPosts() refuses %s with a clear error", ([, text, message]) => {
    expect(parseError(() => parseSearchPosts(text as string)).message).toMatch(message as RegExp);
  });
});

describe("parseProfiles()", () => {
  test("parseProfiles() maps each DID to its followers and leaves out profiles without a count", () => {
    expect(parseProfiles(fixture("get-profiles.json"))).toEqual(
      new Map([
        ["did:plc:k4s5aw7rzc3l4wz2m5qvn6ty", 412],
        ["did:plc:iv4np3trzvmzskv4r7y2u5xz", 87],
        ["did:plc:s4r4hzn3ellfabr3w4tchxya", 5210],
        ["did:plc:brzk3nh4ndl3zzzzzzzzzzzz", 3],
      ]),
    );
    expect(parseProfiles({ profiles: [{ did: "did:plc:x" }, { did: "did:plc:y", followersCount: -1 }, null] }).size).toBe(0);
    expect(parseError(() => parseProfiles({ error: "InvalidRequest" })).message).toBe('getProfiles result without a "profiles" array (the server says: InvalidRequest)');
  });
});

describe("postUrl()", () => {
  test("postUrl() links by handle, or by DID when the handle is invalid or odd", () => {
    expect(postUrl("kasia.bsky.social", "did:plc:abc", "3k2")).toBe("https://bsky.app/profile/kasia.bsky.social/post/3k2");
    expect(postUrl("handle.invalid", "did:plc:abc", "3k2")).toBe("https://bsky.app/profile/did%3Aplc%3Aabc/post/3k2");
    expect(postUrl("a/../b", "did:plc:abc", "3k2")).toBe("https://bsky.app/profile/did%3Aplc%3Aabc/post/3k2");
  });
});

describe("parse bad input", () => {
  const accounted = (page: ParsedSearch) => page.posts.length + page.skipped.length === page.count;

  prop.prop([fc.string({ maxLength: 2_000 })])("parseSearchPosts() and parseProfiles() return or throw BlueskyParseError on any text", (text) =>
    [parseSearchPosts, parseProfiles].every((parse) => ownOutcome(() => parse(text), () => true, isBlueskyParseError)),
  );

  prop.prop([fc.jsonValue({ maxDepth: 4 })])("parseSearchPosts() returns a page or throws BlueskyParseError on any JSON value", (value) =>
    [value, JSON.stringify(value)].every((input) => ownOutcome(() => parseSearchPosts(input), accounted, isBlueskyParseError)),
  );

  const anything = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 2 }));
  const postLike = fc.record(
    {
      uri: fc.oneof(fc.constantFrom("at://did:plc:abc/app.bsky.feed.post/3kaaa", "at://did:web:x.example/app.bsky.feed.post/3kb"), anything),
      author: fc.oneof(fc.record({ did: anything, handle: anything, displayName: anything }, { requiredKeys: [] }), anything),
      record: fc.oneof(
        fc.record(
          {
            text: fc.oneof(fc.string({ unit: "grapheme" }), anything),
            createdAt: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), anything),
            langs: anything,
            facets: anything,
            reply: anything,
          },
          { requiredKeys: [] },
        ),
        anything,
      ),
      indexedAt: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), anything),
      likeCount: anything,
    },
    { requiredKeys: [] },
  );
  prop.prop([fc.array(postLike, { maxLength: 20 })])("parseSearchPosts() never throws on post-like objects and accounts for every item", (posts) => {
    const page = parseSearchPosts({ posts });
    return accounted(page) && page.posts.every((p) => p.mention.sourceId === p.uri && Number.isFinite(p.sortAt));
  });
});
