/**
 * Who acted, as the incident timeline and the notices show it when the act
 * came from another service: "@anna (Telegram)", "Anna Nowak (PagerDuty)".
 * The name is the other service's untrusted text: control characters go, it
 * is clipped, and every reader escapes it as any text.
 */
const MAX_NAME_CHARS = 64;

export function actorName(name: string | null | undefined, service: string): string {
  const trimmed = (name ?? "").trim();
  // eslint-disable-next-line no-control-regex
  const clean = (trimmed === "" ? "someone" : trimmed).replace(/[\u0000-\u001f\u007f]/g, "").slice(0, MAX_NAME_CHARS);
  return `${clean} (${service})`;
}
