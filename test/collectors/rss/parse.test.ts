import { fc, test as prop } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import { decodeText } from "../../../collectors/decode-text";
import { isFeedParseError, parseFeed, toIsoDate, unwrapRedirect } from "../../../collectors/rss/parse";
import { payload } from "../../support/recorded-http";
import { ownOutcome, visible } from "../parsed";
import { thrown } from "../rejection";

/** A recorded feed as the HTTP client would hand it over: bytes decoded by their declared charset. */
const feed = (file: string, contentType = "application/xml") => decodeText(payload(`rss/${file}`), contentType).text;

const parseError = (fn: () => unknown) => thrown(fn, isFeedParseError, "a FeedParseError");

describe("parseFeed() RSS 2.0", () => {
  const FEED_URL = "https://wiadomosci.example.pl/rss/kraj.xml";

  test("parseFeed() reads a Polish ISO-8859-2 feed with entities, CDATA and both author forms", () => {
    const items = parseFeed(feed("polish-news.iso-8859-2.xml"), FEED_URL);
    expect(items.map(visible)).toEqual([
      {
        source: "rss",
        sourceId: "https://wiadomosci.example.pl/kraj/2024/05/14/awaria-sieci-lumio",
        url: "https://wiadomosci.example.pl/kraj/2024/05/14/awaria-sieci-lumio",
        author: { name: "Małgorzata Żółkiewska" },
        title: "Awaria sieci Lumio: tysiące klientów bez internetu",
        html: "<p>Od wczesnych godzin porannych użytkownicy z Warszawy, Łodzi i Gdańska zgłaszają brak połączenia. Rzecznik spółki przeprasza za utrudnienia i zapowiada rekompensaty.</p>",
        publishedAt: "2024-05-14T07:12:00.000Z",
        lang: "pl",
      },
      {
        source: "rss",
        sourceId: "https://wiadomosci.example.pl/gospodarka/2024/05/14/lumio-obniza-ceny",
        url: "https://wiadomosci.example.pl/gospodarka/2024/05/14/lumio-obniza-ceny",
        author: { name: "Paweł Wójcik" },
        title: "Lumio obniża ceny abonamentów & wprowadza ofertę „Światłowód Max”",
        html: "<p>Nowy cennik obowiązuje od czerwca. Klienci pytają, czy obniżka to odpowiedź na falę skarg.</p>",
        publishedAt: "2024-05-14T06:30:00.000Z",
        lang: "pl",
      },
      {
        source: "rss",
        sourceId: "wiadomosci-art-88213",
        url: "https://wiadomosci.example.pl/kraj/2024/05/14/infolinia-lumio",
        author: { name: "Jan Kowalski" },
        title: 'Klienci skarżą się na infolinię Lumio. "Czekałem godzinę"',
        html: "<p>Zgłoszenia na infolinii czekają nawet godzinę. Wśród skarg powtarza się słowo <em>masakra</em>.</p>",
        publishedAt: "2024-05-14T05:45:00.000Z",
        lang: "pl",
      },
      {
        source: "rss",
        sourceId: "https://wiadomosci.example.pl/technologie/2024/05/14/test-lumio-box-2",
        url: "https://wiadomosci.example.pl/technologie/2024/05/14/test-lumio-box-2",
        title: "Test routera Lumio Box 2: szybki, ale głośny",
        html: "<p>Polecam dla małych mieszkań; wentylator bywa uciążliwy.</p>",
        publishedAt: "2024-05-14T04:00:00.000Z",
        lang: "pl",
      },
    ]);
  });

  test("parseFeed() keeps numeric guids as strings and prefers content:encoded in a windows-1251 feed", () => {
    const items = parseFeed(feed("russian-news.windows-1251.xml"), "https://novosti.example.ru/rss");
    expect(items.map((m) => m.sourceId)).toEqual(["184467", "184470", "184401"]);
    expect(items[0]).toMatchObject({
      title: "Сбой в сети «Люмио»: абоненты остались без связи",
      author: { name: "Ольга Смирнова" },
      publishedAt: "2024-05-14T07:05:00.000Z",
      lang: "ru",
    });
    expect(items[0]?.html).toBe(
      "<p>Абоненты «Люмио» жалуются на сбой уже третий час. Ужасный сервис, пишут в соцсетях.</p><p>Компания обещает всё исправить к вечеру.</p>",
    );
    expect(items[1]).toMatchObject({ author: { name: "Ёжиков Пётр" }, publishedAt: "2024-05-14T08:20:00.000Z" });
  });

  test("parseFeed() keeps the parsed item as raw for audit", () => {
    const [first] = parseFeed(feed("russian-news.windows-1251.xml"), "https://novosti.example.ru/rss");
    expect(first?.raw).toMatchObject({ guid: { "#text": "184467", "@_isPermaLink": "false" } });
  });

  test("parseFeed() decodes HTML entities in titles", () => {
    const xml = `<rss version="2.0"><channel><item><guid>a1</guid><title>Caf&eacute;&nbsp;Lumio &ndash; &#8222;test&#8221; &amp;amp;</title></item></channel></rss>`;
    expect(parseFeed(xml, "https://example.com/feed")[0]?.title).toBe("Café\u00a0Lumio – „test” &amp;");
  });

  test("parseFeed() does not expand entities declared in a DOCTYPE", () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><rss version="2.0"><channel><item><guid>x</guid><title>&b;</title></item></channel></rss>`;
    expect(parseFeed(xml, "https://example.com/feed")[0]?.title).toBe("&b;");
  });

  test("parseFeed() keeps raw markup in a description in document order", () => {
    const xml = `<rss version="2.0"><channel><item><guid>a1</guid><description>before <b>bold</b> after &amp; more</description></item></channel></rss>`;
    expect(parseFeed(xml, "https://example.com/feed")[0]?.html).toBe("before <b>bold</b> after &amp; more");
  });

  test("parseFeed() repairs bare ampersands outside CDATA", () => {
    const xml = `<rss version="2.0"><channel><item><title>Q&A</title><link>https://example.com/?a=1&b=2</link><description><![CDATA[x && y]]></description></item></channel></rss>`;
    expect(parseFeed(xml, "https://example.com/feed")[0]).toMatchObject({ title: "Q&A", url: "https://example.com/?a=1&b=2", html: "x && y" });
  });

  test("parseFeed() gives an item without guid or link a stable hash id", () => {
    const xml = (title: string) =>
      `<rss version="2.0"><channel><item><title>${title}</title><pubDate>Tue, 14 May 2024 09:00:00 GMT</pubDate></item></channel></rss>`;
    const a = parseFeed(xml("Lumio down"), "https://example.com/feed")[0]?.sourceId;
    expect(a).toMatch(/^sha1:[0-9a-f]{20}$/);
    expect(parseFeed(xml("Lumio down"), "https://example.com/feed")[0]?.sourceId).toBe(a);
    expect(parseFeed(xml("Lumio up"), "https://example.com/feed")[0]?.sourceId).not.toBe(a);
  });

  test("parseFeed() returns nothing for a channel without items", () => {
    expect(parseFeed(`<rss version="2.0"><channel><title>Empty</title></channel></rss>`, "https://example.com/feed")).toEqual([]);
  });
});

describe("parseFeed() RSS 1.0 / RDF", () => {
  test("parseFeed() reads a KOI8-R RDF feed with dc:date and dc:creator", () => {
    const items = parseFeed(feed("russian-forum.koi8-r.xml"), "https://forum.example.ru/rss");
    expect(items.map(visible)).toEqual([
      {
        source: "rss",
        sourceId: "https://forum.example.ru/t/5521",
        url: "https://forum.example.ru/t/5521",
        author: { name: "ivan_p" },
        title: "Люмио опять без связи, кто ещё?",
        html: "Со вчерашнего вечера не работает ни интернет, ни ТВ. Поддержка не отвечает.",
        publishedAt: "2024-05-14T07:20:00.000Z",
        lang: "ru",
      },
      {
        source: "rss",
        sourceId: "https://forum.example.ru/t/5519",
        url: "https://forum.example.ru/t/5519",
        author: { name: "marina.k" },
        title: "Посоветуйте роутер для Люмио",
        html: "Нужен роутер с поддержкой IPv6, провайдер у меня Люмио.",
        publishedAt: "2024-05-13T18:02:00.000Z",
        lang: "ru",
      },
    ]);
  });
});

describe("parseFeed() Atom", () => {
  const FEED_URL = "https://broadband-watch.example.com/feed.atom";

  test("parseFeed() reads html, xhtml and text content, html titles and relative links", () => {
    const items = parseFeed(feed("atom.xml"), FEED_URL);
    expect(items.map(visible)).toEqual([
      {
        source: "rss",
        sourceId: "tag:broadband-watch.example.com,2024-05-14:/2024/05/lumio-outage-what-we-know",
        url: "https://broadband-watch.example.com/2024/05/lumio-outage-what-we-know",
        author: { name: "Sarah O'Neill" },
        title: "Lumio’s fibre outage: what we know so far",
        html: "<p>A damaged backbone cable near Łódź took down Lumio&rsquo;s network for most of the morning.</p><p>Customers called it &ldquo;a disaster&rdquo; &amp; demanded refunds.</p>",
        publishedAt: "2024-05-14T09:58:00.000Z",
        lang: "en",
      },
      {
        source: "rss",
        sourceId: "tag:broadband-watch.example.com,2024-05-13:/2024/05/lumio-box-2-review",
        url: "https://broadband-watch.example.com/2024/05/lumio-box-2-review",
        author: { name: "Broadband Watch desk" },
        title: "Review: Lumio Box 2 router & app",
        html: "<p>Fast Wi-Fi, a <strong>loud</strong> fan &amp; a decent app.</p>",
        publishedAt: "2024-05-13T14:30:00.000Z",
        lang: "en",
      },
      {
        source: "rss",
        sourceId: "https://broadband-watch.example.com/2024/05/weekly-roundup-19",
        url: "https://broadband-watch.example.com/2024/05/weekly-roundup-19",
        author: { name: "Broadband Watch desk" },
        title: "Weekly roundup: prices, outages and a new fibre plan",
        text: "Plain-text summary: Lumio cut prices; two regional outages.",
        publishedAt: "2024-05-12T08:00:00.000Z",
        lang: "en",
      },
    ]);
  });

  test("parseFeed() unwraps Google Alerts redirect links to the article", () => {
    const items = parseFeed(feed("google-alerts.xml"), "https://www.google.com/alerts/feeds/08374627463528912345/1234567890123456789");
    expect(items.map((m) => m.url)).toEqual([
      "https://www.example-news.com/tech/2024/05/14/lumio-outage-poland",
      "https://wiadomosci.example.pl/kraj/2024/05/14/awaria-lumio-skandal?utm_source=alerts",
      "https://novosti.example.ru/news/184467",
    ]);
    expect(items.map((m) => m.title)).toEqual([
      "Lumio outage: thousands of customers offline across Poland",
      'Awaria Lumio. Klienci: "to skandal"',
      "Абоненты Люмио жалуются на сбой",
    ]);
    expect(items[0]).toMatchObject({
      sourceId: "tag:google.com,2013:googlealerts/feed:12893746501928374650",
      html: "Customers of <b>Lumio</b>, the Polish broadband provider, reported losing their connection early on Tuesday&nbsp;...",
      publishedAt: "2024-05-14T09:25:41.000Z",
    });
    expect(items[0]?.author).toBeUndefined();
  });

  test("parseFeed() reads a Reddit search feed with /u/ authors and escaped script text kept escaped", () => {
    const items = parseFeed(feed("reddit.xml"), "https://www.reddit.com/search.rss?q=lumio&sort=new");
    expect(items.map((m) => [m.sourceId, m.author?.handle, m.publishedAt])).toEqual([
      ["t3_1crx7kq", "kasia_wro", "2024-05-14T09:48:22.000Z"],
      ["t3_1crv2ab", "fibre_nerd", "2024-05-14T08:12:05.000Z"],
      ["t3_1cru9zz", "moskvich_77", "2024-05-14T07:40:51.000Z"],
    ]);
    expect(items[0]).toMatchObject({
      title: "Czy u was też nie działa internet od Lumio?",
      url: "https://www.reddit.com/r/Polska/comments/1crx7kq/czy_u_was_te%C5%BC_nie_dzia%C5%82a_internet_od_lumio/",
      author: { name: "/u/kasia_wro", handle: "kasia_wro" },
    });
    expect(items[0]?.html).toContain("<p>Czy u was też nie działa internet od Lumio? Wrocław, od 7 rano zero sygnału, infolinia zajęta.</p>");
    expect(items[1]?.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(items[1]?.html).not.toContain("<script>");
  });
});

describe("parseFeed() JSON Feed", () => {
  test("parseFeed() reads JSON Feed 1.1 items, numeric ids, relative urls and per-item languages", () => {
    const items = parseFeed(feed("json-feed.json", "application/feed+json"), "https://status.lumio.example/feed.json");
    expect(items.map(visible)).toEqual([
      {
        source: "rss",
        sourceId: "incident-2024-05-14-0712",
        url: "https://status.lumio.example/incidents/2024-05-14-0712",
        author: { name: "Lumio NOC" },
        title: "Degraded connectivity in Mazowieckie and Łódzkie",
        html: "<p>We are investigating reports of lost connectivity. <strong>Update 09:40:</strong> a damaged backbone cable has been located.</p>",
        publishedAt: "2024-05-14T05:12:00.000Z",
        lang: "en",
      },
      {
        source: "rss",
        sourceId: "20240513",
        url: "https://status.lumio.example/maintenance/2024-05-13",
        author: { name: "Lumio Network Operations" },
        title: "Planned maintenance: Gdańsk",
        text: "Planned maintenance between 01:00 and 03:00. Short interruptions possible.",
        publishedAt: "2024-05-12T23:00:00.000Z",
        lang: "pl",
      },
      {
        source: "rss",
        sourceId: "note-without-date",
        author: { name: "Lumio Network Operations" },
        text: "Status page moved to a new address.",
        lang: "en",
      },
    ]);
  });
});

describe("parseFeed() bad input", () => {
  test("parseFeed() reports malformed XML with its line and column", () => {
    const err = parseError(() => parseFeed(feed("malformed.xml"), "https://broken.example.com/feed"));
    expect(err.message).toMatch(/^malformed XML at line 9, column \d+: .*'item'/);
    expect(err).toMatchObject({ line: 9 });
  });

  test.for([
    ["an HTML page", "<!DOCTYPE html><html><head><title>Lumio</title></head><body></body></html>", /HTML page, not a feed/],
    ["an empty document", "   ", /empty/],
    ["malformed JSON", "{ \"items\": [ }", /malformed JSON/],
    ["JSON that is not a feed", "{ \"data\": [] }", /not a JSON Feed/],
    ["XML that is not a feed", "<?xml version=\"1.0\"?><svg></svg>", /root element is <svg>/],
    ["RSS without a channel", "<rss version=\"2.0\"></rss>", /without a <channel>/],
  ])("parseFeed() refuses %s with a clear error", ([, text, message]) => {
    expect(parseError(() => parseFeed(text as string, "https://example.com/feed")).message).toMatch(message as RegExp);
  });

  prop.prop([fc.string({ maxLength: 2_000 })])("parseFeed() either parses or throws FeedParseError on any text", (text) =>
    ownOutcome(() => parseFeed(text, "https://example.com/feed"), (items) => Array.isArray(items), isFeedParseError),
  );

  prop.prop([fc.string({ maxLength: 500 }), fc.string({ maxLength: 500 })])(
    "parseFeed() either parses or throws FeedParseError on arbitrary item text",
    (title, body) => {
      const xml = `<rss version="2.0"><channel><item><title>${title}</title><description>${body}</description></item></channel></rss>`;
      return ownOutcome(() => parseFeed(xml, "https://example.com/feed"), (items) => items.length === 1, isFeedParseError);
    },
  );
});

describe("toIsoDate()", () => {
  test.for([
    ["Tue, 14 May 2024 09:12:00 +0200", "2024-05-14T07:12:00.000Z"],
    ["Tue, 14 May 2024 07:45:00 CEST", "2024-05-14T05:45:00.000Z"],
    ["Tue, 14 May 2024 11:20:00 MSK", "2024-05-14T08:20:00.000Z"],
    ["Tue, 14 May 2024 09:00:00 GMT", "2024-05-14T09:00:00.000Z"],
    ["2024-05-14T10:20:00+03:00", "2024-05-14T07:20:00.000Z"],
    ["wtorek, 14 maja", undefined],
    ["", undefined],
  ])("toIsoDate() reads %s", ([value, expected]) => {
    expect(toIsoDate(value)).toBe(expected);
  });
});

describe("unwrapRedirect()", () => {
  test("unwrapRedirect() leaves ordinary links and non-http targets alone", () => {
    expect(unwrapRedirect("https://example.com/a?url=https://b.example/")).toBe("https://example.com/a?url=https://b.example/");
    expect(unwrapRedirect("https://www.google.com/url?url=javascript:alert(1)")).toBe("https://www.google.com/url?url=javascript:alert(1)");
    expect(unwrapRedirect("https://www.google.pl/url?q=https://wiadomosci.example.pl/a&sa=U")).toBe("https://wiadomosci.example.pl/a");
  });
});
