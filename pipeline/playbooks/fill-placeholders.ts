import type { Placeholder } from "./playbook-schema";

/** Values for a playbook's placeholders; `minutes` comes from the playbook. */
export type PlaceholderValues = Partial<Record<Exclude<Placeholder, "minutes">, string>>;

/** A filled value is one short line: no line breaks or control characters smuggled into a statement. */
const MAX_VALUE_CHARS = 300;

/**
 * Puts values in place of `{name}` in one pass: an inserted value is never
 * scanned again (a brand called "{support}" stays as written) and is inserted
 * literally (a replacer function, so `$&` or `$1` in a value mean nothing).
 * Placeholders without a value stay visible, so whoever publishes the text
 * sees what is left to fill. Pure.
 */
export function fillPlaceholders(text: string, values: Readonly<Record<string, string | undefined>>): string {
  return text.replace(/\{([A-Za-z]+)\}/g, (whole, name: string) => {
    const raw = Object.hasOwn(values, name) ? values[name] : undefined;
    const value = raw === undefined ? "" : cleanValue(raw);
    return value === "" ? whole : value;
  });
}

function cleanValue(value: string): string {
  const line = value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ").replace(/\s+/g, " ").trim();
  return Array.from(line).slice(0, MAX_VALUE_CHARS).join("");
}
