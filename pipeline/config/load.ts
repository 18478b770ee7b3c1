import { ACK_LINK_SECRET_ENV, channelProblems } from "../alerts/channels-config";
import { isUtf8 } from "node:buffer";
import { readFileSync } from "node:fs";
import { decodeText } from "../../collectors/decode-text";
import { z } from "zod";
import { ConfigError } from "../errors";
import { configSchema, type Config, type Secrets } from "./schema";

/**
 * Environment variables that set a configuration path (they win over the
 * file). Listed, not derived, so the README table and this list are the same
 * thing to read.
 */
export const CONFIG_ENV: Record<string, string> = {
  EARSHOT_STORE_URL: "store.url",
  EARSHOT_DATA_DIR: "store.dataDir",
  EARSHOT_DASHBOARD_HOST: "dashboard.host",
  EARSHOT_DASHBOARD_PORT: "dashboard.port",
  EARSHOT_TRUSTED_PROXIES: "dashboard.trustedProxies",
  EARSHOT_WEBHOOK_URL: "alerts.webhook.url",
  EARSHOT_ALERTS_LANG: "alerts.lang",
  EARSHOT_ALLOW_PRIVATE_NETWORKS: "http.allowPrivateNetworks",
  EARSHOT_LOG_LEVEL: "log.level",
};

/** Secrets come only from here. */
export const SECRET_ENV = {
  adminUser: "EARSHOT_ADMIN_USER",
  adminPassword: "EARSHOT_ADMIN_PASSWORD",
  sessionSecret: "EARSHOT_SESSION_SECRET",
  webhookSecret: "EARSHOT_WEBHOOK_SECRET",
  storePassword: "EARSHOT_STORE_PASSWORD",
  ingestSecret: "EARSHOT_INGEST_SECRET",
  ackLinkSecret: ACK_LINK_SECRET_ENV,
  slackSigningSecret: "EARSHOT_SLACK_SIGNING_SECRET",
  pagerDutyWebhookSecret: "EARSHOT_PAGERDUTY_WEBHOOK_SECRET",
  opsgenieWebhookToken: "EARSHOT_OPSGENIE_WEBHOOK_TOKEN",
} as const;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Env = Record<string, string | undefined>;

export interface Loaded {
  config: Config;
  secrets: Secrets;
}

/**
 * Reads the file (if any), overlays the environment, validates once. Every
 * problem, file or environment, is reported in one ConfigError with its path.
 */
export function loadConfig(file: string | null, env: Env): Loaded {
  const fromFile = file === null ? {} : readConfigFile(file);
  const merged = overlayEnv(fromFile, env);
  const problems: string[] = [];
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) problems.push(z.prettifyError(parsed.error));
  const secrets = readSecrets(env);
  if (parsed.success) problems.push(...secretProblems(parsed.data, secrets));
  if (problems.length > 0 || !parsed.success) {
    const where = file === null ? "the environment" : file;
    throw new ConfigError(`Invalid configuration in ${where}:\n${problems.join("\n")}`);
  }
  return { config: parsed.data, secrets };
}

function readConfigFile(file: string): Json {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new ConfigError(`Cannot read configuration file ${file}: ${(err as Error).message}`, { cause: err });
  }
  const text = configText(file, bytes);
  let value: Json;
  try {
    value = JSON.parse(stripJsonComments(text)) as Json;
  } catch (err) {
    throw new ConfigError(`Configuration file ${file} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  // `null` would otherwise mean "no file" and start the demo without a word.
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    const what = value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`;
    throw new ConfigError(`Configuration file ${file} holds ${what}; it must be one JSON object ({ … })`);
  }
  return value;
}

/**
 * The file's text. Editors on Windows save JSON with a byte-order mark, or as
 * UTF-16 (PowerShell's `>`); both are read. Bytes that are not UTF-8 (a file
 * saved as windows-1250 with "Żabka" in a brand) are refused rather than read
 * with U+FFFD in place of the letters, which would make that brand never match.
 */
function configText(file: string, bytes: Buffer): string {
  // The collectors' decoder: a BOM picks UTF-8 or UTF-16 (and is removed); otherwise UTF-8.
  const { text, charset } = decodeText(bytes);
  // It would put U+FFFD for bytes that are not UTF-8: refused instead.
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  if (charset === "utf-8" && !isUtf8(body)) {
    throw new ConfigError(`Configuration file ${file} is not UTF-8 (line ${firstBadLine(body)}); save it as UTF-8`);
  }
  return text;
}

/** The line of the first byte sequence that is not UTF-8. */
function firstBadLine(bytes: Buffer): number {
  let line = 1;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      if (!isUtf8(bytes.subarray(start, i))) return line;
      line++;
      start = i + 1;
    }
  }
  return line;
}

/** Allows // and /* *\/ comments in the file (outside strings), so the example can explain itself. */
export function stripJsonComments(text: string): string {
  let out = "";
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      out += c;
      if (c === "\\") out += text[++i] ?? "";
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
      out += "\n";
    } else if (c === "/" && text[i + 1] === "*") {
      i += 2;
      while (i < text.length && !(text[i] === "*" && text[i + 1] === "/")) i++;
      i++;
    } else out += c;
  }
  return out;
}

function overlayEnv(base: Json, env: Env): Json {
  const result = structuredClone(base ?? {}) as { [key: string]: Json };
  for (const [name, path] of Object.entries(CONFIG_ENV)) {
    const value = env[name];
    if (value === undefined || value === "") continue;
    setPath(result, path.split("."), envValue(value));
  }
  // A store URL from the environment means the server runner; a data
  // directory alone means the embedded one.
  const store = result.store as { [key: string]: Json } | undefined;
  if (env.EARSHOT_STORE_URL && store) {
    store.kind = "server";
    delete store.dataDir;
  } else if (store && store.kind === undefined) store.kind = "embedded";
  return result;
}

function envValue(value: string): Json {
  if (value === "true") return true;
  if (value === "false") return false;
  return value;
}

function setPath(target: { [key: string]: Json }, path: string[], value: Json): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== "object" || Array.isArray(next)) node[key] = {};
    node = node[key] as { [key: string]: Json };
  }
  node[path[path.length - 1]!] = value;
}

function readSecrets(env: Env): Secrets {
  const get = (name: string) => (env[name] && env[name] !== "" ? env[name]! : null);
  return {
    adminUser: get(SECRET_ENV.adminUser) ?? "admin",
    adminPassword: get(SECRET_ENV.adminPassword),
    sessionSecret: get(SECRET_ENV.sessionSecret),
    webhookSecret: get(SECRET_ENV.webhookSecret),
    storePassword: get(SECRET_ENV.storePassword),
    ingestSecret: get(SECRET_ENV.ingestSecret),
    ackLinkSecret: get(SECRET_ENV.ackLinkSecret),
    slackSigningSecret: get(SECRET_ENV.slackSigningSecret),
    pagerDutyWebhookSecret: get(SECRET_ENV.pagerDutyWebhookSecret),
    opsgenieWebhookToken: get(SECRET_ENV.opsgenieWebhookToken),
    sourceCredentials: Object.fromEntries(
      Object.entries(env).filter((e): e is [string, string] => e[0].startsWith("EARSHOT_") && e[1] !== undefined && e[1] !== ""),
    ),
  };
}

function secretProblems(config: Config, secrets: Secrets): string[] {
  const problems: string[] = [];
  if (config.alerts.webhook && !secrets.webhookSecret)
    problems.push(`✖ alerts.webhook is set but ${SECRET_ENV.webhookSecret} is not: notices are signed with it\n  → at alerts.webhook`);
  if (secrets.adminPassword !== null && secrets.adminPassword.length < 8)
    problems.push(`✖ ${SECRET_ENV.adminPassword} must have at least 8 characters\n  → at env.${SECRET_ENV.adminPassword}`);
  if (secrets.ingestSecret !== null && secrets.ingestSecret.length < 32)
    problems.push(`✖ ${SECRET_ENV.ingestSecret} must have at least 32 characters\n  → at env.${SECRET_ENV.ingestSecret}`);
  const slackAt = config.alerts.channels.findIndex((c) => c.channel === "slack" && c.acknowledgeInSlack);
  if (slackAt >= 0 && secrets.slackSigningSecret === null)
    problems.push(
      `✖ acknowledgeInSlack is set but ${SECRET_ENV.slackSigningSecret} is not: Slack's button presses could not be verified\n  → at alerts.channels[${slackAt}].acknowledgeInSlack`,
    );
  // Opsgenie sends it as a plain header (it signs nothing), so it must be hard to guess.
  if (secrets.opsgenieWebhookToken !== null && secrets.opsgenieWebhookToken.length < 32)
    problems.push(`✖ ${SECRET_ENV.opsgenieWebhookToken} must have at least 32 characters\n  → at env.${SECRET_ENV.opsgenieWebhookToken}`);
  problems.push(...channelProblems(config.alerts.channels, secrets.sourceCredentials));
  if (secrets.sessionSecret !== null && secrets.sessionSecret.length < 32)
    problems.push(`✖ ${SECRET_ENV.sessionSecret} must have at least 32 characters\n  → at env.${SECRET_ENV.sessionSecret}`);
  return problems;
}
