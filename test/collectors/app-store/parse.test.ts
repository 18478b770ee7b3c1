import { fc, test as prop } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import { isAppStoreParseError, parseReviewFeed, type ReviewPage } from "../../../collectors/app-store/parse";
import { payload } from "../../support/recorded-http";
import { ownOutcome, visible } from "../parsed";
import { thrown } from "../rejection";

const APP = "1488311937";
const feed = (file: string): string => payload(`app-store/${file}`).toString("utf8");
const parse = (file: string, country: string): ReviewPage => parseReviewFeed(feed(file), { appId: APP, country });

const mentionsOf = (page: ReviewPage) => page.entries.flatMap((e) => (e.mention === null ? [] : [visible(e.mention)]));

const parseError = (fn: () => unknown) => thrown(fn, isAppStoreParseError, "an AppStoreParseError");

describe("parseReviewFeed() reviews", () => {
  test("parseReviewFeed() reads the reviews newest first and leaves out the app's own entry", () => {
    const page = parse("customerreviews-pl.xml", "pl");
    expect(page.reviewCount).toBe(4);
    expect(page.skipped).toEqual([]);
    expect(page.entries.map((e) => [e.id, new Date(e.at).toISOString()])).toEqual([
      ["10938475612", "2024-05-14T11:52:18.000Z"],
      ["10938311007", "2024-05-14T11:31:02.000Z"],
      ["10937900215", "2024-05-14T10:10:45.000Z"],
      ["10935120874", "2024-05-14T05:05:00.000Z"],
    ]);
    expect(mentionsOf(page)[0]).toEqual({
      source: "app-store",
      sourceId: `${APP}:10938475612`,
      url: `https://itunes.apple.com/pl/review?id=${APP}&type=Purple%20Software`,
      author: { handle: "id1122334455", name: "kasia_wro" },
      title: "Nie działa od rana",
      text: "Aplikacja Lumio nie działa od rana, nie mogę się zalogować.\nNie polecam.",
      publishedAt: "2024-05-14T11:52:18.000Z",
      lang: "pl",
      engagement: { likes: 3 },
      rating: 1,
    });
    expect(mentionsOf(page).map((m) => [m.rating, m.text])).toEqual([
      [1, "Aplikacja Lumio nie działa od rana, nie mogę się zalogować.\nNie polecam."],
      [2, "Po aktualizacji 4.12 wszystko się sypie & zawiesza"],
      [5, "Polecam, działa szybko."],
      [4, "Dobra, ale brakuje trybu ciemnego"],
    ]);
  });

  test("parseReviewFeed() keeps the entry, version and vote count included, as raw", () => {
    const raw = parse("customerreviews-pl.xml", "pl").entries[0]?.mention?.raw as Record<string, unknown>;
    expect(raw["im:version"]).toBe("4.12.0");
    expect(raw["im:voteCount"]).toBe("4");
  });

  test("parseReviewFeed() takes the language from the pl and ru storefronts only", () => {
    expect(mentionsOf(parse("customerreviews-ru.xml", "ru")).map((m) => [m.lang, m.title])).toEqual([
      ["ru", "Не работает"],
      ["ru", "Так себе"],
    ]);
    expect(mentionsOf(parse("customerreviews-us.xml", "us")).map((m) => m.lang)).toEqual([undefined, undefined]);
  });

  test("parseReviewFeed() reads a storefront without reviews", () => {
    expect(parse("customerreviews-empty.xml", "pl")).toEqual({ entries: [], skipped: [], reviewCount: 0 });
  });

  test("parseReviewFeed() skips unreadable reviews with a reason and keeps the rest of the page", () => {
    const page = parse("odd-entries.xml", "us");
    expect(page.reviewCount).toBe(6);
    expect(page.skipped).toEqual([{ reason: "review without a numeric id" }, { reason: "review without a readable <updated> date", id: "10938000002" }]);
    expect(page.entries.map((e) => [e.id, e.reason ?? "ok"])).toEqual([
      ["10938000001", 'rating "0" is not 1–5'],
      ["10938000003", "review without a title or text"],
      ["10938000004", "ok"],
      ["10938000005", 'rating "five" is not 1–5'],
    ]);
    // Without author and link: the app's page on the storefront stands in, and HTML entities are decoded.
    expect(mentionsOf(page)).toEqual([
      {
        source: "app-store",
        sourceId: `${APP}:10938000004`,
        url: `https://apps.apple.com/us/app/id${APP}`,
        title: "Bare & plain",
        text: "No author, no link, „typographic” quotes\u00a0and an entity",
        publishedAt: "2024-05-14T11:36:00.000Z",
        rating: 3,
      },
    ]);
  });

  test("parseReviewFeed() does not expand entities a DOCTYPE declares", () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY boom "BOOM BOOM BOOM">]><feed><entry><id>1</id><updated>2024-05-14T10:00:00Z</updated><title>t</title><content type="text">a &boom; b</content><im:rating>2</im:rating></entry></feed>`;
    const [entry] = parseReviewFeed(xml, { appId: APP, country: "us" }).entries;
    expect(entry?.mention?.text).not.toContain("BOOM");
  });
});

describe("parseReviewFeed() refusals", () => {
  test.for([
    ["", "the document is empty"],
    ['{"feed": {"entry": []}}', "got JSON, expected the XML feed"],
    ["<feed><entry><id>1</id></feed>", "malformed XML at line 1"],
    ['<?xml version="1.0"?><rss version="2.0"><channel/></rss>', "not a reviews feed: the root element is <rss>, expected <feed>"],
  ])("parseReviewFeed() refuses %j with a clear message", ([body, message]) => {
    expect(parseError(() => parseReviewFeed(body, { appId: APP, country: "pl" })).message).toContain(message);
  });

  test("parseReviewFeed() refuses an HTML page", () => {
    expect(parseError(() => parse("not-a-feed.html", "pl")).message).toBe("got an HTML page, not the reviews feed");
  });
});

describe("parseReviewFeed() on arbitrary input", () => {
  const isOwnOutcome = (run: () => ReviewPage): boolean =>
    ownOutcome(
      run,
      (page) =>
        page.entries.length + page.skipped.length === page.reviewCount &&
        page.entries.every((e) => Number.isFinite(e.at) && (e.mention === null ? typeof e.reason === "string" : e.mention.rating !== undefined && e.mention.rating >= 1 && e.mention.rating <= 5)),
      isAppStoreParseError,
    );

  prop.prop([fc.string({ maxLength: 2_000 })])("parseReviewFeed() either parses or throws AppStoreParseError on any text", (text) =>
    isOwnOutcome(() => parseReviewFeed(text, { appId: APP, country: "pl" })),
  );

  prop.prop([fc.jsonValue({ maxDepth: 4 })])("parseReviewFeed() either parses or throws AppStoreParseError on any JSON", (value) =>
    isOwnOutcome(() => parseReviewFeed(JSON.stringify(value), { appId: APP, country: "pl" })),
  );

  const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const field = (name: string, value: fc.Arbitrary<string>) => fc.option(value.map((v) => `<${name}>${escape(v)}</${name}>`), { nil: "" });
  const entry = fc
    .tuple(
      field("id", fc.oneof(fc.nat().map(String), fc.string({ maxLength: 20 }))),
      field("updated", fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.string({ maxLength: 30 }))),
      field("title", fc.string({ maxLength: 60 })),
      field("im:rating", fc.oneof(fc.integer({ min: -1, max: 7 }).map(String), fc.string({ maxLength: 5 }))),
      field("im:voteSum", fc.oneof(fc.nat().map(String), fc.string({ maxLength: 5 }))),
      fc.option(fc.string({ maxLength: 200 }).map((t) => `<content type="text">${escape(t)}</content>`), { nil: "" }),
      fc.option(fc.string({ maxLength: 40 }).map((n) => `<author><name>${escape(n)}</name><uri>${escape(n)}</uri></author>`), { nil: "" }),
      fc.option(fc.string({ maxLength: 40 }).map((h) => `<link rel="related" href="${escape(h).replace(/"/g, "&quot;")}"/>`), { nil: "" }),
      fc.option(fc.constant("<im:name>App</im:name>"), { nil: "" }),
    )
    .map((parts) => `<entry>${parts.join("")}</entry>`);
  prop.prop([fc.array(entry, { maxLength: 8 })])("parseReviewFeed() either parses or throws AppStoreParseError on entries with arbitrary fields", (entries) =>
    isOwnOutcome(() => parseReviewFeed(`<?xml version="1.0" encoding="utf-8"?><feed xmlns:im="http://itunes.apple.com/rss" xmlns="http://www.w3.org/2005/Atom">${entries.join("")}</feed>`, { appId: APP, country: "ru" })),
  );
});
