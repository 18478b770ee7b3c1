import { createTransport, type Transporter } from "nodemailer";
import type SMTPTransport from "nodemailer/lib/smtp-transport";
import { NotifierError } from "../errors";
import { escapeHtml } from "./escape";
import type { Delivery, Notice, Notifier } from "./notifier";
import { CHANNEL_LABELS, EVENT_MARK, noticeTitle } from "./templates/channel-labels";

export const CHANNEL = "email";

export interface EmailOptions {
  host: string;
  /** 587 (STARTTLS) by default; 465 with `secure`. */
  port?: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when offered. */
  secure?: boolean;
  /** Refuse to send unless STARTTLS succeeds (no plain-text fallback). */
  requireTLS?: boolean;
  user?: string;
  /** EARSHOT_SMTP_PASSWORD. */
  password?: string;
  /** "Earshot <alerts@example.com>" */
  from: string;
  to: string[];
  /** Connection and socket timeouts. Default 10 s. */
  timeoutMs?: number;
  /** Extra TLS settings, e.g. a private CA. */
  tls?: SMTPTransport.Options["tls"];
}

/**
 * E-mail over SMTP with nodemailer (https://nodemailer.com/smtp/ and
 * https://nodemailer.com/message/): one message per notice, a text and an HTML
 * part, the subject and labels in the notice's language.
 *
 * The notices of one incident thread together: each has a Message-ID derived
 * from the incident key and event, and the later ones point at the first
 * (In-Reply-To/References, RFC 5322 §3.6.4), so a mail client shows the
 * episode as one conversation, as the on-call tools do.
 *
 * Errors (https://nodemailer.com/errors/ and RFC 5321 §4.2.1): a 4xx reply is
 * transient and retried; a 5xx reply and bad credentials (EAUTH) are final;
 * connection failures and timeouts are retried.
 *
 * The SMTP host is the operator's own relay, configured by them, so it is not
 * behind the collectors' private-address guard (that guard is for URLs that
 * arrive as data).
 */
export function emailNotifier(options: EmailOptions): Notifier {
  const transport = smtpTransport(options);
  const target = `smtp://${options.host}:${options.port ?? (options.secure ? 465 : 587)} → ${options.to.join(", ")}`;
  return {
    channel: CHANNEL,
    target,
    async send(notice: Notice, signal: AbortSignal): Promise<Delivery> {
      const message = emailMessage(notice);
      const sending = transport.sendMail({
        from: options.from,
        to: options.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId: message.messageId,
        ...(message.inReplyTo ? { inReplyTo: message.inReplyTo, references: [message.inReplyTo] } : {}),
        headers: message.headers,
      });
      try {
        await abortable(sending, signal);
        return { httpStatus: null };
      } catch (err) {
        throw smtpFailure(err, target);
      }
    },
  };
}

export interface EmailMessage {
  subject: string;
  text: string;
  html: string;
  messageId: string;
  inReplyTo: string | null;
  headers: Record<string, string>;
}

/** Subject, both bodies and threading headers for a notice. Pure. */
export function emailMessage(notice: Notice): EmailMessage {
  const labels = CHANNEL_LABELS[notice.lang];
  const i = notice.incident;
  const title = `${EVENT_MARK[notice.event]} ${noticeTitle(notice)}`;
  const facts: [string, string][] = [[labels.incident, i.key]];
  if (i.kind === "spike") facts.push([labels.peak, String(i.peakNegative)], [labels.baseline, String(i.baseline)]);
  const links: [string, string][] = [];
  if (notice.event === "firing" && notice.ackLink) links.push([labels.acknowledge, notice.ackLink]);
  if (notice.link) links.push([labels.open, notice.link]);

  const text = [
    notice.text,
    "",
    ...facts.map(([k, v]) => `${k}: ${v}`),
    ...(links.length > 0 ? ["", ...links.map(([k, v]) => `${k}: ${v}`)] : []),
    "",
    `— ${labels.sentBy}`,
  ].join("\n");

  const button = (label: string, href: string, colour: string) =>
    `<a href="${escapeHtml(href)}" style="display:inline-block;padding:8px 16px;margin-right:8px;background:${colour};color:#ffffff;text-decoration:none;border-radius:4px">${escapeHtml(label)}</a>`;
  const html = [
    `<!doctype html><html lang="${notice.lang}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>`,
    `<body style="font-family:system-ui,-apple-system,Segoe UI,sans-serif;color:#1b1b1b">`,
    `<h2 style="margin:0 0 12px">${escapeHtml(title)}</h2>`,
    // mention text is untrusted: escaped, and white-space kept rather than turned into markup
    `<p style="white-space:pre-wrap">${escapeHtml(notice.text)}</p>`,
    `<table style="border-collapse:collapse;margin:12px 0">`,
    ...facts.map(([k, v]) => `<tr><th style="text-align:left;padding:2px 12px 2px 0">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`),
    `</table>`,
    links.length > 0
      ? `<p>${links.map(([k, v], n) => button(k, v, n === 0 && notice.event === "firing" && notice.ackLink ? "#c62828" : "#1565c0")).join("")}</p>`
      : "",
    `<p style="color:#6b6b6b;font-size:12px">${escapeHtml(labels.sentBy)} · ${escapeHtml(labels.severity[i.severity])}</p>`,
    `</body></html>`,
  ].join("\n");

  const id = (event: string) => `<${i.key.replace(/[^A-Za-z0-9._-]/g, "_")}.${event}@earshot>`;
  return {
    subject: `[Earshot] ${title}`,
    text,
    html,
    messageId: id(notice.event),
    inReplyTo: notice.event === "firing" ? null : id("firing"),
    headers: {
      "Content-Language": notice.lang,
      "X-Earshot-Incident": i.key,
      "X-Earshot-Event": notice.event,
      // Auto-Submitted keeps vacation responders from answering an alert (RFC 3834 §5)
      "Auto-Submitted": "auto-generated",
    },
  };
}

function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (v) => (signal.removeEventListener("abort", onAbort), resolve(v)),
      (e: unknown) => (signal.removeEventListener("abort", onAbort), reject(e)),
    );
  });
}

function smtpFailure(err: unknown, target: string): NotifierError {
  const e = (typeof err === "object" && err !== null ? err : {}) as { responseCode?: number; code?: string; message?: string; name?: string };
  const reply = e.responseCode;
  const retryable =
    reply !== undefined
      ? reply >= 400 && reply < 500 // 4yz: transient negative completion
      : e.code !== "EAUTH" && e.code !== "EENVELOPE" && e.code !== "EMESSAGE"; // connection, DNS, timeout, abort
  const what = reply !== undefined ? `SMTP ${reply}` : (e.code ?? e.name ?? "error");
  return new NotifierError(CHANNEL, `sending to ${target} failed (${what}): ${(e.message ?? String(err)).split("\n")[0]}`, retryable, null, { cause: err });
}

/** One nodemailer SMTP transport for the operator's relay, with the timeouts and TLS the options say (alerts and reports share it). */
export function smtpTransport(options: Omit<EmailOptions, "to">): Transporter<SMTPTransport.SentMessageInfo> {
  const timeout = options.timeoutMs ?? 10_000;
  return createTransport({
    host: options.host,
    port: options.port ?? (options.secure ? 465 : 587),
    secure: options.secure ?? false,
    requireTLS: options.requireTLS ?? false,
    ...(options.user ? { auth: { user: options.user, pass: options.password ?? "" } } : {}),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    ...(options.tls ? { tls: options.tls } : {}),
  });
}
