import type { SafeHttp } from "../../collectors/http";
import { clip } from "./escape";
import { NotifierError } from "../errors";
import { excerpt, failureFor, isSuccess, maskedUrl, postJson } from "./http-reply";
import type { Delivery, Notice, Notifier } from "./notifier";
import { CHANNEL_LABELS, EVENT_MARK, noticeTitle } from "./templates/channel-labels";

export const CHANNEL = "teams";

/**
 * Microsoft Teams: a Workflows (Power Automate) "When a Teams webhook request
 * is received" trigger, or a classic incoming webhook. Both take a message
 * with one Adaptive Card attachment:
 * https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using#send-adaptive-cards-using-an-incoming-webhook
 * Card schema 1.4: https://adaptivecards.io/explorer/ (Teams renders up to 1.5).
 *
 * Workflows answer 202 Accepted, classic webhooks 200 with body "1". A classic
 * webhook that is throttled can answer 200 with the text "Microsoft Teams
 * endpoint returned HTTP error 429 …" (same page, "Rate limiting for
 * connectors"); that is read as a retryable failure, not a delivery.
 *
 * Mention text must not become markdown (TextBlock renders a subset of it,
 * links included), so every text goes in a RichTextBlock TextRun, which
 * Adaptive Cards render verbatim (FactSet values are plain text too).
 *
 * The URL carries its signature (Workflows: `sig=` in the query; classic: the
 * path), so `target` shows only the host and first path segment.
 */
export function teamsNotifier(options: { url: string }, http: SafeHttp): Notifier {
  const { target, scrub } = maskedUrl(options.url, 1);
  return {
    channel: CHANNEL,
    target,
    async send(notice: Notice, signal: AbortSignal): Promise<Delivery> {
      const res = await postJson(CHANNEL, http, options.url, target, { json: teamsMessage(notice), signal }, scrub);
      if (isSuccess(res.status)) {
        if (/HTTP error 429/i.test(res.text))
          throw new NotifierError(CHANNEL, `POST ${target} was throttled: ${excerpt(res.text)}`, true, res.status);
        return { httpStatus: res.status };
      }
      throw failureFor(CHANNEL, target, res);
    },
  };
}

export interface TeamsMessage {
  type: "message";
  attachments: [{ contentType: "application/vnd.microsoft.card.adaptive"; contentUrl: null; content: AdaptiveCard }];
}
export interface AdaptiveCard {
  $schema: "http://adaptivecards.io/schemas/adaptive-card.json";
  type: "AdaptiveCard";
  version: "1.4";
  body: CardElement[];
  actions: { type: "Action.OpenUrl"; title: string; url: string; style?: "positive" | "destructive" }[];
  msteams: { width: "Full" };
}
type TextRun = { type: "TextRun"; text: string; size?: "Large"; weight?: "Bolder"; color?: "Attention" | "Warning" | "Good"; isSubtle?: boolean };
type CardElement =
  | { type: "RichTextBlock"; inlines: TextRun[]; spacing?: "Small" }
  | { type: "FactSet"; facts: { title: string; value: string }[] };

const COLOR = { firing: "Attention", acknowledged: "Warning", resolved: "Good" } as const;

/** The Adaptive Card message for a notice, in the notice's language. Pure. */
export function teamsMessage(notice: Notice): TeamsMessage {
  const labels = CHANNEL_LABELS[notice.lang];
  const i = notice.incident;
  const facts = [{ title: labels.incident, value: i.key }];
  if (i.kind === "spike") facts.push({ title: labels.peak, value: String(i.peakNegative) }, { title: labels.baseline, value: String(i.baseline) });
  const actions: AdaptiveCard["actions"] = [];
  if (notice.event === "firing" && notice.ackLink) actions.push({ type: "Action.OpenUrl", title: labels.acknowledge, url: notice.ackLink, style: "destructive" });
  if (notice.link) actions.push({ type: "Action.OpenUrl", title: labels.open, url: notice.link, style: "positive" });
  return {
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: "1.4",
          body: [
            {
              type: "RichTextBlock",
              inlines: [{ type: "TextRun", text: `${EVENT_MARK[notice.event]} ${noticeTitle(notice)}`, size: "Large", weight: "Bolder", color: COLOR[notice.event] }],
            },
            { type: "RichTextBlock", inlines: [{ type: "TextRun", text: clip(notice.text, 10_000) }] },
            { type: "FactSet", facts },
            { type: "RichTextBlock", inlines: [{ type: "TextRun", text: `${labels.severity[i.severity]} · ${labels.sentBy}`, isSubtle: true }], spacing: "Small" },
          ],
          actions,
          msteams: { width: "Full" },
        },
      },
    ],
  };
}
