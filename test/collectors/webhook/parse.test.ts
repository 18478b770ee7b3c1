import { fc, test as prop } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import { ingestItems, MAX_ITEMS, parseIngestBody, SOURCE_KIND, SOURCE_NAME } from "../../../collectors/webhook/parse";
import { visible } from "../parsed";

const ticket = {
  id: 4812,
  subject: "Router keeps dropping",
  description: "Lumio router drops Wi-Fi every hour. Nie polecam.",
  created_at: "2024-05-14T09:12:00+02:00",
  url: "https://support.example.com/tickets/4812",
  requester: "ignored: not a known field",
  author: { name: "Anna Nowak", username: "@anna_n", followers_count: 1520 },
  language: "Polish",
  rating: "2/5",
};

describe("parseIngestBody()", () => {
  test("parseIngestBody() maps one pushed object with the file importer's field names", () => {
    const { mentions, problems } = parseIngestBody("zendesk", ticket);
    expect(problems).toEqual([]);
    expect(mentions.map(visible)).toEqual([
      {
        source: "webhook",
        sourceId: "zendesk:4812",
        url: "https://support.example.com/tickets/4812",
        author: { handle: "anna_n", name: "Anna Nowak", followers: 1520 },
        title: "Router keeps dropping",
        text: "Lumio router drops Wi-Fi every hour. Nie polecam.",
        publishedAt: "2024-05-14T07:12:00.000Z",
        lang: "pl",
        rating: 2,
      },
    ]);
    expect(mentions[0]!.raw).toEqual(ticket);
    expect(SOURCE_KIND).toBe("webhook");
  });

  test("parseIngestBody() takes an array and a { mentions: [...] } wrapper alike, in order", () => {
    const items = [
      { id: "a1", text: "Люмио опять без связи", lang: "ru" },
      { id: "a2", message: "Lumio działa świetnie", timestamp: 1715670000 },
    ];
    const fromArray = parseIngestBody("crm", items);
    const fromWrapper = parseIngestBody("crm", { mentions: items });
    expect(fromArray).toEqual(fromWrapper);
    expect(fromArray.indexes).toEqual([0, 1]);
    expect(fromArray.mentions.map(visible)).toEqual([
      { source: "webhook", sourceId: "crm:a1", text: "Люмио опять без связи", lang: "ru" },
      { source: "webhook", sourceId: "crm:a2", text: "Lumio działa świetnie", publishedAt: "2024-05-14T07:00:00.000Z" },
    ]);
  });

  test("parseIngestBody() prefixes sourceIds with the source path, so two tools with the same ids do not collide", () => {
    const record = { id: 1, text: "Lumio support answered fast" };
    const [fromDesk] = parseIngestBody("helpdesk", record).mentions;
    const [fromCrm] = parseIngestBody("crm", record).mentions;
    expect(fromDesk!.sourceId).toBe("helpdesk:1");
    expect(fromCrm!.sourceId).toBe("crm:1");
  });

  test("parseIngestBody() keeps a platform named in the record inside the id", () => {
    const [mention] = parseIngestBody("zapier", { source: "Twitter / X", id_str: "1790000000000000001", text: "Lumio!" }).mentions;
    expect(mention!.sourceId).toBe("zapier:twitter-x:1790000000000000001");
  });

  test("parseIngestBody() gives a record without an id a stable id from its content", () => {
    const record = { text: "Lumio is down again", date: "2024-05-14 09:12" };
    const first = parseIngestBody("zapier", record).mentions[0]!;
    const again = parseIngestBody("zapier", { ...record }).mentions[0]!;
    const other = parseIngestBody("zapier", { ...record, text: "Lumio is up again" }).mentions[0]!;
    expect(first.sourceId).toMatch(/^zapier:h:[0-9a-f]{24}$/);
    expect(again.sourceId).toBe(first.sourceId);
    expect(other.sourceId).not.toBe(first.sourceId);
  });

  test("parseIngestBody() reports bad records by index and still takes the good ones", () => {
    const { mentions, problems } = parseIngestBody("crm", [
      { id: 1, text: "Lumio is great" },
      "just a string",
      { id: 3, likes: 4 },
      null,
      { id: 5, text: "Lumio again", date: "yesterday-ish" },
      [{ id: 6, text: "nested array" }],
      { id: 7, body: "Lumio, last one" },
    ]);
    expect(mentions.map((m) => m.sourceId)).toEqual(["crm:1", "crm:7"]);
    expect(problems).toEqual([
      { index: 1, reason: 'a JSON string, expected a mention object, an array of them, or { "mentions": [...] }' },
      { index: 2, reason: "no text: expected a text, content, message, body, html or title field" },
      { index: 3, reason: 'a JSON null, expected a mention object, an array of them, or { "mentions": [...] }' },
      { index: 4, reason: 'unreadable date "yesterday-ish"' },
      { index: 5, reason: 'a JSON array, expected a mention object, an array of them, or { "mentions": [...] }' },
    ]);
  });

  test("parseIngestBody() answers a record the pipeline would only quarantine with its reason: no visible text, or an id too long", () => {
    const { mentions, problems } = parseIngestBody("crm", [
      { id: 1, text: "\u0000\u0001 \u200B\u202E\u00A0\uD800" },
      { id: "x".repeat(401), text: "Lumio" },
      { id: 3, text: "\u200B", title: "Lumio 😡" },
      { id: 4, text: "😡😡😡" },
    ]);
    expect(mentions.map((m) => [m.sourceId, m.text ?? m.title])).toEqual([
      ["crm:3", "Lumio 😡"],
      ["crm:4", "😡😡😡"],
    ]);
    expect(problems).toEqual([
      { index: 0, reason: "no readable text: the text holds only whitespace, control or invisible characters" },
      { index: 1, reason: "the id is longer than 400 characters (401)" },
    ]);
  });

  test("parseIngestBody() reports a body that is not an object as item 0", () => {
    expect(parseIngestBody("crm", 42)).toEqual({
      mentions: [],
      indexes: [],
      problems: [{ index: 0, reason: 'a JSON number, expected a mention object, an array of them, or { "mentions": [...] }' }],
    });
  });

  test("parseIngestBody() passes HTML and script in a text field through as text", () => {
    const text = `<script>alert("x")</script><img src=x onerror=alert(1)> Lumio &amp; co`;
    const [mention] = parseIngestBody("crm", { id: "x1", text }).mentions;
    expect(mention!.text).toBe(text);
    expect(mention!.html).toBeUndefined();
  });

  test("parseIngestBody() drops a javascript: link and keeps the mention", () => {
    const [mention] = parseIngestBody("crm", { id: "x2", text: "Lumio", url: "javascript:alert(1)" }).mentions;
    expect(mention!.url).toBeUndefined();
    expect(mention!.text).toBe("Lumio");
  });

  test("parseIngestBody() treats a __proto__ key as data", () => {
    const body = JSON.parse('{"id":"p1","text":"Lumio","__proto__":{"polluted":true}}') as unknown;
    const [mention] = parseIngestBody("crm", body).mentions;
    expect(mention!.sourceId).toBe("crm:p1");
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  test("parseIngestBody() refuses a source name outside the path pattern", () => {
    for (const name of ["", "Zendesk", "-crm", "a/b", "crm:1", "x".repeat(65)]) {
      expect(() => parseIngestBody(name, { text: "Lumio" })).toThrow(RangeError);
    }
    expect(SOURCE_NAME.test("x".repeat(64))).toBe(true);
  });

  prop.prop([fc.jsonValue({ maxDepth: 4 }), fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,63}$/)])(
    "parseIngestBody() never throws on arbitrary JSON and accounts for every record",
    (json, source) => {
      const { mentions, problems } = parseIngestBody(source, json);
      expect(mentions.length + problems.length).toBe(ingestItems(json).length);
      for (const m of mentions) {
        expect(m.source).toBe("webhook");
        expect(m.sourceId.startsWith(`${source}:`)).toBe(true);
        expect(m.text ?? m.html ?? m.title).toBeTypeOf("string");
      }
      for (const p of problems) expect(p.reason.length).toBeGreaterThan(0);
    },
  );

  prop.prop([fc.array(fc.dictionary(fc.constantFrom("id", "text", "message", "date", "author", "user", "likes", "lang", "url", "engagement", "rating", "source"), fc.jsonValue({ maxDepth: 2 })), { maxLength: 20 })])(
    "parseIngestBody() never throws on records with known field names holding any JSON",
    (records) => {
      const { mentions, problems } = parseIngestBody("crm", { mentions: records });
      expect(mentions.length + problems.length).toBe(records.length);
      expect(problems.map((p) => p.index)).toEqual([...new Set(problems.map((p) => p.index))].sort((a, b) => a - b));
    },
  );
});

describe("ingestItems()", () => {
  test("ingestItems() unwraps an array or a mentions array and wraps anything else", () => {
    expect(ingestItems([1, 2])).toEqual([1, 2]);
    expect(ingestItems({ mentions: [1] })).toEqual([1]);
    const single = { mentions: "not an array", text: "Lumio" };
    expect(ingestItems(single)).toEqual([single]);
    expect(ingestItems(null)).toEqual([null]);
    expect(MAX_ITEMS).toBe(1000);
  });
});
