import { fc, test as prop } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import { isMastodonParseError, parseSearch, parseTimeline, type ParsedStatuses } from "../../../collectors/mastodon/parse";
import { payload } from "../../support/recorded-http";
import { ownOutcome, visible } from "../parsed";
import { thrown } from "../rejection";

const fixture = (file: string) => payload(`mastodon/${file}`).toString("utf8");
const mentions = (page: ParsedStatuses) => page.entries.flatMap((e) => (e.mention === null ? [] : [e.mention]));

const parseError = (fn: () => unknown) => thrown(fn, isMastodonParseError, "a MastodonParseError");

describe("parseTimeline()", () => {
  test("parseTimeline() reads a hashtag page in Polish, Russian and English keyed by the global uri", () => {
    const page = parseTimeline(fixture("tag-lumio.json"));
    expect(page.count).toBe(4);
    expect(page.skipped).toEqual([]);
    expect(page.entries.map((e) => e.id)).toEqual(["112439321034752017", "112439309107204242", "112439283744768901", "112439258644480077"]);
    expect(mentions(page).map(visible)).toEqual([
      {
        source: "mastodon",
        sourceId: "https://mastodon.social/users/kasia_wro/statuses/112439321034752017",
        url: "https://mastodon.social/@kasia_wro/112439321034752017",
        author: { handle: "kasia_wro@mastodon.social", name: "Kasia z Wrocławia 🌷", followers: 412 },
        html: '<p>Znowu awaria <a href="https://mastodon.social/tags/lumio" class="mention hashtag" rel="tag">#<span>Lumio</span></a> we Wrocławiu 😡 Od 7 rano bez internetu, infolinia nie odbiera. <a href="https://mastodon.social/tags/awaria" class="mention hashtag" rel="tag">#<span>awaria</span></a></p>',
        publishedAt: "2024-05-14T11:58:02.412Z",
        lang: "pl",
        engagement: { likes: 11, shares: 5, replies: 2 },
      },
      {
        source: "mastodon",
        sourceId: "https://mastodon.example.ru/users/ivan_p/statuses/112439309100000000",
        url: "https://mastodon.example.ru/@ivan_p/112439309100000000",
        author: { handle: "ivan_p@mastodon.example.ru", name: "Иван Петров", followers: 87 },
        html: '<p>Люмио опять без связи третий час. Ужасный сервис &amp; никаких объяснений. <a href="https://mastodon.social/tags/lumio" class="mention hashtag" rel="tag">#<span>lumio</span></a></p>',
        publishedAt: "2024-05-14T11:55:00.000Z",
        lang: "ru",
        engagement: { likes: 3, shares: 1, replies: 0 },
      },
      {
        source: "mastodon",
        sourceId: "https://hachyderm.example/users/fibre_watch/statuses/112439283700000000",
        url: "https://hachyderm.example/@fibre_watch/112439283700000000",
        author: { handle: "fibre_watch@hachyderm.example", name: "Sarah O'Neill", followers: 5210 },
        title: "Lumio outage rant",
        html: '<p>Day two of the <a href="https://mastodon.social/tags/lumio" class="mention hashtag" rel="tag">#<span>Lumio</span></a> fibre outage in Łódź. Support says &quot;engineers are on site&quot;; nobody has seen them.</p>',
        publishedAt: "2024-05-14T11:48:33.000Z",
        lang: "en",
        engagement: { likes: 30, shares: 12, replies: 4 },
      },
      {
        source: "mastodon",
        sourceId: "https://pol.example/objects/7d1f0c2e-5a8b-4c1e-9f3a-0b6c2d4e8f10",
        url: "https://pol.example/notice/AjX8tP1fQ2",
        // An empty display name falls back to the username.
        author: { handle: "marek@pol.example", name: "marek", followers: 19 },
        html: '<p><a href="https://mastodon.social/tags/lumio" class="mention hashtag" rel="tag">#<span>lumio</span></a> działa już u kogoś?</p>',
        publishedAt: "2024-05-14T11:42:10.000Z",
        engagement: { likes: 1, shares: 0, replies: 0 },
      },
    ]);
  });

  test("parseTimeline() keeps the status as received as raw", () => {
    const [first] = mentions(parseTimeline(fixture("tag-lumio.json")));
    expect(first?.raw).toMatchObject({ id: "112439321034752017", in_reply_to_id: null, application: { name: "Web" } });
  });

  test("parseTimeline() emits the original of a boost, placed at the boost's id", () => {
    const page = parseTimeline(fixture("timeline-with-boost.json"));
    const [boost] = page.entries;
    expect(boost?.id).toBe("112439319658496505");
    expect(boost?.mention).toMatchObject({
      sourceId: "https://hachyderm.example/users/fibre_watch/statuses/112439283700000000",
      url: "https://hachyderm.example/@fibre_watch/112439283700000000",
      author: { handle: "fibre_watch@hachyderm.example" },
      title: "Lumio outage rant",
      publishedAt: "2024-05-14T11:48:33.000Z",
    });
    expect(boost?.mention?.raw).toMatchObject({ id: "112439319658496505", reblog: { id: "112439283744768901" } });
  });

  test("parseTimeline() skips unreadable items with a reason and keeps the rest of the page", () => {
    const good = JSON.parse(fixture("tag-lumio.json"))[1];
    const page = parseTimeline(JSON.stringify([42, { uri: "https://x.example/1" }, { id: "7" }, good, { id: "9", reblog: { id: "8" } }]));
    expect(page.count).toBe(5);
    expect(page.skipped).toEqual([
      { reason: "item 0 is a number, not a status" },
      { reason: "item 1 has no id" },
      { reason: "status 7 has no uri", id: "7" },
      { reason: "status 9 has no uri", id: "9" },
    ]);
    expect(mentions(page).map((m) => m.sourceId)).toEqual(["https://mastodon.example.ru/users/ivan_p/statuses/112439309100000000"]);
  });

  test("parseTimeline() drops links that are not http(s) and falls back to the uri for the url", () => {
    const page = parseTimeline([
      { id: "1", uri: "https://a.example/users/x/statuses/1", url: "javascript:alert(1)", account: { acct: "x", username: "x", url: "javascript:void(0)" } },
      { id: "2", uri: "tag:b.example,2024:objectId=2", url: null },
    ]);
    expect(mentions(page).map(visible)).toEqual([
      { source: "mastodon", sourceId: "https://a.example/users/x/statuses/1", url: "https://a.example/users/x/statuses/1", author: { handle: "x", name: "x" } },
      { source: "mastodon", sourceId: "tag:b.example,2024:objectId=2" },
    ]);
  });

  test("parseTimeline() accepts integer ids from servers that send numbers", () => {
    expect(parseTimeline([{ id: 12, uri: "https://a.example/s/12" }]).entries.map((e) => e.id)).toEqual(["12"]);
    expect(parseTimeline([{ id: 1.5, uri: "https://a.example/s/1" }]).skipped).toEqual([{ reason: "item 0 has no id" }]);
  });

  test.for([
    ["an empty body", "  ", /empty/],
    ["an HTML page", "<!DOCTYPE html><html><body>Mastodon</body></html>", /markup, not JSON .*baseUrl/],
    ["malformed JSON", "[{\"id\": ", /^malformed JSON/],
    ["an error object", "{\"error\":\"The access token is invalid\"}", /^expected a JSON array of statuses, got an object \(the server says: The access token is invalid\)$/],
    ["a number", "42", /got a number/],
  ])("parseTimeline() refuses %s with a clear error", ([, text, message]) => {
    expect(parseError(() => parseTimeline(text as string)).message).toMatch(message as RegExp);
  });
});

describe("parseSearch()", () => {
  test("parseSearch() reads statuses and withholds the followers-only one", () => {
    const page = parseSearch(fixture("search-lumio.json"));
    expect(page.count).toBe(3);
    expect(page.entries.map((e) => [e.id, e.mention?.sourceId ?? null])).toEqual([
      ["112439321034752017", "https://mastodon.social/users/kasia_wro/statuses/112439321034752017"],
      ["112439313825792008", null],
      ["112439217815552003", "https://hachyderm.example/users/fibre_watch/statuses/112439217800000000"],
    ]);
    expect(page.entries[2]?.mention).toMatchObject({ html: "<p>Lumio&#39;s status page still says &quot;all systems operational&quot;. It is not.</p>", lang: "en" });
  });

  test("parseSearch() refuses a result without statuses", () => {
    expect(parseError(() => parseSearch(JSON.stringify({ accounts: [], hashtags: [] }))).message).toBe('search result without a "statuses" array');
    expect(parseError(() => parseSearch("[]")).message).toBe("expected a search result object, got an array");
  });
});

describe("parse bad input", () => {
  const ok = (page: ParsedStatuses) => page.entries.length + page.skipped.length === page.count;

  prop.prop([fc.string({ maxLength: 2_000 })])("parseTimeline() and parseSearch() return a page or throw MastodonParseError on any text", (text) =>
    [parseTimeline, parseSearch].every((parse) => ownOutcome(() => parse(text), ok, isMastodonParseError)),
  );

  prop.prop([fc.jsonValue({ maxDepth: 4 })])("parseTimeline() and parseSearch() return a page or throw MastodonParseError on any JSON value", (value) =>
    [parseTimeline, parseSearch].every((parse) => [value, JSON.stringify(value)].every((input) => ownOutcome(() => parse(input), ok, isMastodonParseError))),
  );

  const anything = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 2 }));
  const statusLike = fc.record(
    {
      id: anything,
      uri: fc.oneof(fc.webUrl(), anything),
      url: fc.oneof(fc.webUrl(), anything),
      created_at: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), anything),
      content: anything,
      spoiler_text: anything,
      language: anything,
      visibility: fc.oneof(fc.constantFrom("public", "unlisted", "private", "direct"), anything),
      account: fc.oneof(fc.record({ acct: anything, display_name: anything, followers_count: anything, url: anything }, { requiredKeys: [] }), anything),
      reblog: anything,
      favourites_count: anything,
    },
    { requiredKeys: [] },
  );
  prop.prop([fc.array(statusLike, { maxLength: 20 })])("parseTimeline() never throws on an array of status-like objects and accounts for every item", (items) => {
    const page = parseTimeline(items);
    return ok(page) && page.entries.every((e) => e.mention === null || (typeof e.mention.sourceId === "string" && e.mention.sourceId !== ""));
  });
});
