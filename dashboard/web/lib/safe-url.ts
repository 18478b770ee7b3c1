/**
 * A mention's URL comes from the post's author or source: link to it only when
 * it is plain http(s), never javascript:, data: or anything else.
 */
export function safeHttpUrl(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
}
