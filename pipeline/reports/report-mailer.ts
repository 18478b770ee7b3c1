import { smtpTransport, type EmailOptions } from "../alerts/email";

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
  const transport = smtpTransport(options);
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
