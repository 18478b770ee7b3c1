/**
 * Escaping for the markups notices are written in. Notice text carries
 * mention text (untrusted): it must never become markup, a link or a mention
 * of @channel on the other side.
 */

/** HTML text and attribute values (e-mail bodies, Telegram's HTML parse mode). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]!);
}
const HTML_ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/**
 * Telegram's HTML mode knows only &lt; &gt; &amp; &quot; as named entities
 * ("All <, > and & symbols that are not a part of a tag or an HTML entity must
 * be replaced with the corresponding HTML entities",
 * https://core.telegram.org/bots/api#html-style), so quotes stay as they are.
 */
export function escapeTelegramHtml(text: string): string {
  return text.replace(/[&<>]/g, (c) => HTML_ENTITIES[c]!);
}

/**
 * Slack mrkdwn: only &, < and > are control characters
 * (https://api.slack.com/reference/surfaces/formatting#escaping). Escaping `<`
 * is what stops `<!channel>` and `<http://x|label>` coming from a mention.
 */
export function escapeSlack(text: string): string {
  return text.replace(/[&<>]/g, (c) => HTML_ENTITIES[c]!);
}

/** Cuts to `max` characters (code points, so an emoji is not split), marking the cut with an ellipsis. */
export function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}
