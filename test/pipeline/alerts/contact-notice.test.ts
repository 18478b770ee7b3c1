import { describe, expect, test } from "vitest";
import { verifyAckLink } from "../../../pipeline/alerts/ack-link";
import { contactNotice, type NoticeContext } from "../../../pipeline/alerts/contact-notice";
import { spike } from "./support/incident";

const SECRET = "s3cret-ack-link-key-0123456789abcdef";
const NOW = Date.UTC(2026, 10, 23, 14, 7, 30);
const ctx: NoticeContext = {
  lang: "en",
  timeZone: "Europe/Warsaw",
  dashboardUrl: "https://earshot.example.com/",
  ackSecret: SECRET,
  ackTtlMs: 3_600_000,
  now: NOW,
};

describe("contactNotice()", () => {
  test("contactNotice() writes in the contact's language, or the default when it has none", () => {
    expect(contactNotice("firing", spike, "pl", ctx)).toMatchObject({ lang: "pl", text: expect.stringContaining("negatywnych wzmianek — 34") });
    expect(contactNotice("firing", spike, "ru", ctx).text).toContain("резкий рост");
    expect(contactNotice("firing", spike, null, ctx)).toMatchObject({ lang: "en", text: expect.stringContaining("3:06 PM") });
  });

  test("contactNotice() links the dashboard and signs an acknowledge link that verifies", () => {
    const n = contactNotice("firing", spike, null, ctx);
    expect(n.link).toBe("https://earshot.example.com/#/incidents/lumio-20261123T1406");
    expect(verifyAckLink(n.ackLink!, SECRET, NOW)).toEqual({ ok: true, key: spike.key, expiresAt: NOW + 3_600_000 });
  });

  test("contactNotice() offers no acknowledge link once the incident is acknowledged or without a secret", () => {
    expect(contactNotice("acknowledged", { ...spike, acknowledgedBy: "ola" }, null, ctx).ackLink).toBeNull();
    expect(contactNotice("firing", spike, null, { ...ctx, ackSecret: null }).ackLink).toBeNull();
    expect(contactNotice("firing", spike, null, { ...ctx, dashboardUrl: null })).toMatchObject({ link: null, ackLink: null });
  });
});
