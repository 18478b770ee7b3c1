import { z } from "zod";
import { DEFAULT_JITTER_MS, DEFAULT_SCHEDULE, pollingSources, streamingSources } from "../../collectors/registry";
import { CONFIG_ENV } from "./load";
import { configSchema } from "./schema";

/**
 * The configuration reference as a Markdown table, generated from the zod
 * schema (JSON Schema walk), so the README cannot drift from what is checked.
 * `earshot check --table` prints it; a test compares it with the README.
 */
interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  description?: string;
  format?: string;
}

interface Row {
  path: string;
  type: string;
  default: string;
  description: string;
}

export function configTable(): string {
  const schema = z.toJSONSchema(configSchema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  const envByPath = new Map(Object.entries(CONFIG_ENV).map(([env, path]) => [path, env]));
  const rows: Row[] = [];
  walk(schema, "", rows);
  // Source entries are built from the registry (a transform JSON Schema cannot
  // show), so each source's own options schema is walked here.
  const sources: [string, z.ZodType<unknown>, boolean][] = [
    ...Object.values(pollingSources).map((s): [string, z.ZodType<unknown>, boolean] => [s.kind, s.options as z.ZodType<unknown>, true]),
    ...Object.values(streamingSources).map((s): [string, z.ZodType<unknown>, boolean] => [s.kind, s.options as z.ZodType<unknown>, false]),
  ];
  for (const [kind, options, polling] of sources) {
    const at = (key: string) => `sources[].${key} (kind=${kind})`;
    rows.push({ path: at("id"), type: "string", default: `\`"${kind}-N"\``, description: "Names the source in logs, health and cursors." });
    if (polling) {
      rows.push({ path: at("schedule"), type: "string", default: `\`"${DEFAULT_SCHEDULE}"\``, description: "node-cron expression." });
      rows.push({ path: at("jitterMs"), type: "integer", default: `\`${DEFAULT_JITTER_MS}\``, description: "Random delay added to each tick." });
    }
    walk(z.toJSONSchema(options, { io: "input", unrepresentable: "any" }) as JsonSchema, `sources[] (kind=${kind})`, rows);
  }
  const lines = ["| key | type | default | environment | meaning |", "|---|---|---|---|---|"];
  for (const r of rows) {
    const env = envByPath.get(r.path.replace(/ \(.*\)$/, "").replace(/\[\]/g, "")) ?? "";
    lines.push(`| \`${r.path}\` | ${r.type} | ${r.default} | ${env ? `\`${env}\`` : ""} | ${r.description} |`);
  }
  return lines.join("\n");
}

function walk(node: JsonSchema, path: string, rows: Row[]): void {
  const variants = node.oneOf ?? node.anyOf;
  // A choice of plain values (true, a list of ranges, or a comma-separated string) is one setting: one row.
  if (variants?.every((v) => v.properties === undefined && v.oneOf === undefined && v.anyOf === undefined)) {
    const types = [...new Set(variants.map(typeOf))];
    rows.push({ path, type: types.join(" \\| "), default: defaultOf(node), description: (node.description ?? "").replace(/\|/g, "\\|") });
    return;
  }
  if (variants) {
    for (const v of variants) {
      const kind = v.properties?.kind?.const;
      walk(v, kind === undefined ? path : `${path} (kind=${String(kind)})`, rows);
    }
    return;
  }
  if (node.properties) {
    const base = path.replace(/ \((kind=[^)]*)\)$/, "");
    const suffix = path.slice(base.length);
    for (const [key, child] of Object.entries(node.properties)) {
      if (key === "kind" && child.const !== undefined) continue;
      if (path === "" && key === "sources") continue; // walked from the registry, see configTable()
      walk(child, `${base ? `${base}.` : ""}${key}${suffix}`, rows);
    }
    return;
  }
  if (node.type === "array" && node.items && (node.items.properties || node.items.oneOf)) {
    walk(node.items, `${path}[]`, rows);
    return;
  }
  rows.push({ path, type: typeOf(node), default: defaultOf(node), description: (node.description ?? "").replace(/\|/g, "\\|") });
}

function typeOf(node: JsonSchema): string {
  if (node.enum) return node.enum.map((v) => JSON.stringify(v)).join(" \\| ");
  if (node.type === "array") return `${typeOf(node.items ?? {})}[]`;
  if (node.format === "uri") return "URL";
  return Array.isArray(node.type) ? node.type.join(" \\| ") : (node.type ?? "any");
}

function defaultOf(node: JsonSchema): string {
  if (node.default === undefined) return "";
  if (node.description?.includes("the machine's own")) return "the machine's";
  return `\`${JSON.stringify(node.default)}\``;
}
