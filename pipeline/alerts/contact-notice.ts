import type { Incident } from "../mention";
import { makeAckLink } from "./ack-link";
import { noticeText } from "./notice-text";
import type { Notice, NoticeEvent } from "./notifier";

export interface NoticeContext {
  /** alerts.lang: used when the contact sets none. */
  lang: Notice["lang"];
  timeZone: string;
  /** alerts.dashboardUrl; without it notices carry no links. */
  dashboardUrl: string | null;
  /** EARSHOT_ACK_LINK_SECRET; without it (or a dashboard URL) no acknowledge button. */
  ackSecret: string | null;
  ackTtlMs: number;
  /** Epoch ms now (wall clock). */
  now: number;
}

/**
 * The notice for one contact: text in the contact's language, the dashboard
 * link and, while the incident fires, a signed acknowledge link. Pure.
 */
export function contactNotice(event: NoticeEvent, incident: Incident, contactLang: Notice["lang"] | null, ctx: NoticeContext): Notice {
  const lang = contactLang ?? ctx.lang;
  const base = ctx.dashboardUrl?.replace(/\/+$/, "") ?? null;
  const link = base ? `${base}/#/incidents/${encodeURIComponent(incident.key)}` : null;
  const ackLink =
    base && ctx.ackSecret && event === "firing"
      ? makeAckLink(incident.key, { baseUrl: base, secret: ctx.ackSecret, now: ctx.now, ttlMs: ctx.ackTtlMs })
      : null;
  return { event, incident, text: noticeText(event, incident, lang, ctx.timeZone), lang, link, ackLink };
}
