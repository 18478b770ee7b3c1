import { fc, test as prop } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import { isHnParseError, parseSearchPage } from "../../../collectors/hackernews/parse";
import { payload } from "../../support/recorded-http";
import { ownOutcome, visible } from "../parsed";
import { thrown } from "../rejection";

const page = (file: string) => payload(`hackernews/${file}`).toString("utf8");

const parseError = (fn: () => unknown) => thrown(fn, isHnParseError, "an HnParseError");

describe("parseSearchPage()", () => {
  test("parseSearchPage() reads comments and stories with their thread, engagement and item page", () => {
    const result = parseSearchPage(page("search-first.json"));
    expect(result).toMatchObject({ page: 0, nbPages: 1, nbHits: 4, skipped: [] });
    expect(result.hits.map((h) => h.createdAt)).toEqual([1715687883, 1715683287, 1715678411, 1715634344]);
    expect(result.hits.map((h) => visible(h.mention))).toEqual([
      {
        source: "hackernews",
        sourceId: "40356120",
        url: "https://news.ycombinator.com/item?id=40356120",
        author: { handle: "wkrol" },
        html: "<p>Same in Kraków. Lumio&#x27;s status page still says &quot;all systems operational&quot;.</p>",
        publishedAt: "2024-05-14T11:58:03.000Z",
        parentId: "40355702",
        threadId: "40355678",
      },
      {
        source: "hackernews",
        sourceId: "40355702",
        url: "https://news.ycombinator.com/item?id=40355702",
        author: { handle: "mkowalczyk" },
        html: 'Their NOC posted an update: <a href="https:&#x2F;&#x2F;status.lumio.example&#x2F;incidents&#x2F;2024-05-14-0712" rel="nofollow">https:&#x2F;&#x2F;status.lumio.example&#x2F;incidents&#x2F;2024-05-14-0712</a><p>Fibre cut near Łódź, they say. I&#x27;d expect a credit on the bill &lt;script&gt;alert(1)&lt;&#x2F;script&gt;</p>',
        publishedAt: "2024-05-14T10:41:27.000Z",
        parentId: "40355678",
        threadId: "40355678",
      },
      {
        source: "hackernews",
        sourceId: "40355678",
        url: "https://news.ycombinator.com/item?id=40355678",
        author: { handle: "fibre_nerd" },
        title: "Lumio outage leaves thousands of Polish customers offline",
        publishedAt: "2024-05-14T09:20:11.000Z",
        engagement: { likes: 57, replies: 1 },
      },
      {
        source: "hackernews",
        sourceId: "40349001",
        url: "https://news.ycombinator.com/item?id=40349001",
        author: { handle: "tkaczmarek" },
        title: "Ask HN: Anyone else's Lumio router rebooting every night?",
        html: "My Lumio Box 2 reboots at 3am every night since the last firmware update.<p>Support says it is &quot;scheduled maintenance&quot;. Is there a way to turn it off?",
        publishedAt: "2024-05-13T21:05:44.000Z",
        engagement: { likes: 4, replies: 1 },
      },
    ]);
  });

  test("parseSearchPage() keeps the whole hit, story link included, as raw", () => {
    const story = parseSearchPage(page("search-first.json")).hits[2]?.mention;
    expect(story?.raw).toMatchObject({ objectID: "40355678", url: "https://www.example-news.com/tech/2024/05/14/lumio-outage-poland", _tags: ["story", "author_fibre_nerd", "story_40355678"] });
  });

  test("parseSearchPage() keeps escaped markup escaped", () => {
    const comment = parseSearchPage(page("search-first.json")).hits[1]?.mention;
    expect(comment?.html).toContain("&lt;script&gt;");
    expect(comment?.html).not.toContain("<script>");
  });

  test("parseSearchPage() skips hits without an id, a time or any text, with a reason, and keeps the rest", () => {
    const result = parseSearchPage(page("search-odd-hits.json"));
    expect(result.hits.map((h) => [h.mention.sourceId, h.mention.publishedAt])).toEqual([
      ["40356400", "2024-05-14T12:10:00.000Z"],
      ["40356403", "2024-05-14T12:07:00.000Z"],
    ]);
    expect(result.skipped).toEqual([
      { reason: "hit without an objectID" },
      { reason: "hit without a readable created_at_i or created_at", id: "40356402" },
      { reason: "hit without a title or text", id: "40356404" },
      { reason: "hit is string, not an object" },
    ]);
  });

  test.for([
    ["malformed JSON", '{"hits": [', /^malformed JSON: /],
    ["a JSON array", "[]", /^expected a JSON object, got an array$/],
    ["a page without hits", '{"page": 0, "nbPages": 1}', /^not a search page: no "hits" array$/],
    ["a page without nbPages", '{"hits": [], "page": 0}', /"page" and "nbPages" must be non-negative integers/],
    ["Algolia's error body", page("error-400.json"), /^the search API answered with an error: invalid numericFilters: created_at_i>=abc$/],
  ])("parseSearchPage() refuses %s with a clear error", ([, text, message]) => {
    expect(parseError(() => parseSearchPage(text as string)).message).toMatch(message as RegExp);
  });

  prop.prop([fc.string({ maxLength: 2_000 })])("parseSearchPage() either parses or throws HnParseError on any text", (text) =>
    ownOutcome(() => parseSearchPage(text), (r) => Array.isArray(r.hits), isHnParseError),
  );

  prop.prop([fc.jsonValue({ maxDepth: 4 })])("parseSearchPage() either parses or throws HnParseError on any JSON document", (doc) =>
    ownOutcome(() => parseSearchPage(JSON.stringify(doc)), (r) => Array.isArray(r.hits), isHnParseError),
  );

  prop.prop([fc.array(fc.oneof(fc.jsonValue({ maxDepth: 3 }), hitLike()), { maxLength: 20 })])(
    "parseSearchPage() keeps or skips every hit of a well-formed page, whatever the hits hold",
    (hits) => {
      const result = parseSearchPage(JSON.stringify({ hits, page: 0, nbPages: 1 }));
      return result.hits.length + result.skipped.length === hits.length;
    },
  );
});

/** Objects shaped like hits, with each field of a plausible or a wrong type. */
function hitLike() {
  const anyScalar = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
  return fc.record(
    {
      objectID: fc.oneof(fc.string(), anyScalar),
      created_at_i: fc.oneof(fc.integer(), anyScalar),
      created_at: fc.oneof(fc.date().map((d) => (Number.isNaN(d.getTime()) ? "bad" : d.toISOString())), anyScalar),
      title: anyScalar,
      comment_text: anyScalar,
      story_text: anyScalar,
      author: anyScalar,
      points: anyScalar,
      num_comments: anyScalar,
      parent_id: anyScalar,
      story_id: anyScalar,
      _tags: fc.oneof(fc.array(fc.string()), anyScalar),
    },
    { requiredKeys: [] },
  );
}
