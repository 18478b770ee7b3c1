import { fc, test as prop } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import { isGooglePlayParseError, parseReviewsReply } from "../../../collectors/google-play/parse";
import { payload } from "../../support/recorded-http";
import { page, visible } from "../parsed";
import { thrown } from "../rejection";

const APP = "com.lumio.app";
const reply = (file: string): string => payload(`google-play/${file}`).toString("utf8");

const parseError = (fn: () => unknown) => thrown(fn, isGooglePlayParseError, "a GooglePlayParseError");

/** A reply around `data`, the payload Google puts in a JSON string. */
const wrap = (data: unknown) => `)]}'\n\n${JSON.stringify([["wrb.fr", "UsvDTd", JSON.stringify(data), null, null, null, "generic"], ["di", 10]])}`;
const item = (over: Record<number, unknown> = {}) => {
  const base: unknown[] = ["gp:AOqpTOtest", ["Jan", [null, 2, null, [null, null, "https://play-lh.googleusercontent.com/a/x"]]], 3, null, "Tekst", [1715687920, 0], 0, null, null, null, "1.0"];
  for (const [k, v] of Object.entries(over)) base[Number(k)] = v;
  return base;
};

describe("parseReviewsReply() reviews", () => {
  test("parseReviewsReply() reads a page newest first with authors, ratings, likes and the continuation token", () => {
    const result = page(parseReviewsReply(reply("reviews-pl-page1.txt"), { appId: APP, lang: "pl" }));
    expect(result.nextToken).toMatch(/^CpEBCo4BKmgK/);
    expect(result.skipped).toEqual([]);
    expect(result.entries.map((e) => [e.id.slice(0, 20), new Date(e.at).toISOString(), e.reason ?? null])).toEqual([
      ["gp:AOqpTOHvB4cLumio0", "2024-05-14T11:58:40.412Z", null],
      ["gp:AOqpTOEkR7sLumio0", "2024-05-14T11:52:18.005Z", null],
      ["gp:AOqpTOFz9LumioRat", "2024-05-14T11:31:02.000Z", "review without text"],
      ["gp:AOqpTOGm2LumioOk0", "2024-05-14T10:10:45.999Z", null],
    ]);
    const [first, second, , fourth] = result.entries.map((e) => (e.mention === null ? null : visible(e.mention)));
    const id = "gp:AOqpTOHvB4cLumio0001plA7xQm2kNwZ8sT3rY5eJd1uFh6gKa9bPc0iVx4yWn";
    expect(first).toEqual({
      source: "google-play",
      sourceId: `${APP}:${id}`,
      url: `https://play.google.com/store/apps/details?id=${APP}&reviewId=${encodeURIComponent(id)}`,
      author: { name: "Kasia Wrona" },
      text: "Aplikacja Lumio znowu nie działa od rana 😡 nie polecam, zwrot pieniędzy!",
      publishedAt: "2024-05-14T11:58:40.412Z",
      lang: "pl",
      engagement: { likes: 14 },
      rating: 1,
    });
    // Line breaks are normalised; the developer's reply is not part of the text.
    expect(second).toMatchObject({ text: "Od aktualizacji\nciągle się wylogowuje.", rating: 2, engagement: { likes: 3 } });
    // Google's \u003c and \u0026 escapes come back as the characters.
    expect(fourth?.text).toBe("Świetna aplikacja, polecam <3 & działa szybko");
  });

  test("parseReviewsReply() keeps the developer's reply in raw only", () => {
    const result = page(parseReviewsReply(reply("reviews-pl-page1.txt"), { appId: APP, lang: "pl" }));
    const mention = result.entries[1]?.mention;
    expect(mention?.text).not.toContain("przepraszamy");
    expect((mention?.raw as unknown[])[7]).toEqual([null, "Dzień dobry, przepraszamy za kłopot. Prosimy o kontakt: pomoc@lumio.example", [1715687700, 0]]);
  });

  test("parseReviewsReply() skips a malformed item and keeps the rest of the last page", () => {
    const result = page(parseReviewsReply(reply("reviews-pl-page2.txt"), { appId: APP, lang: "pl" }));
    expect(result.nextToken).toBeUndefined();
    expect(result.skipped).toEqual([{ reason: "review without an id" }]);
    expect(result.entries.map((e) => e.mention?.text)).toEqual(["Średnio, czasem się zacina.", "Masakra, nie da się zalogować."]);
  });

  test("parseReviewsReply() reads the length-prefixed streaming form like the plain one", () => {
    const plain = page(parseReviewsReply(reply("reviews-ru.txt"), { appId: APP, lang: "ru" }));
    const chunked = page(parseReviewsReply(reply("reviews-ru-chunked.txt"), { appId: APP, lang: "ru" }));
    expect(chunked).toEqual(plain);
    expect(plain.entries.map((e) => [e.mention?.author?.name, e.mention?.rating, e.mention?.lang])).toEqual([
      ["Дмитрий", 1, "ru"],
      ["Ольга Петрова", 5, "ru"],
    ]);
  });

  test("parseReviewsReply() reads an app without reviews as an empty last page", () => {
    expect(parseReviewsReply(reply("reviews-empty.txt"), { appId: APP, lang: "pl" })).toEqual({ kind: "page", entries: [], skipped: [], nextToken: undefined });
    // A null payload without a status, as google-play-scraper reads it.
    const nullPayload = `)]}'\n\n${JSON.stringify([["wrb.fr", "UsvDTd", null, null, null, null, "generic"]])}`;
    expect(page(parseReviewsReply(nullPayload, { appId: APP, lang: "pl" })).entries).toEqual([]);
  });

  test("parseReviewsReply() skips reviews without a rating of 1–5 or a date, with the reason", () => {
    const result = page(
      parseReviewsReply(wrap([[item({ 0: "a", 2: 0 }), item({ 0: "b", 2: 4.5 }), item({ 0: "c", 5: "yesterday" }), item({ 0: "d", 5: [1e13, 0] }), item({ 0: "e", 4: null }), item({ 0: "f" })]]), { appId: APP, lang: "pl" }),
    );
    expect(result.entries.map((e) => [e.id, e.reason ?? null])).toEqual([
      ["a", "rating 0 is not 1–5"],
      ["b", "rating 4.5 is not 1–5"],
      ["e", "review without text"],
      ["f", null],
    ]);
    expect(result.skipped).toEqual([
      { id: "c", reason: "review without a readable date" },
      { id: "d", reason: "review without a readable date" },
    ]);
  });
});

describe("parseReviewsReply() errors and blocks", () => {
  test("parseReviewsReply() returns the rpc status of a failed call", () => {
    expect(parseReviewsReply(reply("reviews-not-found.txt"), { appId: APP, lang: "pl" })).toEqual({ kind: "rpc-error", rpcCode: 5, status: undefined });
    expect(parseReviewsReply(reply("bad-request.txt"), { appId: APP, lang: "pl" })).toEqual({ kind: "rpc-error", rpcCode: undefined, status: 400 });
  });

  test("parseReviewsReply() recognises Google's captcha page", () => {
    expect(parseReviewsReply(reply("captcha.html"), { appId: APP, lang: "pl" })).toEqual({ kind: "html", captcha: true });
    expect(parseReviewsReply("<!doctype html><html><body>Sign in</body></html>", { appId: APP, lang: "pl" })).toEqual({ kind: "html", captcha: false });
  });

  test("parseReviewsReply() throws a clear error for replies that are not batchexecute", () => {
    expect(parseError(() => parseReviewsReply("", { appId: APP, lang: "pl" })).message).toBe("the reply is empty");
    expect(parseError(() => parseReviewsReply('{"reviews":[]}', { appId: APP, lang: "pl" })).message).toMatch(/does not start with \)\]\}'/);
    expect(parseError(() => parseReviewsReply(")]}'\n\n[[\"wrb.fr\",\"UsvDTd\",\"[[[\"", { appId: APP, lang: "pl" })).message).toMatch(/not JSON/);
    expect(parseError(() => parseReviewsReply(`)]}'\n\n${JSON.stringify([["wrb.fr", "other", "[]"]])}`, { appId: APP, lang: "pl" })).message).toBe("the reply holds no UsvDTd answer");
    expect(parseError(() => parseReviewsReply(wrap({ reviews: [] }), { appId: APP, lang: "pl" })).message).toBe("the answer's payload is not an array");
    expect(parseError(() => parseReviewsReply(wrap(["x"]), { appId: APP, lang: "pl" })).message).toBe("the reviews (payload[0]) are not a list");
  });

  const jsonish = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: "small" }, fc.constant(null), fc.boolean(), fc.integer(), fc.double(), fc.string(), fc.array(tie("value"), { maxLength: 6 }), fc.dictionary(fc.string(), tie("value"), { maxKeys: 4 })),
  })).value;

  prop.prop([jsonish])("parseReviewsReply() never throws anything but its own error on arbitrary payloads", (data) => {
    for (const body of [wrap(data), `)]}'\n\n${JSON.stringify(data)}`, `)]}'\n\n${JSON.stringify([["wrb.fr", "UsvDTd", JSON.stringify([[data], data])]])}`]) {
      try {
        parseReviewsReply(body, { appId: APP, lang: "pl" });
      } catch (err) {
        if (!isGooglePlayParseError(err)) throw err;
      }
    }
  });

  prop.prop([fc.string()])("parseReviewsReply() never throws anything but its own error on arbitrary text", (text) => {
    for (const body of [text, `)]}'${text}`, `)]}'\n\n${text}`]) {
      try {
        parseReviewsReply(body, { appId: APP, lang: "pl" });
      } catch (err) {
        if (!isGooglePlayParseError(err)) throw err;
      }
    }
  });
});
