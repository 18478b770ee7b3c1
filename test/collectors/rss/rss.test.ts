import { describe, expect } from "vitest";
import { rss } from "../../../collectors/rss/rss";
import type { Cursor } from "../../../collectors/source";
import { test } from "../../support/recorded-http";
import { trackedPollContexts } from "../poll-context";
import { sourceError } from "../rejection";

const ctx = trackedPollContexts();

const POLISH = { file: "rss/polish-news.iso-8859-2.xml", contentType: "application/rss+xml" };
const POLISH_NEXT = { file: "rss/polish-news-next.iso-8859-2.xml", contentType: "application/rss+xml" };

describe("rss.poll()", () => {
  test("poll() returns every item oldest first on the first poll, with a small cursor", async ({ recorded }) => {
    const server = await recorded.serve({ "/kraj.xml": { ...POLISH, etag: '"kraj-1"', lastModified: "Tue, 14 May 2024 07:15:00 GMT" } });
    const page = await rss.poll({ url: server.url("/kraj.xml") }, null, ctx());
    expect(page.mentions.map((m) => m.title)).toEqual([
      "Test routera Lumio Box 2: szybki, ale głośny",
      'Klienci skarżą się na infolinię Lumio. "Czekałem godzinę"',
      "Lumio obniża ceny abonamentów & wprowadza ofertę „Światłowód Max”",
      "Awaria sieci Lumio: tysiące klientów bez internetu",
    ]);
    expect(page.cursor).toMatchObject({
      url: server.url("/kraj.xml"),
      etag: '"kraj-1"',
      lastModified: "Tue, 14 May 2024 07:15:00 GMT",
      newest: "2024-05-14T07:12:00.000Z",
    });
    expect(JSON.parse(String(page.cursor?.["seen"]))).toHaveLength(1);
    expect(JSON.stringify(page.cursor).length).toBeLessThan(400);
  });

  test("poll() sends the cursor's ETag and returns nothing on 304", async ({ recorded }) => {
    const server = await recorded.serve({ "/kraj.xml": { ...POLISH, etag: '"kraj-1"' } });
    const first = await rss.poll({ url: server.url("/kraj.xml") }, null, ctx());
    const second = await rss.poll({ url: server.url("/kraj.xml") }, first.cursor, ctx());
    expect(second.mentions).toEqual([]);
    expect(second.cursor).toEqual(first.cursor);
    expect(server.requests.map((r) => [r.headers["if-none-match"], r.status])).toEqual([
      [undefined, 200],
      ['"kraj-1"', 304],
    ]);
  });

  test("poll() returns nothing new when an unchanged feed comes back without validators", async ({ recorded }) => {
    const server = await recorded.serve({ "/kraj.xml": POLISH });
    const first = await rss.poll({ url: server.url("/kraj.xml") }, null, ctx());
    const second = await rss.poll({ url: server.url("/kraj.xml") }, first.cursor, ctx());
    expect(first.mentions).toHaveLength(4);
    expect(second.mentions).toEqual([]);
    expect(server.requests.map((r) => r.status)).toEqual([200, 200]);
  });

  test("poll() returns new items, including a new one at the cursor's own timestamp", async ({ recorded }) => {
    const server = await recorded.serve({ "/kraj.xml": [POLISH, POLISH_NEXT] });
    const first = await rss.poll({ url: server.url("/kraj.xml") }, null, ctx());
    const second = await rss.poll({ url: server.url("/kraj.xml") }, first.cursor, ctx());
    expect(second.mentions.map((m) => [m.title, m.publishedAt])).toEqual([
      ["Rzecznik Lumio: przepraszamy wszystkich klientów", "2024-05-14T07:12:00.000Z"],
      ["Lumio: usterka usunięta, sieć działa normalnie", "2024-05-14T09:30:00.000Z"],
    ]);
    expect(second.cursor?.["newest"]).toBe("2024-05-14T09:30:00.000Z");
  });

  test("poll() ignores a cursor that belongs to another feed URL", async ({ recorded }) => {
    const server = await recorded.serve({ "/kraj.xml": POLISH });
    const foreign: Cursor = { url: "https://other.example.com/feed.xml", etag: '"x"', lastModified: null, newest: "2030-01-01T00:00:00.000Z", seen: "[]", undated: "[]" };
    const page = await rss.poll({ url: server.url("/kraj.xml") }, foreign, ctx());
    expect(page.mentions).toHaveLength(4);
    expect(server.requests[0]?.headers["if-none-match"]).toBeUndefined();
  });

  test("poll() clamps future dates to the clock so they cannot hide later items", async ({ recorded }) => {
    const server = await recorded.serve({ "/kraj.xml": POLISH });
    const url = server.url("/kraj.xml");
    // At 06:00Z two items (06:30Z, 07:12Z) still lie in the future.
    const early = await rss.poll({ url }, null, ctx({ now: "2024-05-14T06:00:00Z" }));
    expect(early.mentions).toHaveLength(4);
    expect(early.cursor?.["newest"]).toBe("2024-05-14T06:00:00.000Z");
    const again = await rss.poll({ url }, early.cursor, ctx({ now: "2024-05-14T06:00:00Z" }));
    expect(again.mentions).toEqual([]);
    // Once their time has come they are handed out once more (the store dedupes by id), and nothing is lost.
    const later = await rss.poll({ url }, again.cursor, ctx({ now: "2024-05-14T08:00:00Z" }));
    expect(later.mentions.map((m) => m.publishedAt)).toEqual(["2024-05-14T06:30:00.000Z", "2024-05-14T07:12:00.000Z"]);
    expect((await rss.poll({ url }, later.cursor, ctx({ now: "2024-05-14T08:00:00Z" }))).mentions).toEqual([]);
  });

  test("poll() remembers undated items so they are handed out once", async ({ recorded }) => {
    const server = await recorded.serve({ "/feed.json": { file: "rss/json-feed.json", contentType: "application/feed+json" } });
    const first = await rss.poll({ url: server.url("/feed.json") }, null, ctx());
    expect(first.mentions.map((m) => m.sourceId)).toEqual(["20240513", "incident-2024-05-14-0712", "note-without-date"]);
    const second = await rss.poll({ url: server.url("/feed.json") }, first.cursor, ctx());
    expect(second.mentions).toEqual([]);
  });

  test("poll() reads a windows-1251 feed named in the Content-Type header", async ({ recorded }) => {
    const server = await recorded.serve({
      "/rss": { file: "rss/russian-news.windows-1251.xml", contentType: "application/rss+xml; charset=windows-1251" },
    });
    const page = await rss.poll({ url: server.url("/rss") }, null, ctx());
    expect(page.mentions.map((m) => m.title)).toEqual([
      "Обзор тарифов: кто дешевле — «Люмио» или конкуренты",
      "Сбой в сети «Люмио»: абоненты остались без связи",
      "«Люмио» ответила на жалобы клиентов",
    ]);
  });

  test("poll() records the configured language over the feed's own", async ({ recorded }) => {
    const server = await recorded.serve({ "/alerts": "rss/google-alerts.xml" });
    const page = await rss.poll({ url: server.url("/alerts"), lang: "pl" }, null, ctx());
    expect(page.mentions.map((m) => m.lang)).toEqual(["pl", "pl", "pl"]);
  });

  test("poll() turns a malformed feed into a SourceError that is not retryable", async ({ recorded }) => {
    const server = await recorded.serve({ "/broken.xml": "rss/malformed.xml" });
    const err = await sourceError(rss.poll({ url: server.url("/broken.xml") }, null, ctx()));
    expect(err.source).toBe("rss");
    expect(err.retryable).toBe(false);
    expect(err.message).toBe(
      `[earshot] [rss] cannot read the feed at ${server.url("/broken.xml")}: malformed XML at line 9, column 3: Expected closing tag 'item' (opened in line 6, col 5) instead of closing tag 'channel'.`,
    );
  });

  test.for([
    [503, true],
    [429, true],
    [404, false],
    [410, false],
  ] as const)("poll() turns HTTP %i into a SourceError with retryable %s", async ([status, retryable], { recorded }) => {
    const server = await recorded.serve({ "/feed.xml": { status } });
    const err = await sourceError(rss.poll({ url: server.url("/feed.xml") }, null, ctx()));
    expect(err).toMatchObject({ source: "rss", retryable, message: `[earshot] [rss] HTTP ${status} from ${server.url("/feed.xml")}` });
  });

  test("poll() refuses a feed on a private address unless the guard allows it", async ({ recorded }) => {
    const server = await recorded.serve({ "/kraj.xml": POLISH });
    const err = await sourceError(rss.poll({ url: server.url("/kraj.xml") }, null, ctx({ httpOptions: { allowPrivateNetworks: false } })));
    expect(err.retryable).toBe(false);
    expect(err.message).toContain("127.0.0.1 is loopback");
    expect(server.requests).toHaveLength(0);
  });
});

describe("rss.options", () => {
  test("options accept an http(s) feed URL and an optional language", () => {
    expect(rss.options.parse({ url: "https://wiadomosci.example.pl/rss/kraj.xml", lang: "pl" })).toEqual({
      url: "https://wiadomosci.example.pl/rss/kraj.xml",
      lang: "pl",
    });
  });

  test("options refuse other schemes and unknown keys", () => {
    expect(rss.options.safeParse({ url: "file:///etc/passwd" }).success).toBe(false);
    expect(rss.options.safeParse({ url: "https://example.com/feed", urll: "typo" }).success).toBe(false);
    expect(rss.options.safeParse({}).success).toBe(false);
  });
});
