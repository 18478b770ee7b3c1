import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ADMIN_USER, haveChromium, openBrowser, SHOTS, signIn, SKIP_REASON, startEarshot, type RunningEarshot } from "./e2e-support";

/**
 * The live stream and the mention workflow in a real Chromium against Earshot
 * started from the CLI with the demo source: filters (every row shown
 * matches), a mention's status and assignee surviving a reload, and markup in
 * a mention shown as text.
 */
const XSS = "<img src=x onerror=alert(1)>";

describe.skipIf(!haveChromium)(`live stream in Chromium (${SKIP_REASON})`, () => {
  let earshot: RunningEarshot;
  let browser: Browser;
  let page: Page;
  let dialogs: string[] = [];

  beforeAll(async () => {
    earshot = await startEarshot();
    ({ browser, page, dialogs } = await openBrowser());
    await signIn(page, earshot.url);
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=mention]").length > 5, undefined, { timeout: 30_000 });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await earshot?.stop();
  }, 30_000);

  /** The values of one attribute over every row shown now. */
  const rowValues = (attribute: string) =>
    page.getByTestId("mention").evaluateAll((rows, name) => rows.map((r) => r.getAttribute(name)), attribute);

  test("filtering by language shows only mentions in that language, live rows and loaded pages alike", async () => {
    await page.getByTestId("filter-language").selectOption("ru");
    await expect.poll(async () => (await rowValues("data-lang")).length, { timeout: 15_000 }).toBeGreaterThan(0);
    await page.waitForTimeout(500); // let live frames and the server page land
    const langs = await rowValues("data-lang");
    expect(new Set(langs)).toEqual(new Set(["ru"]));
    await page.screenshot({ path: `${SHOTS}/stream-filter-ru.png` });
    await page.getByTestId("filter-language").selectOption("");
  }, 30_000);

  test("filtering by sentiment shows only mentions with that label", async () => {
    await page.getByTestId("filter-sentiment").selectOption("negative");
    await expect.poll(async () => (await rowValues("data-sentiment")).length, { timeout: 15_000 }).toBeGreaterThan(0);
    await page.waitForTimeout(500);
    expect(new Set(await rowValues("data-sentiment"))).toEqual(new Set(["negative"]));
    const labels = await page.getByTestId("mention").getByTestId("sentiment").evaluateAll((els) => els.map((e) => e.getAttribute("data-label")));
    expect(new Set(labels)).toEqual(new Set(["negative"]));
    await page.getByTestId("filter-sentiment").selectOption("");
  }, 30_000);

  test("a mention's status and assignee are saved and still there after a reload", async () => {
    await page.getByRole("button", { name: "Pause" }).click();
    const row = page.getByTestId("mention").first();
    const id = (await row.getAttribute("data-id"))!;
    const target = page.locator(`[data-testid=mention][data-id="${id.replace(/"/g, '\\"')}"]`);
    await target.getByTestId("workflow-status").selectOption("in-progress");
    await expect.poll(() => target.getByTestId("mention-workflow").getAttribute("data-status"), { timeout: 10_000 }).toBe("in-progress");
    await target.getByTestId("workflow-open").click();
    await target.getByTestId("workflow-assignee-input").fill(ADMIN_USER);
    await target.getByTestId("workflow-tags-input").fill("vip, prasa");
    await target.getByTestId("workflow-save").click();
    await expect.poll(() => target.getByTestId("workflow-assignee").textContent(), { timeout: 10_000 }).toContain(ADMIN_USER);
    await page.screenshot({ path: `${SHOTS}/stream-workflow.png` });

    await page.reload();
    await page.getByTestId("stream").waitFor({ timeout: 15_000 });
    await expect.poll(() => page.getByTestId("mention").count(), { timeout: 15_000 }).toBeGreaterThan(0);
    // The demo keeps posting: walk back through older pages until the row is shown.
    for (let i = 0; i < 10 && (await target.count()) === 0; i++) {
      const older = page.getByTestId("stream-older");
      if ((await older.count()) === 0) break;
      await older.click();
      await page.waitForTimeout(300);
    }
    await expect.poll(() => target.getByTestId("mention-workflow").getAttribute("data-status"), { timeout: 10_000 }).toBe("in-progress");
    expect(await target.getByTestId("workflow-assignee").textContent()).toContain(ADMIN_USER);
    expect(await target.getByTestId("mention-workflow").textContent()).toContain("prasa");
  }, 45_000);

  test("a mention whose text is markup is found by search and shown as text, never run", async () => {
    await page.getByTestId("filter-search").fill("onerror");
    const texts = () => page.getByTestId("mention-text").allTextContents();
    await expect.poll(async () => (await texts()).some((t) => t.includes(XSS)), { timeout: 40_000 }).toBe(true);
    expect(await page.locator("[data-testid=stream] img").count()).toBe(0);
    expect(dialogs).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/stream-markup-as-text.png` });
  }, 50_000);

  test("high priority first lists high, then normal, then low", async () => {
    await page.getByTestId("filter-search").fill("");
    await page.getByTestId("stream-priority-first").check();
    await page.waitForTimeout(300);
    const rank = { high: 0, normal: 1, low: 2 } as const;
    const ranks = (await rowValues("data-priority")).map((p) => rank[p as keyof typeof rank]);
    expect(ranks.length).toBeGreaterThan(0);
    expect(ranks).toEqual([...ranks].sort((x, y) => x - y));
    await page.getByTestId("stream-priority-first").uncheck();
  }, 20_000);

  test("the stream fits a phone screen", async () => {
    await page.getByTestId("filter-search").fill("");
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(300);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.getByTestId("stream").scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/stream-phone.png` });
  }, 20_000);
});
