import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Logger } from "../../../collectors/source";
import { reportsConfigSchema } from "../../../pipeline/reports/report-config";
import { reportMailer } from "../../../pipeline/reports/report-mailer";
import { startWeeklyReports } from "../../../pipeline/reports/weekly-schedule";
import { runWeeklyReports, type Manager, type WeeklyRunDeps } from "../../../pipeline/reports/weekly-run";
import { openStore } from "../../../pipeline/store/open-store";
import type { Store } from "../../../pipeline/store/store";
import { freshDatabase } from "../../contracts/store.contract";
import { tempDirs } from "../../support/temp-dir";
import { findPart, parseMime } from "../alerts/support/mime";
import { pdfText } from "./support/pdf-text";
import { mention, seedWeek, ZONE } from "./support/seed-week";

interface Mail {
  to: string[];
  raw: string;
}
const mails: Mail[] = [];
/** Addresses the server refuses at RCPT TO, with a permanent 550. */
const refused = new Set<string>();
let server: SMTPServer;
let port = 0;
const dirs = tempDirs();
let store: Store;

const HOSTILE_BRAND = "<Acme>";
const HOSTILE_TEXT = '<img src=x onerror=alert(1)> & "quotes"';
const MONDAY_0815 = Date.parse("2026-11-23T07:15:00Z"); // Monday 23 November, 08:15 in Warsaw
const warnings: string[] = [];
const log: Logger = { debug() {}, info() {}, warn: (_o, m) => void warnings.push(m ?? ""), error: (_o, m) => void warnings.push(m ?? "") };

beforeAll(async () => {
  // a real SMTP server from the smtp-server package on loopback (as test/pipeline/alerts/email.test.ts)
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (refused.has(address.address)) callback(Object.assign(new Error("mailbox unavailable"), { responseCode: 550 }));
      else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString("utf8") });
        callback();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.server.address() as { port: number }).port;
  store = await openStore({ kind: "embedded", dataDir: dirs.make("earshot-weekly-run-"), database: freshDatabase() });
  await seedWeek(store);
  await store.insertMentions([
    mention(HOSTILE_BRAND, "2026-11-18T10:00:00Z", "negative", HOSTILE_TEXT, { author: "a" }),
    mention(HOSTILE_BRAND, "2026-11-18T11:00:00Z", "negative", HOSTILE_TEXT, { author: "b" }),
  ]);
});
afterAll(async () => {
  await store.close();
  await new Promise<void>((r) => server.close(() => r()));
});

const MANAGERS: Manager[] = [
  { name: "Anna Nowak", email: "anna@lumio.test", lang: "pl", brands: ["Lumio"] },
  { name: "Иван Петров", email: "ivan@lumio.test", lang: "ru", brands: ["Lumio"] },
  { name: "Bob <Boss>", email: "bob@lumio.test", lang: "en" },
];

function deps(over: Partial<WeeklyRunDeps> = {}): WeeklyRunDeps {
  return {
    store,
    brands: ["Lumio", HOSTILE_BRAND],
    managers: MANAGERS,
    timeZone: ZONE,
    mailer: reportMailer({ host: "127.0.0.1", port, from: "Earshot <reports@earshot.test>", timeoutMs: 3_000 }),
    log,
    now: () => MONDAY_0815,
    ...over,
  };
}

/** The PDF attachment's bytes: the base64 body of the application/pdf part. */
function attachment(raw: string): Buffer {
  const text = raw.replace(/\r\n/g, "\n");
  const start = text.search(/Content-Type: application\/pdf/i);
  expect(start).toBeGreaterThan(0);
  const body = text.slice(text.indexOf("\n\n", start) + 2);
  return Buffer.from(body.slice(0, body.indexOf("\n--")).replace(/\s+/g, ""), "base64");
}

const mailTo = (email: string) => mails.find((m) => m.to.includes(email));

describe("runWeeklyReports()", () => {
  test("runWeeklyReports() makes last week's report per brand and language and e-mails each manager theirs with the PDF", async () => {
    mails.length = 0;
    const result = await runWeeklyReports(deps());
    expect(result.week).toBe("2026-W47");
    // Lumio in pl, ru and en, <Acme> in en
    expect(result.produced).toHaveLength(4);
    expect(result.sent.map((s) => s.email).sort()).toEqual(["anna@lumio.test", "bob@lumio.test", "bob@lumio.test", "ivan@lumio.test"]);
    expect(result.failed).toEqual([]);
    expect(mails).toHaveLength(4);

    const anna = parseMime(mailTo("anna@lumio.test")!.raw);
    expect(anna.headers.get("subject")).toBe("[Earshot] Raport tygodniowy: Lumio, 2026-W47");
    expect(anna.headers.get("content-language")).toBe("pl");
    expect(anna.headers.get("to")).toBe("Anna Nowak <anna@lumio.test>");
    const text = findPart(anna, "text/plain")!.body;
    expect(text).toContain("Dzień dobry, Anna Nowak,");
    expect(text).toContain("oto raport tygodniowy marki Lumio (16–22 listopada 2026).");
    expect(text).toContain("Wzmianki: 11 (▲ +120% wobec 2026-W46)");
    expect(text).toContain("Incydenty: 2 · Mediana czasu do przyjęcia: 14 min");
    const pdf = await pdfText(attachment(mailTo("anna@lumio.test")!.raw));
    expect(pdf.text).toContain("Raport tygodniowy");
    expect(pdf.text).toMatch(/Sentyment netto -0,27/);

    const ivan = mailTo("ivan@lumio.test")!.raw;
    expect(parseMime(ivan).headers.get("subject")).toBe("[Earshot] Еженедельный отчёт: Lumio, 2026-W47");
    expect((await pdfText(attachment(ivan))).text).toContain("Еженедельный отчёт");
  });

  test("runWeeklyReports() escapes mention text and brand names in the HTML body", async () => {
    const bob = mails.filter((m) => m.to.includes("bob@lumio.test")).map((m) => parseMime(m.raw));
    const acme = bob.find((m) => (m.headers.get("subject") ?? "").includes("Acme"))!;
    const html = findPart(acme, "text/html")!.body;
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<Acme>");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;");
    expect(html).toContain("&lt;Acme&gt;");
    expect(findPart(acme, "text/plain")!.body).toContain(`“${HOSTILE_TEXT}”`);
  });

  test("runWeeklyReports() run again after a restart neither makes nor sends the week a second time", async () => {
    mails.length = 0;
    const again = await runWeeklyReports(deps({ now: () => MONDAY_0815 + 3_600_000 }));
    expect(again).toEqual({ week: "2026-W47", produced: [], sent: [], failed: [], alreadySent: 4 });
    expect(mails).toEqual([]);
  });

  test("runWeeklyReports() records a refused delivery as failed and delivers it on the next run", async () => {
    const week = { year: 2026, week: 46 };
    const one: Manager[] = [{ name: "Anna Nowak", email: "anna@lumio.test", lang: "pl", brands: ["Lumio"] }];
    refused.add("anna@lumio.test");
    mails.length = 0;
    const first = await runWeeklyReports(deps({ managers: one }), week);
    expect(first.produced).toHaveLength(1);
    expect(first.failed).toEqual([{ reportId: first.produced[0], email: "anna@lumio.test", error: expect.stringContaining("550") }]);
    refused.clear();
    const second = await runWeeklyReports(deps({ managers: one, now: () => MONDAY_0815 + 60_000 }), week);
    expect(second).toMatchObject({ produced: [], sent: [{ email: "anna@lumio.test" }], failed: [] });
    expect((await store.reportDeliveries(first.produced[0]!)).map((d) => d.status)).toEqual(["failed", "delivered"]);
    expect(mails).toHaveLength(1);
  });

  test("runWeeklyReports() without an SMTP relay still makes and keeps the reports, also of a quiet week", async () => {
    // W49 has no mention of Lumio, but Lumio was heard before it: a quiet week is worth reporting.
    const result = await runWeeklyReports(deps({ mailer: null, brands: ["Lumio"], managers: [] }), { year: 2026, week: 49 });
    expect(result.produced).toHaveLength(1);
    expect(result.sent).toEqual([]);
    const stored = await store.weeklyReport(result.produced[0]!);
    expect(stored).toMatchObject({ brand: "Lumio", week: "2026-W49", lang: "en", producedBy: "schedule", timeZone: ZONE });
    expect(stored!.pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
  });

  test("runWeeklyReports() makes no report of a week before the brand was first heard (a fresh installation)", async () => {
    const result = await runWeeklyReports(deps({ mailer: null, brands: ["Lumio"], managers: [] }), { year: 2026, week: 45 });
    expect(result.produced).toEqual([]);
    expect(await store.weeklyReports({ limit: 100 })).not.toContainEqual(expect.objectContaining({ week: "2026-W45" }));
  });
});

describe("startWeeklyReports()", () => {
  test("startWeeklyReports() runs the configured job with its relay and managers, catching up a missed Monday once", async () => {
    const { weekly } = reportsConfigSchema.parse({
      weekly: {
        timeZone: ZONE,
        managers: [{ name: "Zofia", email: "zofia@lumio.test", lang: "pl", brands: ["Lumio"] }],
        smtp: { host: "127.0.0.1", port, from: "Earshot <reports@earshot.test>", requireTLS: false },
      },
    });
    mails.length = 0;
    const schedule = startWeeklyReports({
      store,
      weekly,
      brands: ["Lumio"],
      defaultTimeZone: "UTC",
      channels: [],
      env: {},
      log,
      now: () => MONDAY_0815 + 7_200_000, // Monday 10:15 in Warsaw: this week's 08:00 has passed
    });
    try {
      // the catch-up run started at once; asking again joins it (or runs again and finds everything sent)
      const result = await schedule.runNow();
      expect(result?.week).toBe("2026-W47");
      expect(mails.filter((m) => m.to.includes("zofia@lumio.test"))).toHaveLength(1);
      expect((await schedule.runNow())?.alreadySent).toBe(1);
    } finally {
      await schedule.stop();
    }
  });
});
