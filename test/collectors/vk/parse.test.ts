import { fc, test as prop } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import { cleanVkText, isVkParseError, parseSearchResponse, type VkReply } from "../../../collectors/vk/parse";
import { payload } from "../../support/recorded-http";
import { ownOutcome, page, visible } from "../parsed";
import { thrown } from "../rejection";

const reply = (file: string): string => payload(`vk/${file}`).toString("utf8");

const parseError = (fn: () => unknown) => thrown(fn, isVkParseError, "a VkParseError");

describe("parseSearchResponse() posts", () => {
  test("parseSearchResponse() reads a page of posts oldest first with authors, clean text and engagement", () => {
    const result = page(parseSearchResponse(reply("newsfeed-search-page1.json")));
    expect(result.mentions.map(visible)).toEqual([
      {
        source: "vk",
        sourceId: "-187654321_90233",
        url: "https://vk.com/wall-187654321_90233",
        author: { handle: "id302145987", name: "Ирина Соколова" },
        text: "Ирина спрашивает: у кого ещё Lumio не работает? У нас с утра «нет сети»",
        publishedAt: "2024-05-14T11:36:48.000Z",
        engagement: { likes: 48, shares: 1, replies: 31, views: 5120 },
      },
      {
        source: "vk",
        sourceId: "648120077_415",
        url: "https://vk.com/wall648120077_415",
        author: { handle: "kasia.nowak", name: "Katarzyna Nowak", followers: 87 },
        text: "Awaria Lumio w Warszawie – od rana brak internetu. Ktoś wie, kiedy naprawią?",
        publishedAt: "2024-05-14T11:41:05.000Z",
        engagement: { likes: 4, shares: 0, replies: 2, views: 212 },
      },
      {
        source: "vk",
        sourceId: "512338871_2291",
        url: "https://vk.com/wall512338871_2291",
        author: { handle: "a.petrov_msk", name: "Алексей Петров", followers: 318 },
        text: "Третий день без интернета, Lumio молчит. Поддержка не отвечает 😡",
        publishedAt: "2024-05-14T11:47:33.000Z",
        engagement: { likes: 12, shares: 3, replies: 5, views: 640 },
      },
      {
        source: "vk",
        sourceId: "-41203658_18244",
        url: "https://vk.com/wall-41203658_18244",
        author: { handle: "lumio_ru", name: "Lumio Россия", followers: 184213 },
        text: 'Друзья, сегодня с 09:00 до 11:30 в Москве наблюдались перебои связи. Приносим извинения!\nПодробности — в нашем канале "Lumio Новости".',
        publishedAt: "2024-05-14T11:52:10.000Z",
        engagement: { likes: 214, shares: 37, replies: 96, views: 18400 },
      },
    ]);
    expect(result).toMatchObject({ nextFrom: "4/-187654321_90233", oldestDate: 1715686608, newestDate: 1715687530, itemCount: 4, skipped: [] });
  });

  test("parseSearchResponse() keeps the VK post object as raw", () => {
    const result = page(parseSearchResponse(reply("newsfeed-search-page1.json")));
    expect(result.mentions[3]?.raw).toMatchObject({ id: 18244, owner_id: -41203658, post_type: "post", hash: "c2lN0aXz4fVjV2dHbQ" });
  });

  test("parseSearchResponse() reads a repost's shared text, a photo caption, and skips a post without any text", () => {
    const result = page(parseSearchResponse(reply("newsfeed-search-page2.json")));
    expect(result.mentions.map((m) => [m.sourceId, m.text, m.parentId, m.author?.name])).toEqual([
      ["648120078_96", "Dzięki Lumio za szybką naprawę & rekompensatę 👏", undefined, "Tomasz Wiśniewski"],
      ["-99887766_3310", "Nowy router Lumio Box 2 – pierwsze wrażenia 👍", undefined, "Technoblog PL"],
      ["731004552_77", "Lumio снижает тарифы с 1 июня!\nПодробности на сайте lumio.example.ru", "-41203658_18230", "Дмитрий Кузнецов"],
    ]);
    expect(result.skipped).toEqual([{ id: "845566123_12", reason: "post has no text, repost text or photo caption", date: 1715684924 }]);
    expect(result).toMatchObject({ nextFrom: undefined, oldestDate: 1715684547, itemCount: 4 });
  });

  test("parseSearchResponse() decodes entities in community names", () => {
    const result = page(
      parseSearchResponse(
        JSON.stringify({
          response: {
            items: [{ id: 5, owner_id: -187654321, from_id: -187654321, date: 1715686000, text: "Lumio?" }],
            groups: [{ id: 187654321, name: "Подслушано в Самаре &amp; области", screen_name: "podslushano_smr" }],
          },
        }),
      ),
    );
    expect(result.mentions[0]?.author).toEqual({ handle: "podslushano_smr", name: "Подслушано в Самаре & области" });
  });

  test("parseSearchResponse() names an author missing from profiles and groups by VK's own link form", () => {
    const result = page(
      parseSearchResponse(
        JSON.stringify({
          response: {
            items: [
              { id: 1, owner_id: 42, date: 1715686000, text: "Lumio" },
              { id: 2, owner_id: -77, from_id: -77, date: 1715686001, text: "Lumio" },
            ],
          },
        }),
      ),
    );
    expect(result.mentions.map((m) => m.author)).toEqual([{ handle: "id42" }, { handle: "club77" }]);
    expect(result.mentions.map((m) => m.engagement)).toEqual([undefined, undefined]);
  });

  test("parseSearchResponse() skips a malformed post with its reason and keeps the rest of the page", () => {
    const result = page(
      parseSearchResponse(
        JSON.stringify({
          response: {
            items: [
              "not a post",
              { id: "18244", owner_id: -41203658, date: 1715687530, text: "id as a string" },
              { id: 18245, owner_id: -41203658, text: "no date" },
              { id: 18246, owner_id: -41203658, date: 1715687600, text: "Lumio работает" },
            ],
            profiles: "not a list",
          },
        }),
      ),
    );
    expect(result.mentions.map((m) => m.sourceId)).toEqual(["-41203658_18246"]);
    expect(result.skipped).toEqual([
      { reason: "post is not an object" },
      { reason: "post without a numeric id and owner_id" },
      { reason: "post without a unix date", id: "-41203658_18245" },
    ]);
  });

  test("parseSearchResponse() reads an empty search", () => {
    expect(parseSearchResponse(reply("newsfeed-search-empty.json"))).toEqual({
      kind: "page",
      mentions: [],
      skipped: [],
      nextFrom: undefined,
      oldestDate: null,
      newestDate: null,
      itemCount: 0,
    });
  });
});

describe("parseSearchResponse() errors", () => {
  test.for([
    ["error-5-auth.json", 5, "User authorization failed: invalid access_token (4)."],
    ["error-6-too-many-requests.json", 6, "Too many requests per second"],
    ["error-9-flood-control.json", 9, "Flood control"],
    ["error-29-rate-limit.json", 29, "Rate limit reached"],
    ["error-100-invalid-parameter.json", 100, "One of the parameters specified was missing or invalid: start_time should be less than end_time"],
  ] as const)("parseSearchResponse() returns VK's error from %s", ([file, code, message]) => {
    expect(parseSearchResponse(reply(file))).toEqual({ kind: "error", code, message });
  });

  test.for([
    ["<html><body>502 Bad Gateway</body></html>", "the reply is not JSON: "],
    ["[1, 2]", "the reply is not a JSON object"],
    ['{"ok": true}', 'the reply has neither "response" nor "error"'],
    ['{"response": {"count": 0}}', '"response.items" is not an array'],
    ['{"error": "boom"}', '"error" is not an object'],
    ['{"error": {"error_msg": "no code"}}', '"error.error_code" is not a number'],
  ])("parseSearchResponse() refuses %s with a clear message", ([body, message]) => {
    expect(parseError(() => parseSearchResponse(body)).message).toContain(message);
  });
});

describe("cleanVkText()", () => {
  test.for([
    ["Привет,<br>мир<br/>и<BR />всё", "Привет,\nмир\nи\nвсё"],
    ["&quot;Lumio&quot; &amp; co &#8212; &#x41;&laquo;&raquo;", '"Lumio" & co — A«»'],
    ["[id123|Иван Петров], [club456|Lumio] и [public789|Техноблог]", "Иван Петров, Lumio и Техноблог"],
    ["[event12|Meetup] i [id1|]", "Meetup i "],
    ["[https://lumio.example.ru|сайт] не трогаем", "[https://lumio.example.ru|сайт] не трогаем"],
    ["&#91;id1|forged&#93;", "[id1|forged]"],
    ["  line\r\nbreak  ", "line\nbreak"],
  ])("cleanVkText() turns %j into %j", ([input, expected]) => {
    expect(cleanVkText(input)).toBe(expected.trim());
  });
});

describe("parseSearchResponse() on arbitrary input", () => {
  const isOwnOutcome = (run: () => VkReply): boolean =>
    ownOutcome(run, (r) => (r.kind === "error" ? Number.isInteger(r.code) : Array.isArray(r.mentions) && Array.isArray(r.skipped)), isVkParseError);

  prop.prop([fc.string({ maxLength: 2_000 })])("parseSearchResponse() either parses or throws VkParseError on any text", (text) =>
    isOwnOutcome(() => parseSearchResponse(text)),
  );

  prop.prop([fc.jsonValue({ maxDepth: 5 })])("parseSearchResponse() either parses or throws VkParseError on any JSON", (value) =>
    isOwnOutcome(() => parseSearchResponse(JSON.stringify(value))),
  );

  const anything = fc.jsonValue({ maxDepth: 3 });
  const post = fc.record(
    {
      id: fc.oneof(fc.integer(), anything),
      owner_id: fc.oneof(fc.integer(), anything),
      from_id: fc.oneof(fc.integer(), anything),
      date: fc.oneof(fc.integer({ min: -10, max: 2_000_000_000 }), anything),
      text: fc.oneof(fc.string({ maxLength: 300 }), anything),
      likes: anything,
      views: fc.oneof(fc.record({ count: fc.oneof(fc.integer(), anything) }), anything),
      copy_history: anything,
      attachments: fc.oneof(fc.array(fc.record({ type: fc.constant("photo"), photo: fc.record({ text: anything }) })), anything),
    },
    { requiredKeys: [] },
  );
  const people = fc.array(fc.record({ id: fc.oneof(fc.integer(), anything), first_name: anything, name: anything, followers_count: anything }, { requiredKeys: [] }));
  prop.prop([fc.array(fc.oneof(post, anything), { maxLength: 10 }), people, people, fc.oneof(fc.string(), anything)])(
    "parseSearchResponse() either parses or throws VkParseError on posts with arbitrary fields",
    (items, profiles, groups, nextFrom) =>
      isOwnOutcome(() => parseSearchResponse(JSON.stringify({ response: { items, profiles, groups, next_from: nextFrom } }))),
  );
});
