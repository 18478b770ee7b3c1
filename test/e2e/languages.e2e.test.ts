import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { VIEWS } from "../../dashboard/web/lib/view-route";
import { haveChromium, openBrowser, SHOTS, signIn, SKIP_REASON, startEarshot, type RunningEarshot } from "./e2e-support";

/**
 * Every view in Polish and in Russian, as the admin sees it (all views, all
 * action buttons): a message key with no translation renders as "[area.key]"
 * (dashboard/web/lib/messages.ts), so any such text on the page fails here.
 */
const MISSING_KEY = /\[[a-z][\w-]*\.[\w.-]+\]/;
const NAV_LABEL = { pl: "Widoki", ru: "Разделы" } as const;

describe.skipIf(!haveChromium)(`every view in Polish and Russian (${SKIP_REASON})`, () => {
  let earshot: RunningEarshot;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    earshot = await startEarshot();
    ({ browser, page } = await openBrowser());
    await signIn(page, earshot.url);
    await page.locator("[data-testid=mention] >> nth=3").waitFor({ timeout: 30_000 });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await earshot?.stop();
  }, 60_000);

  for (const lang of ["pl", "ru"] as const) {
    test(`every view in ${lang} shows no untranslated message`, async () => {
      await page.getByTestId("language-select").first().selectOption(lang);
      await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(lang);
      expect(await page.getByTestId("view-nav").getAttribute("aria-label")).toBe(NAV_LABEL[lang]);
      for (const view of VIEWS) {
        await page.getByTestId("view-nav").locator(`a[data-view="${view}"]`).click();
        await expect.poll(() => page.evaluate(() => window.location.hash)).toBe(`#/${view}`);
        // Let the view load its data (lists, charts) before reading it.
        await page.waitForLoadState("networkidle", { timeout: 3_000 }).catch(() => {});
        const text = (await page.locator("body").innerText()) ?? "";
        expect(text, `${lang} #/${view}`).not.toMatch(MISSING_KEY);
        await page.screenshot({ path: `${SHOTS}/view-${view}-${lang}.png`, fullPage: true });
      }
    }, 60_000);
  }
});
