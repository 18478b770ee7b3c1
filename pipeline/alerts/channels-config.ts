import { z } from "zod";
import type { SafeHttp } from "../../collectors/http";
import { MIN_ACK_SECRET_LENGTH } from "./ack-link";
import { emailNotifier } from "./email";
import type { Notice, Notifier } from "./notifier";
import { opsgenieNotifier, OPSGENIE_API } from "./opsgenie";
import { pagerDutyNotifier } from "./pagerduty";
import { slackNotifier } from "./slack";
import { teamsNotifier } from "./teams";
import { telegramNotifier } from "./telegram";
import type { TelegramAckOptions } from "./telegram-acks";

/**
 * The configuration of notice channels: a list of contacts, each one channel
 * with its own language. Secrets are never in the file: each entry names the
 * environment variable that holds its secret (defaults below), so two Slack
 * contacts can use EARSHOT_SLACK_WEBHOOK_URL and EARSHOT_SLACK_WEBHOOK_URL_OPS.
 *
 * Meant for pipeline/config/schema.ts as `alerts.channels` (and
 * `alerts.ackLinkTtlMinutes`).
 */

const envName = (fallback: string) =>
  z.string().regex(/^EARSHOT_[A-Z0-9_]+$/, "an EARSHOT_… environment variable name").default(fallback);
const common = {
  name: z.string().min(1).optional().describe("A label for logs and the delivery record, e.g. \"on-call Warsaw\"."),
  lang: z.enum(["en", "pl", "ru"]).optional().describe("Language of this contact's notices; alerts.lang when unset."),
};
const httpsUrl = z.url({ protocol: /^https?$/ });

export const slackChannelSchema = z.strictObject({
  channel: z.literal("slack"),
  ...common,
  webhookUrlEnv: envName("EARSHOT_SLACK_WEBHOOK_URL").describe("Variable holding the incoming-webhook URL (the URL is the secret)."),
  acknowledgeInSlack: z
    .boolean()
    .default(false)
    .describe("The Acknowledge button works inside Slack: the app's Interactivity Request URL is <dashboard>/slack/actions, signed with EARSHOT_SLACK_SIGNING_SECRET. Off: it opens the signed acknowledge link."),
});
export const teamsChannelSchema = z.strictObject({
  channel: z.literal("teams"),
  ...common,
  webhookUrlEnv: envName("EARSHOT_TEAMS_WEBHOOK_URL").describe("Variable holding the Workflows or incoming-webhook URL (signed: a secret)."),
});
export const telegramChannelSchema = z.strictObject({
  channel: z.literal("telegram"),
  ...common,
  chatId: z.union([z.string().min(1), z.number().int()]).transform(String).describe("Chat, group or channel id (-100…) or @channelname."),
  tokenEnv: envName("EARSHOT_TELEGRAM_BOT_TOKEN").describe("Variable holding the bot token from BotFather."),
  baseUrl: httpsUrl.optional().describe("Bot API server; https://api.telegram.org by default."),
  acknowledgeInChat: z
    .boolean()
    .default(false)
    .describe("The Acknowledge button works inside Telegram: Earshot reads presses with getUpdates (the bot must have no webhook). Off: it opens the signed acknowledge link."),
});
export const emailChannelSchema = z.strictObject({
  channel: z.literal("email"),
  ...common,
  host: z.string().min(1).describe("SMTP relay host."),
  port: z.number().int().min(1).max(65535).optional().describe("587 by default, 465 with secure."),
  secure: z.boolean().default(false).describe("TLS from the start (port 465); otherwise STARTTLS when offered."),
  requireTLS: z.boolean().default(true).describe("Refuse to send without STARTTLS (turn off only for a relay on the same host)."),
  user: z.string().min(1).optional().describe("SMTP user; the password comes from passwordEnv."),
  passwordEnv: envName("EARSHOT_SMTP_PASSWORD").describe("Variable holding the SMTP password."),
  from: z.string().min(3).describe("Sender, e.g. \"Earshot <alerts@example.com>\"."),
  to: z.array(z.email()).min(1).describe("Recipients."),
});
export const pagerDutyChannelSchema = z.strictObject({
  channel: z.literal("pagerduty"),
  ...common,
  routingKeyEnv: envName("EARSHOT_PAGERDUTY_ROUTING_KEY").describe("Variable holding the Events API v2 integration (routing) key."),
  baseUrl: httpsUrl.optional().describe("Events API host; https://events.pagerduty.com by default."),
});
export const opsgenieChannelSchema = z.strictObject({
  channel: z.literal("opsgenie"),
  ...common,
  apiKeyEnv: envName("EARSHOT_OPSGENIE_API_KEY").describe("Variable holding the API integration key (GenieKey)."),
  region: z.enum(Object.keys(OPSGENIE_API) as ["us", "eu"]).default("us").describe("\"eu\" for accounts on api.eu.opsgenie.com."),
  baseUrl: httpsUrl.optional().describe("Overrides region."),
  responders: z
    .array(z.strictObject({ type: z.enum(["team", "user", "escalation", "schedule"]), name: z.string().min(1) }))
    .default([])
    .describe("Who Opsgenie notifies; the integration's team when empty."),
  tags: z.array(z.string().min(1)).default([]),
});

export const channelSchema = z.discriminatedUnion("channel", [
  slackChannelSchema,
  teamsChannelSchema,
  telegramChannelSchema,
  emailChannelSchema,
  pagerDutyChannelSchema,
  opsgenieChannelSchema,
]);
export const channelListSchema = z.array(channelSchema).default([]).describe("Contacts that receive incident notices, each in its own language.");
export type ChannelConfig = z.infer<typeof channelSchema>;

/** `alerts.ackLinkTtlMinutes`: how long a signed acknowledge link in a notice stays valid. */
export const ackLinkTtlSchema = z.number().int().min(5).max(7 * 24 * 60).default(24 * 60).describe("Minutes a one-click acknowledge link stays valid (secret: EARSHOT_ACK_LINK_SECRET).");

/** The secret acknowledge links are signed with. */
export const ACK_LINK_SECRET_ENV = "EARSHOT_ACK_LINK_SECRET";

/** A contact's name: its `name`, or "<channel>-<position from 1>". Escalation paths refer to it. */
export const contactName = (c: Pick<ChannelConfig, "channel" | "name">, n: number): string => c.name ?? `${c.channel}-${n + 1}`;

/** A configured notifier and the language its reader wants. */
export interface Contact {
  name: string;
  notifier: Notifier;
  /** Null: the global alerts.lang. */
  lang: Notice["lang"] | null;
}

/**
 * Builds the notifiers of the configured contacts. `env` holds the EARSHOT_*
 * variables (Secrets.sourceCredentials); a contact whose secret is missing or
 * malformed is left out and reported in `problems` (one line each, with its
 * path, as channelProblems() reports them). The HTTP channels use the shared
 * SafeHttp with its private-address guard.
 */
export function buildContacts(
  channels: readonly ChannelConfig[],
  env: Readonly<Record<string, string | undefined>>,
  http: SafeHttp,
): { contacts: Contact[]; problems: string[] } {
  const contacts: Contact[] = [];
  const problems: string[] = [];
  channels.forEach((c, n) => {
    const notifier = buildOne(c, readSecret(c, n, env, problems), http);
    if (notifier) contacts.push({ name: contactName(c, n), notifier, lang: c.lang ?? null });
  });
  problems.push(...ackSecretProblems(env));
  return { contacts, problems };
}

/**
 * What is missing or malformed in the environment for these contacts, without
 * building anything: for config loading, next to its other secret checks.
 */
export function channelProblems(channels: readonly ChannelConfig[], env: Readonly<Record<string, string | undefined>>): string[] {
  const problems: string[] = [];
  channels.forEach((c, n) => readSecret(c, n, env, problems));
  return [...problems, ...ackSecretProblems(env)];
}

/** The contact's secret; undefined when it needs none (an e-mail relay without a user); null when it is missing. */
function readSecret(c: ChannelConfig, n: number, env: Readonly<Record<string, string | undefined>>, problems: string[]): string | null | undefined {
  const at = `alerts.channels[${n}]`;
  const secret = (variable: string, what: string, isUrl = false): string | null => {
    const value = env[variable];
    if (value === undefined || value === "") {
      problems.push(`✖ ${c.channel} contact needs ${what} in ${variable}, which is not set\n  → at ${at}`);
      return null;
    }
    if (isUrl && (!/^https?:\/\//.test(value) || !URL.canParse(value))) {
      problems.push(`✖ ${variable} is not an http(s) URL\n  → at ${at}`);
      return null;
    }
    return value;
  };
  switch (c.channel) {
    case "slack":
      return secret(c.webhookUrlEnv, "the incoming-webhook URL", true);
    case "teams":
      return secret(c.webhookUrlEnv, "the webhook URL", true);
    case "telegram":
      return secret(c.tokenEnv, "the bot token");
    case "email":
      return c.user ? secret(c.passwordEnv, "the SMTP password") : undefined;
    case "pagerduty":
      return secret(c.routingKeyEnv, "the routing key");
    case "opsgenie":
      return secret(c.apiKeyEnv, "the API key");
  }
}

function buildOne(c: ChannelConfig, secret: string | null | undefined, http: SafeHttp): Notifier | null {
  if (secret === null) return null;
  switch (c.channel) {
    case "slack":
      return secret ? slackNotifier({ url: secret, acknowledgeInSlack: c.acknowledgeInSlack }, http) : null;
    case "teams":
      return secret ? teamsNotifier({ url: secret }, http) : null;
    case "telegram":
      return secret
        ? telegramNotifier({ token: secret, chatId: c.chatId, acknowledgeInChat: c.acknowledgeInChat, ...(c.baseUrl ? { baseUrl: c.baseUrl } : {}) }, http)
        : null;
    case "email":
      return emailNotifier({
        host: c.host,
        ...(c.port ? { port: c.port } : {}),
        secure: c.secure,
        requireTLS: c.requireTLS,
        ...(c.user ? { user: c.user, password: secret ?? "" } : {}),
        from: c.from,
        to: c.to,
      });
    case "pagerduty":
      return secret ? pagerDutyNotifier({ routingKey: secret, ...(c.baseUrl ? { baseUrl: c.baseUrl } : {}) }, http) : null;
    case "opsgenie":
      return secret
        ? opsgenieNotifier({ apiKey: secret, region: c.region, responders: c.responders, tags: c.tags, ...(c.baseUrl ? { baseUrl: c.baseUrl } : {}) }, http)
        : null;
  }
}

/**
 * What the Telegram acknowledgement readers need (telegram-acks.ts): one per
 * bot (token and server), with the chats whose presses count. Only contacts
 * with `acknowledgeInChat` and a token set; the answers are in the first such
 * contact's language.
 */
export function telegramAckSetups(
  channels: readonly ChannelConfig[],
  env: Readonly<Record<string, string | undefined>>,
  defaultLang: Notice["lang"],
): TelegramAckOptions[] {
  const byBot = new Map<string, TelegramAckOptions & { chatIds: string[] }>();
  for (const c of channels) {
    if (c.channel !== "telegram" || !c.acknowledgeInChat) continue;
    const token = env[c.tokenEnv];
    if (token === undefined || token === "") continue;
    const bot = `${c.baseUrl ?? ""}\u0000${token}`;
    const setup = byBot.get(bot) ?? { token, chatIds: [], lang: c.lang ?? defaultLang, ...(c.baseUrl ? { baseUrl: c.baseUrl } : {}) };
    if (!setup.chatIds.includes(c.chatId)) setup.chatIds.push(c.chatId);
    byBot.set(bot, setup);
  }
  return [...byBot.values()];
}

function ackSecretProblems(env: Readonly<Record<string, string | undefined>>): string[] {
  const ackSecret = env[ACK_LINK_SECRET_ENV];
  return ackSecret !== undefined && ackSecret !== "" && ackSecret.length < MIN_ACK_SECRET_LENGTH
    ? [`✖ ${ACK_LINK_SECRET_ENV} must have at least ${MIN_ACK_SECRET_LENGTH} characters\n  → at env.${ACK_LINK_SECRET_ENV}`]
    : [];
}
