import { z } from "zod";
import { sourceListSchema } from "../../collectors/registry";
import { addressListSchema, privateNetworkAllowanceSchema } from "../../collectors/private-address";
import { SUPPORTED_LANGS } from "../stages/language/languages";
import { brandFields, checkBrandQuery } from "../stages/match-brands";
import { ackLinkTtlSchema, channelListSchema, contactName } from "../alerts/channels-config";
import { playbookOverridesSchema } from "../playbooks/playbook-schema";
import { problemsConfigSchema } from "../stages/problems/problems-config";
import { brandSpikeSchema, seriesLimitsSchema, spikeSettingsFields } from "../spikes/spike-config";
import { reportsConfigSchema } from "../reports/report-config";
import { priorityBrandFields, prioritySettingsSchema } from "../stages/rank-priority";

/**
 * The one typed configuration. The file holds everything but secrets; secrets
 * live only in the environment (see SECRET_ENV in load.ts) and are refused in
 * the file by the strict objects below (an unknown key is an error, so a
 * misspelt option never silently falls back to its default).
 */

const DEMO_BRAND = { name: "Lumio", terms: ["Lumio", "Люмио"] };

const storeSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("embedded"),
    dataDir: z.string().min(1).default("./data").describe("Where chDB keeps its data; one directory per process."),
    database: z.string().regex(/^[a-z_][a-z0-9_]*$/i, "a plain identifier").default("earshot").describe("ClickHouse database Earshot creates and uses."),
  }),
  z.strictObject({
    kind: z.literal("server"),
    url: z.url({ protocol: /^https?$/ }).describe("ClickHouse HTTP(S) endpoint; password from EARSHOT_STORE_PASSWORD."),
    username: z.string().default("default").describe("ClickHouse user."),
    database: z.string().regex(/^[a-z_][a-z0-9_]*$/i, "a plain identifier").default("earshot").describe("ClickHouse database Earshot creates and uses."),
  }),
]);

/** A watched brand: how to find its mentions (stages/brand-query) and, optionally, its own spike sensitivity. */
const escalationStepSchema = z.strictObject({
  contact: z.string().min(1).describe("The `name` of an `alerts.channels` entry."),
  afterMinutes: z.number().int().min(0).max(10_080).describe("Paged when the incident is still unacknowledged this long after its first notice (0: with it)."),
});

/** A watched brand: how to find its mentions (stages/brand-query), its own spike sensitivity and its escalation path. */
const brandSchema = z
  .strictObject({
    ...brandFields,
    ...priorityBrandFields,
    spikes: brandSpikeSchema.optional(),
    escalation: z
      .array(escalationStepSchema)
      .default([])
      .describe("Emergency contacts paged in turn while the brand's incident stays unacknowledged; a contact named here gets this brand's incidents only through the path."),
  })
  .superRefine(checkBrandQuery);

export const configSchema = z.strictObject({
  store: storeSchema.default({ kind: "embedded", dataDir: "./data", database: "earshot" }),
  dashboard: z
    .strictObject({
      host: z.string().min(1).default("127.0.0.1").describe("Address the dashboard listens on."),
      // env values arrive as strings, hence coerce
      port: z.coerce.number().int().min(0).max(65535).default(8787).describe("Dashboard port (0: any free port)."),
      secureCookies: z.boolean().default(false).describe("Set the session cookie's Secure flag (serve behind HTTPS)."),
      trustedProxies: addressListSchema
        .default([])
        .describe("Reverse proxies in front of the dashboard (addresses or ranges; comma-separated in the environment): their X-Forwarded-For names the client for the sign-in limit."),
    })
    .prefault({}),
  // prefault: the default goes through the brand schema too and gets its defaults
  brands: z.array(brandSchema).min(1).prefault([DEMO_BRAND]),
  // prefault: the default goes through the schema too, so the demo gets its option defaults
  sources: sourceListSchema.refine((list) => list.length > 0, "at least one source").prefault([{ kind: "demo" }]),
  pipeline: z
    .strictObject({
      maxTextChars: z.number().int().min(100).max(100_000).default(5_000).describe("Longer texts are clipped (and the clip recorded as a warning)."),
      writer: z
        .strictObject({
          flushMs: z.number().int().min(10).max(60_000).default(1_000).describe("Longest wait before a batch is written."),
          maxRows: z.number().int().min(1).max(100_000).default(5_000).describe("Largest batch written at once."),
        })
        .prefault({}).describe("Writes go out when either limit is reached: langfuse's size-or-interval batching."),
    })
    .prefault({}),
  language: z
    .strictObject({
      languages: z
        .array(z.enum(SUPPORTED_LANGS))
        .min(1)
        .default([...SUPPORTED_LANGS])
        .describe("Languages detection may answer; text in any other is `und`. pl, ru, uk and en are scored for sentiment."),
    })
    .prefault({}),
  spikes: z
    .strictObject({
      ...spikeSettingsFields,
      keepFiringMinutes: z.number().int().min(1).max(1_440).default(15).describe("An incident resolves after this many minutes without a spike (keeps a noisy series from flapping)."),
      latenessMs: z.number().int().min(0).max(3_600_000).default(60_000).describe("How long a minute stays open for late mentions before it is judged."),
      warmStartDays: z
        .number()
        .int()
        .min(0)
        .max(28)
        .default(7)
        .describe("At start a brand's detectors resume from their saved state and replay the stored minutes since; without a usable one they replay this many days of stored minutes. Either way a restart keeps their baselines and open surges (0: start cold, save nothing)."),
      series: seriesLimitsSchema,
    })
    .prefault({}),
  alerts: z
    .strictObject({
      lang: z.enum(["en", "pl", "ru"]).default("en").describe("Language of notice texts."),
      timeZone: z
        .string()
        .refine(isTimeZone, "an IANA time zone such as Europe/Warsaw")
        .default(() => Intl.DateTimeFormat().resolvedOptions().timeZone).describe("Time zone of the times in notice texts (IANA name); the machine's own by default."),
      webhook: z
        .strictObject({
          url: z.url({ protocol: /^https?$/ }).describe("Receives a signed JSON POST per incident change (secret: EARSHOT_WEBHOOK_SECRET)."),
        })
        .optional(),
      dashboardUrl: z.url({ protocol: /^https?$/ }).optional().describe("Link in notices back to the dashboard, e.g. https://earshot.example.com"),
      channels: channelListSchema,
      ackLinkTtlMinutes: ackLinkTtlSchema,
      repeatMinutes: z.number().int().min(0).max(1_440).default(30).describe("Repeat a firing notice this often until someone acknowledges it (0: never)."),
    })
    .prefault({}),
  playbooks: playbookOverridesSchema,
  problems: problemsConfigSchema.describe("Changes to the problem-type term lists: per type and language, `term` adds, `~term` adds a topic, `-term` removes a shipped one."),
  priority: prioritySettingsSchema.prefault({}),
  reports: reportsConfigSchema,
  http: z
    .strictObject({
      allowPrivateNetworks: privateNetworkAllowanceSchema
        .default(false)
        .describe("Let collectors and notifiers reach non-public addresses: a list of ranges (\"10.20.0.0/16\", \"192.168.1.5\"; comma-separated in the environment), or true for all (default false: public addresses only, the SSRF guard)."),
      timeoutMs: z.number().int().min(100).max(300_000).default(15_000).describe("Per-request timeout of collectors and notifiers."),
      maxBytes: z.number().int().min(1_024).max(512 * 1024 * 1024).default(10 * 1024 * 1024).describe("Largest response body read."),
    })
    .prefault({}),
  log: z
    .strictObject({ level: z.enum(["debug", "info", "warn", "error", "silent"]).default("info").describe("Log level (JSON lines on stdout).") })
    .prefault({}),
}).superRefine((config, ctx) => {
  // An escalation step must name a configured contact, once per path.
  const contacts = new Set(config.alerts.channels.map((c, n) => contactName(c, n)));
  config.brands.forEach((brand, b) => {
    const seen = new Set<string>();
    brand.escalation.forEach((step, i) => {
      const path = ["brands", b, "escalation", i, "contact"];
      if (!contacts.has(step.contact))
        ctx.addIssue({ code: "custom", path, message: `no alerts.channels entry is named "${step.contact}" (names: ${[...contacts].join(", ") || "none"})` });
      if (seen.has(step.contact)) ctx.addIssue({ code: "custom", path, message: `"${step.contact}" is already a step of this path` });
      seen.add(step.contact);
    });
  });
});

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
export type BrandConfig = z.infer<typeof brandSchema>;
export type StoreConfig = z.infer<typeof storeSchema>;

/** Secrets: only ever from the environment. */
export interface Secrets {
  adminUser: string;
  /** Null when unset: start-up then makes a one-off password and prints it. */
  adminPassword: string | null;
  sessionSecret: string | null;
  webhookSecret: string | null;
  storePassword: string | null;
  /** Key that pushing tools sign POST /ingest/<source> with; null keeps the route off. */
  ingestSecret: string | null;
  /** Key (32+ characters) signing one-click acknowledge links in notices; null: no such links. */
  ackLinkSecret: string | null;
  /** EARSHOT_SLACK_SIGNING_SECRET: verifies Acknowledge presses Slack posts to /slack/actions. */
  slackSigningSecret: string | null;
  /** EARSHOT_PAGERDUTY_WEBHOOK_SECRET: verifies PagerDuty's v3 webhooks posted to /pagerduty/webhook. */
  pagerDutyWebhookSecret: string | null;
  /** EARSHOT_OPSGENIE_WEBHOOK_TOKEN: the header Opsgenie's webhook integration sends to /opsgenie/webhook. */
  opsgenieWebhookToken: string | null;
  /** Every EARSHOT_* variable, for the credentials sources declare (e.g. EARSHOT_REDDIT_CLIENT_SECRET). */
  sourceCredentials: Readonly<Record<string, string>>;
}
