import type { Incident } from "../mention";

/** What a notice announces: the incident's new state. */
export type NoticeEvent = "firing" | "acknowledged" | "resolved";

export interface Notice {
  event: NoticeEvent;
  incident: Incident;
  /** Human text in the configured language (see templates/). */
  text: string;
  lang: "en" | "pl" | "ru";
  /** Link to the incident on the dashboard, when a public URL is configured. */
  link: string | null;
  /**
   * A signed link that acknowledges the incident in one click (see
   * ack-link.ts), for channels that can show a button; absent or null when
   * no ack secret or public URL is configured.
   */
  ackLink?: string | null;
  /** True when this repeats a firing notice nobody has acknowledged yet. */
  repeat?: boolean;
}

/** The result of one delivery attempt that reached the other side. */
export interface Delivery {
  httpStatus: number | null;
}

/**
 * One channel (webhook now; Slack, Telegram, e-mail … later). `send` makes one
 * attempt and throws NotifierError (with `retryable`) when it fails; retries
 * and the record of attempts belong to deliver.ts, not to each channel.
 */
export interface Notifier {
  readonly channel: string;
  /** Where notices go, without secrets (shown in the delivery log). */
  readonly target: string;
  send(notice: Notice, signal: AbortSignal): Promise<Delivery>;
}
