import { describe, expect, test } from "vitest";
import { channelListSchema } from "../../../pipeline/alerts/channels-config";
import { reportsConfigSchema, reportSmtp } from "../../../pipeline/reports/report-config";

describe("reportsConfigSchema", () => {
  test("reportsConfigSchema defaults to Monday 08:00, no managers and catching up", () => {
    expect(reportsConfigSchema.parse(undefined)).toEqual({ weekly: { cron: "0 8 * * 1", managers: [], catchUp: true } });
  });

  test("reportsConfigSchema refuses a bad cron, zone, address and language, each with its path", () => {
    const r = reportsConfigSchema.safeParse({
      weekly: { cron: "every monday", timeZone: "Europe/Nowhere", managers: [{ name: "A", email: "not-an-address", lang: "de" }] },
    });
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => i.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["weekly.cron", "weekly.timeZone", "weekly.managers.0.email", "weekly.managers.0.lang"]));
  });

  test("reportSmtp() takes its own relay, else the first e-mail contact's without its recipients, else none", () => {
    const weekly = reportsConfigSchema.parse({}).weekly;
    const channels = channelListSchema.parse([
      { channel: "slack" },
      { channel: "email", host: "smtp.example.com", port: 587, from: "Earshot <a@example.com>", to: ["oncall@example.com"], user: "u" },
    ]);
    expect(reportSmtp(weekly, channels)).toEqual({
      host: "smtp.example.com",
      port: 587,
      secure: false,
      requireTLS: true,
      user: "u",
      passwordEnv: "EARSHOT_SMTP_PASSWORD",
      from: "Earshot <a@example.com>",
    });
    const own = reportsConfigSchema.parse({ weekly: { smtp: { host: "relay.local", from: "r@example.com", requireTLS: false } } }).weekly;
    expect(reportSmtp(own, channels)).toMatchObject({ host: "relay.local", requireTLS: false });
    expect(reportSmtp(weekly, [])).toBeNull();
  });
});
