/**
 * An RFC 8288 Link header → relation → URL, resolved against `base`. Mastodon
 * pages its timelines with it:
 * `<https://m.example/api/v1/timelines/tag/x?max_id=1>; rel="next", <…?min_id=9>; rel="prev"`.
 * Only http(s) targets are kept; the first link of each relation wins.
 */
export function parseLinkHeader(value: string | undefined, base: string): Map<string, string> {
  const links = new Map<string, string>();
  if (value === undefined) return links;
  for (const match of value.matchAll(/<([^>]*)>((?:\s*;\s*[^;,]*)*)/g)) {
    const target = resolve(match[1] ?? "", base);
    if (target === undefined) continue;
    const params = match[2] ?? "";
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,"]+))/i.exec(params);
    const names = (rel?.[1] ?? rel?.[2] ?? "").toLowerCase().split(/\s+/).filter((n) => n !== "");
    for (const name of names) if (!links.has(name)) links.set(name, target);
  }
  return links;
}

function resolve(href: string, base: string): string | undefined {
  try {
    const url = new URL(href.trim(), base);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}
