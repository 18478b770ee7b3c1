import { afterAll, describe, expect, test } from "vitest";
import { createSafeHttp } from "../../../collectors/http";
import { buildContacts, channelListSchema, channelProblems, telegramAckSetups } from "../../../pipeline/alerts/channels-config";

const http = createSafeHttp();
afterAll(() => http.close());

const config = channelListSchema.parse([
  { channel: "slack", lang: "pl" },
  { channel: "teams", name: "PR room" },
  { channel: "telegram", chatId: -1001234567890, lang: "ru" },
  { channel: "email", host: "smtp.lumio.test", user: "alerts", from: "Earshot <alerts@lumio.test>", to: ["pr@lumio.test"] },
  { channel: "pagerduty" },
  { channel: "opsgenie", region: "eu" },
]);

const ENV = {
  EARSHOT_SLACK_WEBHOOK_URL: "https://hooks.slack.com/services/T1/B2/slacksecret42",
  EARSHOT_TEAMS_WEBHOOK_URL: "https://prod-01.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=teamssecret42",
  EARSHOT_TELEGRAM_BOT_TOKEN: "123:telegramsecret42",
  EARSHOT_SMTP_PASSWORD: "smtpsecret42",
  EARSHOT_PAGERDUTY_ROUTING_KEY: "pagerdutysecret42",
  EARSHOT_OPSGENIE_API_KEY: "opsgeniesecret42",
};

describe("channelListSchema", () => {
  test("channelListSchema fills the default secret variables and settings", () => {
    expect(config.map((c) => c.channel)).toEqual(["slack", "teams", "telegram", "email", "pagerduty", "opsgenie"]);
    expect(config[0]).toEqual({ channel: "slack", lang: "pl", webhookUrlEnv: "EARSHOT_SLACK_WEBHOOK_URL", acknowledgeInSlack: false });
    expect(config[2]).toMatchObject({ chatId: "-1001234567890", tokenEnv: "EARSHOT_TELEGRAM_BOT_TOKEN", acknowledgeInChat: false });
    expect(config[3]).toMatchObject({ secure: false, requireTLS: true, passwordEnv: "EARSHOT_SMTP_PASSWORD" });
    expect(config[5]).toMatchObject({ region: "eu", apiKeyEnv: "EARSHOT_OPSGENIE_API_KEY", responders: [], tags: [] });
  });

  test("channelListSchema refuses secrets written in the file and unknown channels", () => {
    expect(channelListSchema.safeParse([{ channel: "slack", url: "https://hooks.slack.com/services/x" }]).success).toBe(false);
    expect(channelListSchema.safeParse([{ channel: "telegram", chatId: "1", token: "123:abc" }]).success).toBe(false);
    expect(channelListSchema.safeParse([{ channel: "pager" }]).success).toBe(false);
    expect(channelListSchema.safeParse([{ channel: "slack", webhookUrlEnv: "HOME" }]).success).toBe(false);
  });
});

describe("telegramAckSetups()", () => {
  test("telegramAckSetups() makes one reader per bot for the contacts that acknowledge in chat, with their chats", () => {
    const channels = channelListSchema.parse([
      { channel: "telegram", chatId: "-1001", acknowledgeInChat: true, lang: "ru" },
      { channel: "telegram", chatId: "@pr_room", acknowledgeInChat: true },
      { channel: "telegram", chatId: "-1002" }, // links only
      { channel: "telegram", chatId: "-1003", acknowledgeInChat: true, tokenEnv: "EARSHOT_TELEGRAM_BOT_TOKEN_OPS" }, // no token set
      { channel: "slack" },
    ]);
    expect(telegramAckSetups(channels, ENV, "pl")).toEqual([{ token: ENV.EARSHOT_TELEGRAM_BOT_TOKEN, chatIds: ["-1001", "@pr_room"], lang: "ru" }]);
  });
});

describe("buildContacts()", () => {
  test("buildContacts() makes one notifier per contact, in its language, with no secret in any target", () => {
    const { contacts, problems } = buildContacts(config, ENV, http);
    expect(problems).toEqual([]);
    expect(contacts.map((c) => [c.name, c.notifier.channel, c.lang])).toEqual([
      ["slack-1", "slack", "pl"],
      ["PR room", "teams", null],
      ["telegram-3", "telegram", "ru"],
      ["email-4", "email", null],
      ["pagerduty-5", "pagerduty", null],
      ["opsgenie-6", "opsgenie", null],
    ]);
    expect(contacts.map((c) => c.notifier.target)).toEqual([
      "https://hooks.slack.com/services/…",
      "https://prod-01.westeurope.logic.azure.com/workflows/…",
      "https://api.telegram.org/bot…/sendMessage#-1001234567890",
      "smtp://smtp.lumio.test:587 → pr@lumio.test",
      "https://events.pagerduty.com/v2/enqueue",
      "https://api.eu.opsgenie.com/v2/alerts",
    ]);
    expect(contacts.map((c) => c.notifier.target).join(" ")).not.toMatch(/secret42/);
  });

  test("buildContacts() leaves out contacts whose secret is missing and says which variable to set", () => {
    const { contacts, problems } = buildContacts(config, { EARSHOT_SLACK_WEBHOOK_URL: "not a url", EARSHOT_ACK_LINK_SECRET: "short" }, http);
    expect(contacts).toEqual([]);
    expect(problems).toEqual([
      "✖ EARSHOT_SLACK_WEBHOOK_URL is not an http(s) URL\n  → at alerts.channels[0]",
      "✖ teams contact needs the webhook URL in EARSHOT_TEAMS_WEBHOOK_URL, which is not set\n  → at alerts.channels[1]",
      "✖ telegram contact needs the bot token in EARSHOT_TELEGRAM_BOT_TOKEN, which is not set\n  → at alerts.channels[2]",
      "✖ email contact needs the SMTP password in EARSHOT_SMTP_PASSWORD, which is not set\n  → at alerts.channels[3]",
      "✖ pagerduty contact needs the routing key in EARSHOT_PAGERDUTY_ROUTING_KEY, which is not set\n  → at alerts.channels[4]",
      "✖ opsgenie contact needs the API key in EARSHOT_OPSGENIE_API_KEY, which is not set\n  → at alerts.channels[5]",
      "✖ EARSHOT_ACK_LINK_SECRET must have at least 32 characters\n  → at env.EARSHOT_ACK_LINK_SECRET",
    ]);
  });

  test("channelProblems() reports the same problems without building notifiers", () => {
    const env = { EARSHOT_SLACK_WEBHOOK_URL: "not a url", EARSHOT_ACK_LINK_SECRET: "short" };
    expect(channelProblems(config, env)).toEqual(buildContacts(config, env, http).problems);
    expect(channelProblems(config, ENV)).toEqual([]);
  });

  test("buildContacts() reads a contact's secret from the variable it names", () => {
    const list = channelListSchema.parse([{ channel: "slack", webhookUrlEnv: "EARSHOT_SLACK_WEBHOOK_URL_OPS" }]);
    const { contacts } = buildContacts(list, { EARSHOT_SLACK_WEBHOOK_URL_OPS: "https://hooks.slack.com/services/T9/B9/ops" }, http);
    expect(contacts).toHaveLength(1);
  });

  test("buildContacts() needs no password for an e-mail relay without a user", () => {
    const list = channelListSchema.parse([{ channel: "email", host: "localhost", port: 25, requireTLS: false, from: "a@b.test", to: ["c@d.test"] }]);
    expect(buildContacts(list, {}, http)).toMatchObject({ problems: [], contacts: [{ notifier: { channel: "email" } }] });
  });
});
