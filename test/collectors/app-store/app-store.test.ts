import { describe, expect } from "vitest";
import { appStore, appStoreOptions } from "../../../collectors/app-store/app-store";
import type { Cursor } from "../../../collectors/source";
import { payload, test, type RecordedResponse } from "../../support/recorded-http";
import { trackedPollContexts } from "../poll-context";
import { sourceError } from "../rejection";

const ctx = trackedPollContexts();

const APP = "1488311937";
const path = (country: string, page = 1, app = APP) => `/${country}/rss/customerreviews/page=${page}/id=${app}/sortby=mostrecent/xml`;
const XML = "text/xml; charset=UTF-8";
const file = (name: string, extra: Partial<RecordedResponse> = {}): RecordedResponse => ({ file: `app-store/${name}`, contentType: XML, ...extra });
const options = (baseUrl: string, extra: Record<string, unknown> = {}) => appStoreOptions.parse({ appId: APP, baseUrl, ...extra });
const stateOf = (cursor: Cursor | null, country: string) => JSON.parse(String(cursor?.[`country:${country}`])) as { newest: number | null; seen: string[]; etag: string | null };

/** A feed page with reviews at the given minutes past 04:00 Pacific (11:00Z), newest first, made from a recorded review. */
function feedPage(reviews: readonly { id: number; minute: number }[]): RecordedResponse {
  const recorded = payload("app-store/customerreviews-pl.xml").toString("utf8");
  const head = recorded.slice(0, recorded.indexOf("\t<entry>"));
  const entries = recorded.split("\t<entry>").slice(1);
  const template = `\t<entry>${entries[1]}`.replace("</feed>\n", "");
  const body = [...reviews]
    .sort((a, b) => b.minute - a.minute)
    .map((r) => {
      const time = new Date(Date.parse("2024-05-14T11:00:00Z") + r.minute * 60_000).toISOString().replace(".000Z", "Z");
      return template.replace(/<id>\d+<\/id>/, `<id>${r.id}</id>`).replace(/<updated>[^<]+<\/updated>/, `<updated>${time}</updated>`);
    })
    .join("");
  return { body: `${head}${body}</feed>\n`, contentType: XML };
}
/** Reviews with ids from `first`, one a minute from `fromMinute` upwards. */
const run = (first: number, count: number, fromMinute: number) => Array.from({ length: count }, (_, i) => ({ id: first + i, minute: fromMinute + i }));
const idsOf = (mentions: readonly { sourceId: string }[]) => mentions.map((m) => Number(m.sourceId.split(":")[1]));

describe("appStore.poll()", () => {
  test("poll() reads page 1 of each storefront on the first poll and returns the reviews oldest first", async ({ recorded }) => {
    const server = await recorded.serve({ [path("pl")]: file("customerreviews-pl.xml"), [path("ru")]: file("customerreviews-ru.xml"), [path("us")]: file("customerreviews-us.xml") });
    const page = await appStore.poll(options(server.baseUrl), null, ctx());
    expect(server.requests.map((r) => r.path)).toEqual([path("pl"), path("ru"), path("us")]);
    expect(page.mentions.map((m) => [m.sourceId, m.publishedAt, m.rating, m.lang ?? null])).toEqual([
      [`${APP}:10921003318`, "2024-05-13T01:20:33.000Z", 5, null],
      [`${APP}:10935120874`, "2024-05-14T05:05:00.000Z", 4, "pl"],
      [`${APP}:10937900215`, "2024-05-14T10:10:45.000Z", 5, "pl"],
      [`${APP}:10938122190`, "2024-05-14T11:12:11.000Z", 3, "ru"],
      [`${APP}:10938311007`, "2024-05-14T11:31:02.000Z", 2, "pl"],
      [`${APP}:10938390456`, "2024-05-14T11:45:00.000Z", 2, null],
      [`${APP}:10938475612`, "2024-05-14T11:52:18.000Z", 1, "pl"],
      [`${APP}:10938500341`, "2024-05-14T11:58:40.000Z", 1, "ru"],
    ]);
    expect(page.cursor?.["appId"]).toBe(APP);
    expect(stateOf(page.cursor, "pl")).toMatchObject({ newest: Date.parse("2024-05-14T11:52:18Z"), etag: null });
    expect(stateOf(page.cursor, "pl").seen).toHaveLength(1);
  });

  test("poll() asks for the XML feed with a descriptive User-Agent and no credentials", async ({ recorded }) => {
    const server = await recorded.serve({ [path("pl")]: file("customerreviews-empty.xml") });
    await appStore.poll(options(server.baseUrl, { countries: ["pl"] }), null, ctx());
    const [request] = server.requests;
    expect(request?.headers["accept"]).toMatch(/^application\/atom\+xml/);
    expect(request?.headers["user-agent"]).toMatch(/^Earshot\//);
    expect(request?.headers["authorization"]).toBeUndefined();
  });

  test("poll() with the cursor returns only the new reviews, and then nothing", async ({ recorded }) => {
    const server = await recorded.serve({ [path("pl")]: [file("customerreviews-pl.xml"), file("customerreviews-pl-next.xml")] });
    const opts = options(server.baseUrl, { countries: ["pl"] });
    const first = await appStore.poll(opts, null, ctx());
    const second = await appStore.poll(opts, first.cursor, ctx({ now: "2024-05-14T12:05:00Z" }));
    expect(second.mentions.map((m) => [m.sourceId, m.title])).toEqual([
      [`${APP}:10939055120`, "Dalej źle"],
      [`${APP}:10939102233`, "Już działa"],
    ]);
    const third = await appStore.poll(opts, second.cursor, ctx({ now: "2024-05-14T12:05:00Z" }));
    expect(third.mentions).toEqual([]);
    expect(third.cursor).toEqual(second.cursor);
    expect(server.requests).toHaveLength(3);
  });

  test("poll() reads page after page down to the last review collected", async ({ recorded }) => {
    // 60 reviews since the last one collected (id 1, minute 0): a full page 1 and ten more on page 2.
    const server = await recorded.serve({ [path("pl")]: feedPage(run(2, 50, 11)), [path("pl", 2)]: feedPage([...run(52, 10, 1), ...run(1, 40, -40)]) });
    const cursor: Cursor = { appId: APP, "country:pl": JSON.stringify({ newest: Date.parse("2024-05-14T11:00:00Z"), seen: [], etag: null, lastModified: null }) };
    const page = await appStore.poll(options(server.baseUrl, { countries: ["pl"] }), cursor, ctx());
    expect(server.requests.map((r) => r.path)).toEqual([path("pl"), path("pl", 2)]);
    expect(idsOf(page.mentions)).toEqual([...run(52, 10, 1), ...run(2, 50, 11)].map((r) => r.id));
    expect(stateOf(page.cursor, "pl").newest).toBe(Date.parse("2024-05-14T12:00:00Z"));
  });

  test("poll() reads only page 1 on the first poll, however full", async ({ recorded }) => {
    const server = await recorded.serve({ [path("pl")]: feedPage(run(1, 50, 0)) });
    const page = await appStore.poll(options(server.baseUrl, { countries: ["pl"] }), null, ctx());
    expect(page.mentions).toHaveLength(50);
    expect(server.requests).toHaveLength(1);
  });

  test("poll() stopped by maxPages keeps its place and hands out only the rest on the next poll", async ({ recorded }) => {
    const floor = JSON.stringify({ newest: Date.parse("2024-05-14T10:00:00Z"), seen: [], etag: null, lastModified: null });
    // The floor is minute -60 (10:00Z): reviews 21…200 (minutes -60 … 119) are new, 1…20 older.
    const server = await recorded.serve({
      [path("pl")]: feedPage(run(151, 50, 70)),
      [path("pl", 2)]: feedPage(run(101, 50, 20)),
      [path("pl", 3)]: feedPage(run(51, 50, -30)),
      [path("pl", 4)]: feedPage(run(1, 50, -80)),
    });
    const opts = options(server.baseUrl, { countries: ["pl"], maxPages: 2 });
    const c = ctx();
    const first = await appStore.poll(opts, { appId: APP, "country:pl": floor }, c);
    expect(first.mentions).toHaveLength(100);
    expect(stateOf(first.cursor, "pl")).toMatchObject({ newest: Date.parse("2024-05-14T10:00:00Z"), etag: null });
    expect(c.log.lines.some((l) => l.level === "warn" && l.msg?.startsWith("more new reviews than maxPages"))).toBe(true);

    const second = await appStore.poll(options(server.baseUrl, { countries: ["pl"], maxPages: 4 }), first.cursor, ctx());
    expect(server.requests.slice(2).map((r) => r.path)).toEqual([path("pl"), path("pl", 2), path("pl", 3), path("pl", 4)]);
    expect(idsOf(second.mentions)).toEqual([...run(1, 50, -80).filter((r) => r.minute >= -60), ...run(51, 50, -30)].map((r) => r.id));
    expect(stateOf(second.cursor, "pl").newest).toBe(Date.parse("2024-05-14T11:00:00Z") + 119 * 60_000);
    expect(stateOf(second.cursor, "pl").seen).toHaveLength(1);
  });

  test("poll() says so when the whole feed is newer than the last review collected", async ({ recorded }) => {
    const routes = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [path("pl", i + 1), feedPage(run(1000 - 50 * (i + 1), 50, 500 - 50 * (i + 1)))]));
    const server = await recorded.serve(routes);
    const cursor: Cursor = { appId: APP, "country:pl": JSON.stringify({ newest: Date.parse("2024-05-13T00:00:00Z"), seen: [], etag: null, lastModified: null }) };
    const c = ctx();
    const page = await appStore.poll(options(server.baseUrl, { countries: ["pl"] }), cursor, c);
    expect(page.mentions).toHaveLength(500);
    expect(server.requests).toHaveLength(10);
    expect(c.log.lines.some((l) => l.level === "warn" && l.msg?.startsWith("the feed's 500 reviews are all newer"))).toBe(true);
    expect(stateOf(page.cursor, "pl").newest).toBe(Date.parse("2024-05-14T11:00:00Z") + 499 * 60_000);
  });

  test("poll() sends page 1's ETag back and takes a 304 as nothing new", async ({ recorded }) => {
    const server = await recorded.serve({ [path("pl")]: file("customerreviews-pl.xml", { etag: '"f3a9-5c1"' }) });
    const opts = options(server.baseUrl, { countries: ["pl"] });
    const first = await appStore.poll(opts, null, ctx());
    expect(stateOf(first.cursor, "pl").etag).toBe('"f3a9-5c1"');
    const second = await appStore.poll(opts, first.cursor, ctx());
    expect(server.requests[1]?.headers["if-none-match"]).toBe('"f3a9-5c1"');
    expect(server.requests[1]?.status).toBe(304);
    expect(second.mentions).toEqual([]);
    expect(second.cursor).toEqual(first.cursor);
  });

  test("poll() ignores a cursor written for another app", async ({ recorded }) => {
    const server = await recorded.serve({ [path("pl")]: file("customerreviews-pl.xml") });
    const foreign: Cursor = { appId: "999", "country:pl": JSON.stringify({ newest: Date.parse("2030-01-01T00:00:00Z"), seen: [], etag: null, lastModified: null }) };
    const page = await appStore.poll(options(server.baseUrl, { countries: ["pl"] }), foreign, ctx());
    expect(page.mentions).toHaveLength(4);
    expect(page.cursor?.["appId"]).toBe(APP);
  });

  test("poll() logs a skipped review once, and one it cannot place each time", async ({ recorded }) => {
    const server = await recorded.serve({ [path("us")]: file("odd-entries.xml") });
    const opts = options(server.baseUrl, { countries: ["us"] });
    const c1 = ctx();
    const first = await appStore.poll(opts, null, c1);
    expect(first.mentions.map((m) => m.sourceId)).toEqual([`${APP}:10938000004`]);
    expect(c1.log.lines.filter((l) => l.msg === "review skipped").map((l) => l.obj)).toEqual([
      { country: "us", reviewId: undefined, reason: "review without a numeric id" },
      { country: "us", reviewId: "10938000002", reason: "review without a readable <updated> date" },
      { country: "us", reviewId: "10938000001", reason: 'rating "0" is not 1–5' },
      { country: "us", reviewId: "10938000003", reason: "review without a title or text" },
      { country: "us", reviewId: "10938000005", reason: 'rating "five" is not 1–5' },
    ]);
    const c2 = ctx();
    const second = await appStore.poll(opts, first.cursor, c2);
    expect(second.mentions).toEqual([]);
    expect(c2.log.lines.filter((l) => l.msg === "review skipped").map((l) => l.obj["reviewId"])).toEqual([undefined, "10938000002"]);
  });

  test.for([
    [503, true],
    [404, false],
    [403, false],
  ] as const)("poll() turns HTTP %i into a SourceError with retryable %s", async ([status, retryable], { recorded }) => {
    const server = await recorded.serve({ [path("pl")]: { status } });
    const err = await sourceError(appStore.poll(options(server.baseUrl, { countries: ["pl"] }), null, ctx()));
    expect(err).toMatchObject({ source: "app-store", retryable, message: `[earshot] [app-store] HTTP ${status} from ${server.url(path("pl"))}` });
  });

  test("poll() turns a page that is not the feed into a SourceError that is not retryable", async ({ recorded }) => {
    const server = await recorded.serve({ [path("pl")]: { file: "app-store/not-a-feed.html", contentType: "text/html; charset=utf-8" } });
    const err = await sourceError(appStore.poll(options(server.baseUrl, { countries: ["pl"] }), null, ctx()));
    expect(err).toMatchObject({ retryable: false, message: "[earshot] [app-store] cannot read the pl reviews feed, page 1: got an HTML page, not the reviews feed" });
  });

  test("poll() that is aborted fails with a retryable SourceError", async ({ recorded }) => {
    const server = await recorded.serve({ [path("pl")]: file("customerreviews-pl.xml") });
    const err = await sourceError(appStore.poll(options(server.baseUrl, { countries: ["pl"] }), null, { ...ctx(), signal: AbortSignal.abort() }));
    expect(err.retryable).toBe(true);
  });

  test("poll() reaches a base URL with a path prefix", async ({ recorded }) => {
    const server = await recorded.serve({ [`/apple${path("pl")}`]: file("customerreviews-pl.xml") });
    const page = await appStore.poll(options(`${server.baseUrl}/apple/`, { countries: ["pl"] }), null, ctx());
    expect(page.mentions).toHaveLength(4);
  });
});

describe("appStore.options", () => {
  test("options fill in the storefronts, the host and the pages", () => {
    expect(appStore.options.parse({ appId: APP })).toEqual({ appId: APP, countries: ["pl", "ru", "us"], baseUrl: "https://itunes.apple.com", maxPages: 10 });
  });

  test.for([1488311937, "1488311937", "id1488311937", "https://apps.apple.com/pl/app/moje-lumio/id1488311937", "https://apps.apple.com/us/app/id1488311937?see-all=reviews"])(
    "options read the app id from %j",
    (appId) => {
      expect(appStore.options.parse({ appId }).appId).toBe(APP);
    },
  );

  test("options lower-case storefront codes", () => {
    expect(appStore.options.parse({ appId: APP, countries: [" PL ", "Gb"] }).countries).toEqual(["pl", "gb"]);
  });

  test("options refuse bad ids, bad storefronts, unknown keys and out-of-range pages", () => {
    expect(appStore.options.safeParse({}).success).toBe(false);
    expect(appStore.options.safeParse({ appId: "lumio" }).success).toBe(false);
    expect(appStore.options.safeParse({ appId: APP, countries: [] }).success).toBe(false);
    expect(appStore.options.safeParse({ appId: APP, countries: ["pol"] }).success).toBe(false);
    expect(appStore.options.safeParse({ appId: APP, maxPages: 11 }).success).toBe(false);
    expect(appStore.options.safeParse({ appId: APP, sort: "mosthelpful" }).success).toBe(false);
  });

  test("appStore needs no credentials", () => {
    expect(appStore.credentials).toBeUndefined();
  });
});
