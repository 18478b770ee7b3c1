import cron from "node-cron";
import { z } from "zod";
import { emailChannelSchema, type ChannelConfig } from "../alerts/channels-config";
import { REPORT_LANGS } from "./report-labels";

/**
 * `reports` in the configuration (meant for pipeline/config/schema.ts as
 * `reports: reportsConfigSchema`):
 *
 *   "reports": { "weekly": {
 *     "cron": "0 8 * * 1", "timeZone": "Europe/Warsaw",
 *     "managers": [{ "name": "Anna Nowak", "email": "anna@example.com", "lang": "pl", "brands": ["Lumio"] }]
 *   } }
 *
 * The SMTP relay is `reports.weekly.smtp`, or else the first e-mail contact
 * of `alerts.channels` (its host, port, TLS, user and passwordEnv; not its
 * recipients). The time zone defaults to `alerts.timeZone`.
 */

const timeZone = z.string().refine((name) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}, "an IANA time zone such as Europe/Warsaw");

export const managerSchema = z.strictObject({
  name: z.string().min(1).max(200).describe("How the e-mail greets them."),
  email: z.email().describe("Where the report goes."),
  lang: z.enum(REPORT_LANGS).default("en").describe("Language of their report and e-mail."),
  brands: z.array(z.string().min(1)).min(1).optional().describe("Brands they get a report of; every configured brand when unset."),
});
export type ManagerConfig = z.infer<typeof managerSchema>;

/** The SMTP settings of an e-mail contact, without its recipients. */
export const reportSmtpSchema = emailChannelSchema.omit({ channel: true, name: true, lang: true, to: true });
export type ReportSmtpConfig = z.infer<typeof reportSmtpSchema>;

export const weeklyReportConfigSchema = z.strictObject({
  cron: z
    .string()
    .refine((text) => cron.validate(text), "a cron expression (minute hour day-of-month month day-of-week)")
    .default("0 8 * * 1")
    .describe("When last week's reports are made and sent (node-cron syntax, in timeZone); Monday 08:00 by default."),
  timeZone: timeZone.optional().describe("Where weeks start (Monday 00:00) and the cron runs; alerts.timeZone when unset."),
  managers: z.array(managerSchema).default([]).describe("Who receives the weekly report; with none, reports are still made and kept."),
  smtp: reportSmtpSchema.optional().describe("SMTP relay for the reports; the first e-mail entry of alerts.channels when unset."),
  catchUp: z.boolean().default(true).describe("At start, make and send last week's reports if the scheduled time has passed and they were not sent."),
});
export type WeeklyReportConfig = z.infer<typeof weeklyReportConfigSchema>;

export const reportsConfigSchema = z.strictObject({ weekly: weeklyReportConfigSchema.prefault({}) }).prefault({});
export type ReportsConfig = z.infer<typeof reportsConfigSchema>;

/** The relay the reports go through: their own, or the first e-mail contact's; null when neither is configured. */
export function reportSmtp(weekly: WeeklyReportConfig, channels: readonly ChannelConfig[]): ReportSmtpConfig | null {
  if (weekly.smtp !== undefined) return weekly.smtp;
  const contact = channels.find((c) => c.channel === "email");
  if (contact === undefined || contact.channel !== "email") return null;
  const { channel: _channel, name: _name, lang: _lang, to: _to, ...smtp } = contact;
  return smtp;
}
