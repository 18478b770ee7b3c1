import type { SafeHttp } from "../../collectors/http";
import { clip, escapeSlack } from "./escape";
import { failureFor, isSuccess, maskedUrl, postJson } from "./http-reply";
import type { Delivery, Notice, Notifier } from "./notifier";
import { CHANNEL_LABELS, EVENT_MARK, noticeTitle } from "./templates/channel-labels";

export const CHANNEL = "slack";

/**
 * Slack incoming webhook with Block Kit.
 * Wire format: https://api.slack.com/messaging/webhooks (POST JSON, answer
 * 200 "ok"); blocks: https://api.slack.com/reference/block-kit/blocks
 * (header: plain_text ≤150 chars; section: text ≤3000; actions: buttons with a
 * `url` open it; context: small print). `text` is the fallback shown in
 * notifications and is required next to blocks.
 *
 * Errors come back as a text body with the status
 * (https://api.slack.com/messaging/webhooks#handling_errors):
 * 400 invalid_payload / no_text / too_many_attachments, 403 action_prohibited /
 * invalid_token, 404 channel_not_found / no_service, 410 channel_is_archived.
 * None of those improves by retrying: they are final. 429 (rate limited,
 * Retry-After) and 5xx are retried.
 *
 * The webhook URL is a secret (its path is the token): `target` shows only
 * https://hooks.slack.com/services/….
 */
/** The action_id of the Acknowledge button; with acknowledgeInSlack its value is the incident key. */
export const SLACK_ACK_ACTION = "earshot-ack";

/**
 * `acknowledgeInSlack`: the Acknowledge button is an interactive button the
 * Slack app posts to `/slack/actions` (dashboard/server/slack-actions-route.ts)
 * instead of a link to the signed acknowledge page.
 */
export function slackNotifier(options: { url: string; acknowledgeInSlack?: boolean }, http: SafeHttp): Notifier {
  const { target, scrub } = maskedUrl(options.url, 1);
  return {
    channel: CHANNEL,
    target,
    async send(notice: Notice, signal: AbortSignal): Promise<Delivery> {
      const res = await postJson(CHANNEL, http, options.url, target, { json: slackMessage(notice, options.acknowledgeInSlack ?? false), signal }, scrub);
      if (isSuccess(res.status)) return { httpStatus: res.status };
      throw failureFor(CHANNEL, target, res);
    },
  };
}

export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}
type PlainText = { type: "plain_text"; text: string; emoji?: boolean };
type Mrkdwn = { type: "mrkdwn"; text: string };
type SlackButton = { type: "button"; text: PlainText; action_id: string; style?: "primary" | "danger" } & ({ url: string } | { value: string });
export type SlackBlock =
  | { type: "header"; text: PlainText }
  | { type: "section"; text?: Mrkdwn; fields?: Mrkdwn[] }
  | { type: "context"; elements: Mrkdwn[] }
  | { type: "actions"; elements: SlackButton[] };

/** The Block Kit message for a notice, in the notice's language. Pure. */
export function slackMessage(notice: Notice, ackInSlack = false): SlackMessage {
  const labels = CHANNEL_LABELS[notice.lang];
  const i = notice.incident;
  const title = `${EVENT_MARK[notice.event]} ${noticeTitle(notice)}`;
  const blocks: SlackBlock[] = [
    { type: "header", text: { type: "plain_text", text: clip(title, 150), emoji: true } },
    { type: "section", text: { type: "mrkdwn", text: clip(escapeSlack(notice.text), 3000) } },
  ];
  if (i.kind === "spike")
    blocks.push({
      type: "section",
      fields: [
        { type: "mrkdwn", text: `*${labels.peak}*\n${i.peakNegative}` },
        { type: "mrkdwn", text: `*${labels.baseline}*\n${i.baseline}` },
      ],
    });
  blocks.push({
    type: "context",
    elements: [
      {
        type: "mrkdwn",
        text: clip(`${escapeSlack(labels.incident)} \`${escapeSlack(i.key)}\` · ${labels.severity[i.severity]} · ${escapeSlack(labels.sentBy)}`, 3000),
      },
    ],
  });
  const buttons: SlackButton[] = [];
  if (notice.event === "firing" && ackInSlack)
    buttons.push({ type: "button", text: { type: "plain_text", text: labels.acknowledge }, value: i.key, action_id: SLACK_ACK_ACTION, style: "danger" });
  else if (notice.event === "firing" && notice.ackLink)
    buttons.push({ type: "button", text: { type: "plain_text", text: labels.acknowledge }, url: notice.ackLink, action_id: SLACK_ACK_ACTION, style: "danger" });
  if (notice.link)
    buttons.push({ type: "button", text: { type: "plain_text", text: labels.open }, url: notice.link, action_id: "earshot-open", style: "primary" });
  if (buttons.length > 0) blocks.push({ type: "actions", elements: buttons });
  return { text: clip(escapeSlack(notice.text), 3000), blocks };
}
