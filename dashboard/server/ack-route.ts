import type { IncomingMessage, ServerResponse } from "node:http";
import { verifyAck } from "../../pipeline/alerts/ack-link";
import { ackOutcome } from "../../pipeline/alerts/ack-outcome";
import type { Incident } from "../../pipeline/mention";
import { HttpError } from "./http";

/**
 * The one-click acknowledge link of a notice (`/ack/<key>?exp=…&sig=…`, made
 * by pipeline/alerts/ack-link.ts). The signature is the credential, so no
 * session is needed: whoever holds the notice may acknowledge its incident.
 * GET only shows a confirmation page; the acknowledgement is its POST, because
 * mail scanners and link previews open GET links on their own.
 */
export interface AckRouteDeps {
  /** EARSHOT_ACK_LINK_SECRET; null: links are not made, and this route answers 404. */
  secret: string | null;
  acknowledge(key: string, by: string): Promise<Incident | null>;
  now(): number;
}

export type AckHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

/** Who the timeline says acknowledged it. */
export const ACK_LINK_ACTOR = "ack-link";

const PAGE_TEXT = {
  en: { title: "Acknowledge incident", confirm: "Acknowledge", done: "Acknowledged. The team can see it on the dashboard.", already: "Already acknowledged by", gone: "This incident is closed." },
  pl: { title: "Przyjęcie incydentu", confirm: "Przyjmij", done: "Przyjęto. Zespół widzi to na pulpicie.", already: "Już przyjęty przez", gone: "Ten incydent jest zamknięty." },
  ru: { title: "Принять инцидент", confirm: "Принять", done: "Принято. Команда видит это на панели.", already: "Уже принят:", gone: "Этот инцидент закрыт." },
} as const;
type PageLang = keyof typeof PAGE_TEXT;

export function createAckRoute(deps: AckRouteDeps): AckHandler {
  return async (req, res, url) => {
    if (deps.secret === null) throw new HttpError(404, "acknowledge links are off: set EARSHOT_ACK_LINK_SECRET");
    const key = decodeKey(url.pathname.slice("/ack/".length));
    const verdict = verifyAck(
      { key, exp: url.searchParams.get("exp") ?? "", sig: url.searchParams.get("sig") ?? "" },
      deps.secret,
      deps.now(),
    );
    if (!verdict.ok) {
      throw new HttpError(verdict.reason === "expired" ? 410 : 403, verdict.reason === "expired" ? "this acknowledge link has expired" : "this acknowledge link is not valid");
    }
    const text = PAGE_TEXT[pageLang(req.headers["accept-language"])];
    if (req.method === "GET" || req.method === "HEAD") {
      return sendPage(res, 200, text.title, `<p>${escapeHtml(key)}</p><form method="post"><button type="submit">${text.confirm}</button></form>`);
    }
    if (req.method !== "POST") throw new HttpError(405, "use GET to see the incident or POST to acknowledge it", { Allow: "GET, HEAD, POST" });
    const incident = await deps.acknowledge(key, ACK_LINK_ACTOR);
    if (incident === null) throw new HttpError(404, "no such incident");
    const outcome = ackOutcome(incident, ACK_LINK_ACTOR);
    const body = outcome.kind === "not-open" ? text.gone : outcome.kind === "already" ? `${text.already} ${escapeHtml(outcome.by)}` : text.done;
    return sendPage(res, 200, text.title, `<p>${escapeHtml(key)}</p><p>${body}</p>`);
  };
}

function decodeKey(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, "the incident key is not valid percent-encoding");
  }
}

/** The reader's language from Accept-Language, among the three the page speaks. */
function pageLang(header: string | undefined): PageLang {
  for (const part of (header ?? "").split(",")) {
    const primary = part.trim().slice(0, 2).toLowerCase();
    if (primary === "pl" || primary === "ru" || primary === "en") return primary;
  }
  return "en";
}

function sendPage(res: ServerResponse, status: number, title: string, body: string): void {
  const html = `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`;
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }).end(html);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
