import { z } from "zod";
import { pollingSources, streamingSources } from "../../collectors/registry";
import type { CredentialSpec } from "../../collectors/source";

interface OptionSchema {
  properties?: Record<string, { type?: string; default?: unknown; description?: string; format?: string; items?: { type?: string } }>;
  required?: string[];
}

/** `earshot sources`: every source kind with its options and credentials, from the registry. */
export function sourcesText(): string {
  const kinds: [string, z.ZodType<unknown>, readonly CredentialSpec[], string][] = [
    ...Object.values(pollingSources).map((s): [string, z.ZodType<unknown>, readonly CredentialSpec[], string] => [
      s.kind,
      s.options as z.ZodType<unknown>,
      (s as { credentials?: readonly CredentialSpec[] }).credentials ?? [],
      "polled on a schedule",
    ]),
    ...Object.values(streamingSources).map((s): [string, z.ZodType<unknown>, readonly CredentialSpec[], string] => [
      s.kind,
      s.options as z.ZodType<unknown>,
      [],
      "streams by itself",
    ]),
  ];
  const blocks = kinds.map(([kind, options, credentials, mode]) => {
    const schema = z.toJSONSchema(options, { io: "input", unrepresentable: "any" }) as OptionSchema;
    const required = new Set(schema.required ?? []);
    const lines = [`${kind} (${mode})`];
    for (const [name, p] of Object.entries(schema.properties ?? {})) {
      const type = p.type === "array" ? `${p.items?.type ?? "any"}[]` : p.format === "uri" ? "URL" : (p.type ?? "any");
      const extra = p.default !== undefined ? ` = ${JSON.stringify(p.default)}` : required.has(name) ? " (required)" : "";
      lines.push(`  ${name}: ${type}${extra}${p.description ? `  — ${p.description}` : ""}`);
    }
    for (const c of credentials) lines.push(`  env ${c.env}${c.optional ? " (optional)" : " (required)"}`);
    return lines.join("\n");
  });
  return `${blocks.join("\n\n")}\n`;
}
