import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { haveChromium, openBrowser, SHOTS, signIn, SKIP_REASON, startEarshot, type RunningEarshot } from "./e2e-support";

/**
 * The overview end to end: Earshot started with the demo source, a real
 * Chromium signed in, the overview drawn by uPlot from GET /api/overview and
 * kept current from the live feed without rebuilding the chart, the range
 * switched, and the page at a laptop's and a phone's size.
 */
describe.skipIf(!haveChromium)(`overview in Chromium (${SKIP_REASON})`, () => {
  let earshot: RunningEarshot;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    earshot = await startEarshot();
    ({ browser, page } = await openBrowser());
    await signIn(page, earshot.url);
    // Let the demo deliver a few mentions first, so the overview has something to count.
    const deadline = Date.now() + 60_000;
    while ((await page.getByTestId("mention").count()) < 6) {
      if (Date.now() > deadline) throw new Error(`the demo delivered no mentions in 60 s:\n${earshot.output()}`);
      await page.waitForTimeout(250);
    }
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await earshot?.stop();
  }, 60_000);

  test("the overview shows the brand's chart on a canvas, its figures and breakdowns", async () => {
    await page.getByTestId("view-nav").locator('a[data-view="overview"]').click();
    await page.locator("[data-testid=overview-chart][data-range=hour] canvas").first().waitFor({ timeout: 15_000 });
    // The demo replays its recorded hours first, stamped hours back: the day holds them, the last hour not yet.
    await page.getByTestId("overview-ranges").locator('button[data-range="day"]').click();
    const chart = page.locator("[data-testid=overview-chart][data-range=day]");
    await chart.locator("canvas").first().waitFor({ timeout: 15_000 });
    expect(Number((await page.getByTestId("overview-total").textContent())?.replace(/\D/g, ""))).toBeGreaterThan(0);
    expect(await page.getByTestId("overview-net").textContent()).toMatch(/\d/);
    expect(await page.getByTestId("overview-sources").getByTestId("breakdown-row").first().getAttribute("data-value")).toBe("demo");
    expect(await page.getByTestId("overview-languages").getByTestId("breakdown-row").count()).toBeGreaterThan(0);
    expect(await page.getByTestId("overview-authors").count()).toBe(1);
    // The canvas is hidden from screen readers; the chart's text alternative names the figures.
    expect(await chart.locator("[role=img]").getAttribute("aria-label")).toMatch(/\d/);
    await page.screenshot({ path: `${SHOTS}/overview-laptop.png`, fullPage: true });
  }, 40_000);

  test("live minute counts update the chart in place, without a new canvas", async () => {
    const chart = page.getByTestId("overview-chart");
    const before = await page.getByTestId("overview-summary").textContent();
    await page.evaluate(() => {
      (window as unknown as { __chartCanvas: Element | null }).__chartCanvas = document.querySelector("[data-testid=overview-chart] canvas");
    });
    await expect.poll(() => page.getByTestId("overview-summary").textContent(), { timeout: 30_000 }).not.toBe(before);
    expect(
      await page.evaluate(
        () =>
          (window as unknown as { __chartCanvas: Element | null }).__chartCanvas ===
          document.querySelector("[data-testid=overview-chart] canvas"),
      ),
    ).toBe(true);
    expect(await chart.locator("canvas").count()).toBeGreaterThan(0);
  }, 40_000);

  test("switching the range to the week and back to the hour redraws the chart with that range", async () => {
    for (const range of ["week", "hour"] as const) {
      await page.getByTestId("overview-ranges").locator(`button[data-range="${range}"]`).click();
      const chart = page.locator(`[data-testid=overview-chart][data-range="${range}"]`);
      await chart.locator("canvas").first().waitFor({ timeout: 15_000 });
      expect(await page.getByTestId("overview-ranges").locator(`button[data-range="${range}"]`).getAttribute("aria-pressed")).toBe("true");
      if (range === "week") {
        expect(Number((await page.getByTestId("overview-total").textContent())?.replace(/\D/g, ""))).toBeGreaterThan(0);
        // The figures behind the chart, as a table for screen readers and exact reading.
        await page.getByTestId("chart-table").locator("summary").click();
        expect(await page.getByTestId("chart-table").locator("tbody tr").count()).toBeGreaterThan(0);
      }
    }
  }, 40_000);

  test("the overview fits a phone's screen", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByTestId("overview-ranges").locator('button[data-range="day"]').click();
    await page.locator("[data-testid=overview-chart][data-range=day] canvas").first().waitFor({ timeout: 15_000 });
    // Nothing wider than the screen: no sideways scrolling of the page.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${SHOTS}/overview-phone.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
  }, 30_000);
});
