import { fc, test as prop } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import { isTelegramParseError, parseChannelPage, type ChannelPage } from "../../../collectors/telegram/parse";
import { payload } from "../../support/recorded-http";
import { ownOutcome, visible } from "../parsed";
import { thrown } from "../rejection";

const page = (file: string): string => payload(`telegram/${file}`).toString("utf8");

const parseError = (fn: () => unknown) => thrown(fn, isTelegramParseError, "a TelegramParseError");

/** A preview page around the given message markup, as t.me frames it. */
const framed = (messages: string) => `<!DOCTYPE html><html><body class="tgme_webpreview">
  <div class="tgme_channel_info"><div class="tgme_channel_info_header_title"><span dir="auto">Lumio</span></div>
  <div class="tgme_channel_info_header_username"><a href="https://t.me/lumio">@lumio</a></div></div>
  <section class="tgme_channel_history">${messages}</section></body></html>`;

describe("parseChannelPage() a Russian channel", () => {
  const ru = parseChannelPage(page("lumio_ru.html"));

  test("parseChannelPage() reads the channel header: title, username and subscribers", () => {
    expect(ru.channel).toEqual({ title: "Lumio | Новости", username: "lumio_ru", subscribers: 48_700 });
  });

  test("parseChannelPage() reads text messages oldest first, with line breaks, emoji and link text", () => {
    expect(ru.messages.map((m) => m.id)).toEqual([1201, 1204, 1205, 1207, 1208, 1210]);
    expect(visible(ru.messages[3]!.mention)).toEqual({
      source: "telegram",
      sourceId: "lumio_ru/1207",
      url: "https://t.me/lumio_ru/1207",
      author: { handle: "lumio_ru", name: "Lumio | Новости", followers: 48_700 },
      text: "⚠️ Сбой в Москве\n\nС 09:00 наблюдаются перебои связи у абонентов «Lumio». Инженеры уже работают.\nСледите за обновлениями: status.lumio.example.ru",
      publishedAt: "2024-05-14T09:12:31.000Z",
      engagement: { views: 37_200 },
    });
    expect(ru.messages.map((m) => m.mention.text)).toContain("Связь восстановлена полностью. Компенсация — 3 дня бесплатного интернета & +10 ГБ. #lumio");
  });

  test("parseChannelPage() keeps a photo's caption and skips a photo without one", () => {
    expect(ru.messages[1]?.mention).toMatchObject({ sourceId: "lumio_ru/1204", text: "Так выглядит наш новый роутер Lumio Box 2 📦\nВ продаже с 1 июня." });
    expect(ru.skipped).toEqual([{ id: 1202, reason: "media without a caption" }]);
    expect(ru.ids).toEqual([1201, 1202, 1204, 1205, 1207, 1208, 1210]);
  });

  test("parseChannelPage() records a forward's origin and a reply's parent", () => {
    const forward = ru.messages.find((m) => m.id === 1205)?.mention;
    expect(forward).toMatchObject({ text: "Обзор: Lumio Box 2 — быстрый, но шумный. Полный текст по ссылке.", author: { handle: "lumio_ru", name: "Lumio | Новости" } });
    expect(forward?.raw).toMatchObject({ forwardedFrom: { name: "Техно Обзор", url: "https://t.me/tech_obzor/8812" } });
    const reply = ru.messages.find((m) => m.id === 1208)?.mention;
    // The quoted text of the message replied to is not part of the reply's own text.
    expect(reply).toMatchObject({ parentId: "lumio_ru/1207", text: "Обновление: восстановлено 80% сети. Приносим извинения 🙏" });
  });

  test("parseChannelPage() keeps the message's markup, time, views and signature as raw", () => {
    expect(ru.messages[3]?.mention.raw).toEqual({
      post: "lumio_ru/1207",
      textHtml: expect.stringContaining("<b>Сбой в Москве</b><br><br>С 09:00") as unknown,
      datetime: "2024-05-14T09:12:31+00:00",
      views: "37.2K",
      signature: "Дежурная смена",
    });
  });

  test("parseChannelPage() reads custom emoji, blockquotes and escaped text on a later page", () => {
    const next = parseChannelPage(page("lumio_ru-next.html"));
    expect(next.messages.slice(-2).map((m) => [m.id, m.mention.text])).toEqual([
      [1211, "Отвечаем на частые вопросы о компенсации <3 дня> в нашем чате."],
      [1213, "🔥 Отзыв подписчика:\nLumio, спасибо за быстрый ремонт!\nНам очень приятно."],
    ]);
    expect(next.skipped).toEqual([{ id: 1212, reason: "media without a caption" }]);
  });
});

describe("parseChannelPage() a Polish channel", () => {
  const pl = parseChannelPage(page("lumio_pl.html"));

  test("parseChannelPage() reads Polish messages with their views and skips a photo and a poll", () => {
    expect(pl.channel).toEqual({ title: "Lumio Polska", username: "lumio_pl", subscribers: 3_200 });
    expect(pl.messages.map((m) => [m.mention.sourceId, m.mention.text, m.mention.engagement?.views])).toEqual([
      ["lumio_pl/414", "Awaria sieci w Warszawie 😔 Pracujemy nad usunięciem usterki.\nSzczegóły: status.lumio.example.pl", 1_800],
      ["lumio_pl/415", "Lumio obniża ceny światłowodu od czerwca – nawet o 20%. Czy to odpowiedź na falę skarg?", 950],
      ["lumio_pl/417", "Usterka usunięta ✅ Dziękujemy za cierpliwość!\nRekompensata: 3 dni internetu gratis & bez formalności.", 2_400],
    ]);
    expect(pl.skipped).toEqual([
      { id: 416, reason: "media without a caption" },
      { id: 418, reason: "message without text" },
    ]);
    expect(pl.messages[1]?.mention.raw).toMatchObject({ forwardedFrom: { name: "Technoblog PL", url: "https://t.me/technoblog_pl/2210" } });
  });
});

describe("parseChannelPage() edge cases", () => {
  test("parseChannelPage() reads an empty channel as a page without messages", () => {
    expect(parseChannelPage(framed(""))).toEqual({ channel: { title: "Lumio", username: "lumio" }, messages: [], skipped: [], ids: [] });
  });

  test("parseChannelPage() skips a message without a readable data-post and keeps the rest", () => {
    const result = parseChannelPage(
      framed(`
      <div class="tgme_widget_message" data-post="lumio/abc"><div class="tgme_widget_message_bubble"><div class="tgme_widget_message_text">bad id</div></div></div>
      <div class="tgme_widget_message"><div class="tgme_widget_message_bubble"><div class="tgme_widget_message_text">no id</div></div></div>
      <div class="tgme_widget_message" data-post="lumio/7"><div class="tgme_widget_message_bubble"><div class="tgme_widget_message_text">Lumio ok</div></div></div>`),
    );
    expect(result.messages.map((m) => visible(m.mention))).toEqual([
      { source: "telegram", sourceId: "lumio/7", url: "https://t.me/lumio/7", author: { handle: "lumio", name: "Lumio" }, text: "Lumio ok" },
    ]);
    expect(result.skipped).toEqual([{ reason: "message without a readable data-post" }, { reason: "message without a readable data-post" }]);
  });

  test("parseChannelPage() takes the message's own text, not a quoted one, whatever the nesting", () => {
    const result = parseChannelPage(
      framed(`<div class="tgme_widget_message" data-post="lumio/8"><div class="wrap">
        <a class="tgme_widget_message_reply" href="https://t.me/lumio/7"><div class="tgme_widget_message_text">quoted</div></a>
        <div class="tgme_widget_message_text">own words</div></div></div>`),
    );
    expect(result.messages[0]?.mention).toMatchObject({ text: "own words", parentId: "lumio/7" });
  });

  test("parseChannelPage() leaves out a date or view count it cannot read", () => {
    const result = parseChannelPage(
      framed(`<div class="tgme_widget_message" data-post="lumio/9"><div class="tgme_widget_message_bubble">
        <div class="tgme_widget_message_text">Lumio</div>
        <span class="tgme_widget_message_views">many</span><a class="tgme_widget_message_date"><time datetime="yesterday">?</time></a></div></div>`),
    );
    expect(visible(result.messages[0]!.mention)).toEqual({ source: "telegram", sourceId: "lumio/9", url: "https://t.me/lumio/9", author: { handle: "lumio", name: "Lumio" }, text: "Lumio" });
    expect(result.messages[0]?.mention.raw).toMatchObject({ datetime: "yesterday", views: "many" });
  });

  test("parseChannelPage() refuses a private channel's landing page, naming it", () => {
    expect(parseError(() => parseChannelPage(page("lumio_insiders-landing.html"))).message).toBe(
      'not a channel preview: Telegram shows the landing page of "Lumio Insiders" (the channel is private, does not exist, or has its preview turned off)',
    );
  });

  test.for([
    ["", "the page is empty"],
    ["<html><body><h1>502 Bad Gateway</h1></body></html>", "not a Telegram channel preview: the page has neither a channel header nor messages"],
    ['{"ok":true}', "not a Telegram channel preview"],
  ])("parseChannelPage() refuses %j", ([html, message]) => {
    expect(parseError(() => parseChannelPage(html)).message).toContain(message);
  });
});

describe("parseChannelPage() on arbitrary input", () => {
  const isOwnOutcome = (run: () => ChannelPage): boolean =>
    ownOutcome(run, (r) => Array.isArray(r.messages) && r.messages.every((m) => Number.isSafeInteger(m.id) && typeof m.mention.text === "string"), isTelegramParseError);

  prop.prop([fc.string({ maxLength: 2_000 })])("parseChannelPage() either parses or throws TelegramParseError on any text", (text) =>
    isOwnOutcome(() => parseChannelPage(text)),
  );

  prop.prop([fc.jsonValue({ maxDepth: 4 })])("parseChannelPage() either parses or throws TelegramParseError on any JSON text", (value) =>
    isOwnOutcome(() => parseChannelPage(JSON.stringify(value))),
  );

  prop.prop([fc.string({ maxLength: 40 }), fc.string({ maxLength: 500 }), fc.string({ maxLength: 30 }), fc.string({ maxLength: 40 })])(
    "parseChannelPage() either parses or throws TelegramParseError on arbitrary message parts",
    (post, text, views, datetime) =>
      isOwnOutcome(() =>
        parseChannelPage(
          framed(`<div class="tgme_widget_message" data-post="${post}"><div class="tgme_widget_message_bubble">
            <div class="tgme_widget_message_text">${text}</div><span class="tgme_widget_message_views">${views}</span>
            <a class="tgme_widget_message_date"><time datetime="${datetime}">t</time></a></div></div>`),
        ),
      ),
  );
});
