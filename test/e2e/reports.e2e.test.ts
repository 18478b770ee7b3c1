import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { formatIsoWeek, weekOf } from "../../pipeline/reports/iso-week";
import { pdfText } from "../pipeline/reports/support/pdf-text";
import { haveChromium, openBrowser, SHOTS, signIn, SKIP_REASON, startEarshot, type RunningEarshot } from "./e2e-support";

/**
 * The weekly report end to end: Earshot started with the demo source, a real
 * Chromium signed in as the admin, a report of this week made from the
 * Reports view, listed, its figures shown in the page, and its PDF downloaded
 * through the link, as a manager would.
 */
describe.skipIf(!haveChromium)(`reports in Chromium (${SKIP_REASON})`, () => {
  let earshot: RunningEarshot;
  let browser: Browser;
  let page: Page;
  // the server and the browser run on this machine's clock and zone, as the report does by default
  const thisWeek = formatIsoWeek(weekOf(Date.now(), Intl.DateTimeFormat().resolvedOptions().timeZone));

  beforeAll(async () => {
    earshot = await startEarshot();
    ({ browser, page } = await openBrowser());
    await signIn(page, earshot.url);
    // Let the demo deliver (and the writer store) a few mentions first, so the week has something to count.
    await page.locator("[data-testid=mention] >> nth=5").waitFor({ timeout: 30_000 });
    await page.waitForTimeout(1_500);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await earshot?.stop();
  }, 60_000);

  test("the Reports view makes this week's report, lists it and shows its figures", async () => {
    await page.getByTestId("view-nav").locator('a[data-view="reports"]').click();
    await page.getByTestId("reports-empty").waitFor({ timeout: 15_000 });
    const form = page.getByTestId("report-make");
    await form.getByLabel("Week").fill(thisWeek);
    await form.getByLabel("Report language").selectOption("pl");
    await form.getByRole("button", { name: "Make report" }).click();
    await expect.poll(() => page.getByTestId("report-make-outcome").textContent(), { timeout: 20_000 }).toContain(`week ${thisWeek} is ready`);
    const item = page.getByTestId("report-item");
    // The list reloads after the outcome shows.
    await expect.poll(() => item.count(), { timeout: 10_000 }).toBe(1);
    expect(await item.first().textContent()).toContain(`Lumio, week ${thisWeek} · Polski`);
    const figures = page.getByTestId("report-figures");
    await figures.waitFor({ timeout: 10_000 });
    expect(await figures.locator("h3").textContent()).toBe(`Lumio, week ${thisWeek}`);
    const mentions = Number((await figures.getByTestId("report-trend").first().locator(".value").textContent())?.replace(/\D/g, ""));
    expect(mentions).toBeGreaterThan(0);
    expect(await figures.getByTestId("report-daily").locator("g[role=img]").count()).toBe(7);
    await page.screenshot({ path: `${SHOTS}/reports-laptop.png`, fullPage: true });
  }, 60_000);

  test("the download link returns the stored PDF as an attachment", async () => {
    const link = page.getByTestId("report-download").first();
    const href = await link.getAttribute("href");
    expect(href).toMatch(/^\/api\/reports\/\d{4}-W\d{2}-pl-[0-9a-f]{12}\.pdf$/);
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    expect(download.suggestedFilename()).toBe(`earshot-lumio-${thisWeek}-pl.pdf`);
    const bytes = readFileSync((await download.path())!);
    expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const text = (await pdfText(bytes)).text;
    expect(text).toContain("Raport tygodniowy");
    expect(text).toContain(`Lumio · tydzień ${thisWeek}`);
    // the same bytes over the API, with the session cookie the browser holds
    const reply = await page.request.get(`${earshot.url}${href}`);
    expect(reply.status()).toBe(200);
    expect(reply.headers()["content-type"]).toBe("application/pdf");
    expect(reply.headers()["content-disposition"]).toMatch(/^attachment; /);
    expect(Buffer.compare(await reply.body(), bytes)).toBe(0);
  }, 40_000);

  test("the Reports view in Polish and Russian has no untranslated strings", async () => {
    for (const [lang, heading] of [["pl", "Raporty tygodniowe"], ["ru", "Еженедельные отчёты"]] as const) {
      await page.getByTestId("language-select").first().selectOption(lang);
      await expect.poll(() => page.getByTestId("reports-view").locator("h2").textContent()).toBe(heading);
      const body = (await page.getByTestId("reports-view").textContent()) ?? "";
      expect(body).not.toMatch(/\[[a-z]+\.[\w.]+\]/);
      await page.screenshot({ path: `${SHOTS}/reports-${lang}.png`, fullPage: true });
    }
    await page.getByTestId("language-select").first().selectOption("en");
  }, 40_000);

  test("the Reports view fits a phone's screen", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByTestId("report-figures").waitFor();
    // nothing wider than the screen: no sideways scrolling of the page
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${SHOTS}/reports-phone.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
  }, 30_000);
});
