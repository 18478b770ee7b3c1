import { createTransport, type Transporter } from "nodemailer";
import type SMTPTransport from "nodemailer/lib/smtp-transport";
import type { EmailOptions } from "../alerts/email";

/**
 * Sends a report to one manager over SMTP with nodemailer, configured the way
 * the incident e-mails are (pipeline/alerts/email.ts: same options, same
 * timeouts), plus the PDF as an attachment
 * (https://nodemailer.com/message/attachments/).
 */
export interface ReportMail {
  to: { name: string; email: string };
  lang: string;
  subject: string;
  html: string;
  text: string;
  pdf: Buffer;
  filename: string;
  /** Stable per report and recipient: a resend is recognisable as the same message. */
  messageId: string;
}

export interface ReportMailer {
  send(mail: ReportMail): Promise<void>;
  close(): void;
}

export type ReportMailerOptions = Omit<EmailOptions, "to">;

export function reportMailer(options: ReportMailerOptions): ReportMailer {
  const timeout = options.timeoutMs ?? 10_000;
  const transport: Transporter<SMTPTransport.SentMessageInfo> = createTransport({
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
  return {
    async send(mail) {
      await transport.sendMail({
        from: options.from,
        // nodemailer encodes the display name (RFC 2047), so any name is safe here
        to: { name: mail.to.name, address: mail.to.email },
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        headers: { "Content-Language": mail.lang, "Auto-Submitted": "auto-generated" },
        attachments: [{ filename: mail.filename, content: mail.pdf, contentType: "application/pdf" }],
      });
    },
    close: () => transport.close(),
  };
}
