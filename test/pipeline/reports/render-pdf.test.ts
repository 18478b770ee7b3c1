import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseIsoWeek } from "../../../pipeline/reports/iso-week";
import { produceWeeklyReport } from "../../../pipeline/reports/produce-report";
import { renderWeeklyPdf } from "../../../pipeline/reports/render-pdf";
import type { ReportLang } from "../../../pipeline/reports/report-labels";
import { openStore } from "../../../pipeline/store/open-store";
import type { Store } from "../../../pipeline/store/store";
import { freshDatabase } from "../../contracts/store.contract";
import { tempDirs } from "../../support/temp-dir";
import { pdfText } from "./support/pdf-text";
import { seedWeek, WEEK, ZONE } from "./support/seed-week";

const dirs = tempDirs();
let store: Store;
const texts = new Map<ReportLang, string>();
const PRODUCED_AT = Date.parse("2026-11-23T07:00:00Z"); // Monday 08:00 in Warsaw

beforeAll(async () => {
  store = await openStore({ kind: "embedded", dataDir: dirs.make("earshot-report-pdf-"), database: freshDatabase() });
  await seedWeek(store);
  for (const lang of ["en", "pl", "ru"] as const) {
    const { stored } = await produceWeeklyReport(store, {
      brand: "Lumio",
      week: parseIsoWeek(WEEK)!,
      lang,
      timeZone: ZONE,
      producedBy: "test",
      now: () => PRODUCED_AT,
    });
    expect(stored.pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    texts.set(lang, (await pdfText(stored.pdf)).text);
  }
});
afterAll(() => store.close());

describe("renderWeeklyPdf()", () => {
  test("renderWeeklyPdf() prints the week's figures with their week-over-week change in English", () => {
    const text = texts.get("en")!;
    expect(text).toContain("Weekly report");
    expect(text).toContain("Lumio · week 2026-W47 · 16 – 22 November 2026");
    expect(text).toContain("Produced 23 Nov, 08:00 · times in Europe/Warsaw");
    expect(text).toMatch(/Mentions 11 ▲ \+120% vs 2026-W46/);
    expect(text).toMatch(/Net sentiment -0\.27 ▼ -47\.3 pp vs 2026-W46/);
    expect(text).toMatch(/Negative share 54\.5% ▲ \+34\.5 pp vs 2026-W46/);
    expect(text).toContain("Outage 5 0 ▲ +5");
    expect(text).toContain("Price 0 1 ▼ -1");
    expect(text).toContain("reddit 10 6");
    expect(text).toContain("Piotr Żak (@piotr) reddit 20,000 1");
    expect(text).toMatch(/17 Nov, 10:00 critical 34 14 min(s)? 2 hr(s)?/);
    expect(text).toMatch(/22 Nov, 20:00 warning 7 not acknowledged still open/);
    expect(text).toContain("posted 3×");
    expect(text).toContain("“Люмио — отличный сервис, спасибо!”");
    expect(text).toContain("No post was repeated this week");
  });

  test("renderWeeklyPdf() writes a Polish report whose Polish letters come back out of the PDF", () => {
    const text = texts.get("pl")!;
    expect(text).toContain("Raport tygodniowy");
    expect(text).toContain("Lumio · tydzień 2026-W47 · 16–22 listopada 2026");
    expect(text).toMatch(/Wzmianki 11 ▲ \+120% wobec 2026-W46/);
    expect(text).toMatch(/Sentyment netto -0,27 ▼ -47,3 p\.p\. wobec 2026-W46/);
    expect(text).toMatch(/Udział negatywnych 54,5% ▲ \+34,5 p\.p\./);
    expect(text).toContain("Awaria 5 0 ▲ +5");
    expect(text).toContain("Świetna obsługa, polecam Lumio");
    expect(text).toContain("Piotr Żak (@piotr) reddit 20 000 1");
    expect(text).toContain("nieprzyjęty wciąż otwarty");
    expect(text).toContain("pon., 16");
  });

  test("renderWeeklyPdf() writes a Russian report in Cyrillic with Russian number formats", () => {
    const text = texts.get("ru")!;
    expect(text).toContain("Еженедельный отчёт");
    expect(text).toContain("Lumio · неделя 2026-W47 · 16–22 ноября 2026 г.");
    expect(text).toMatch(/Упоминания 11 ▲ \+120 % к 2026-W46/);
    expect(text).toMatch(/Чистая тональность -0,27 ▼ -47,3 п\.п\. к 2026-W46/);
    expect(text).toMatch(/Доля негативных 54,5 % ▲ \+34,5 п\.п\./);
    expect(text).toContain("Сбой 5 0 ▲ +5");
    expect(text).toContain("не принят ещё открыт");
    expect(text).toContain("Иван (@ivan) vk 5 000 1");
  });

  test("renderWeeklyPdf() strips control characters and clips a very long quote", async () => {
    const figures = JSON.parse((await store.weeklyReport((await store.weeklyReports({ limit: 10 }))[0]!.id))!.figures);
    figures.quotes.negative.items = [
      { text: `Zły\u0000 tekst\u202E odwrócony\u0007 ${"bardzo długi ".repeat(200)}KONIEC`, copies: 2, reach: 5, authorHandle: "x\u0008y", source: "rss", url: "", lang: "pl", publishedAt: figures.from },
    ];
    const text = (await pdfText(await renderWeeklyPdf(figures, { lang: "pl", producedAt: PRODUCED_AT }))).text;
    expect(text).toContain("“Zły tekst odwrócony bardzo długi");
    expect(text).toContain("@xy");
    expect(text).not.toContain("KONIEC");
    expect(text).toMatch(/ ba…” @xy/);
    expect(text).not.toMatch(/[\u0000-\u0008\u202E]/);
  });
});
