import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { haveChromium, openBrowser, SHOTS, signIn, SKIP_REASON, startEarshot, type BrowserSession, type RunningEarshot } from "./e2e-support";

/**
 * Users and roles end to end: the admin made at first start adds a viewer in
 * the Users view; the viewer signs in and sees incidents without the
 * Acknowledge button the admin has; a language a user chose comes back when
 * they sign in again from a fresh browser (nothing in its localStorage).
 */

const VIEWER = { username: "vera", password: "vera-password-1" };

describe.skipIf(!haveChromium)(`users and roles in Chromium (${SKIP_REASON})`, () => {
  let earshot: RunningEarshot;
  let admin: BrowserSession;
  const opened: Browser[] = [];

  beforeAll(async () => {
    earshot = await startEarshot({ config: { sources: [{ kind: "demo", speed: 3 }] } });
    admin = await openBrowser();
    opened.push(admin.browser);
  }, 90_000);

  afterAll(async () => {
    for (const browser of opened) await browser.close();
    await earshot?.stop();
  });

  async function freshBrowser(): Promise<Page> {
    const session = await openBrowser();
    opened.push(session.browser);
    return session.page;
  }

  test("the first start names the admin made from the environment", () => {
    expect(earshot.output()).toContain(`Sign in as "pr-team"`);
    expect(earshot.output()).toContain("EARSHOT_ADMIN_PASSWORD");
  });

  test("an admin adds a viewer in the Users view", async () => {
    const page = admin.page;
    await signIn(page, earshot.url);
    await expect.poll(() => page.getByTestId("signed-in-role").textContent()).toBe("Admin");
    await page.getByTestId("view-nav").getByRole("link", { name: "Users" }).click();
    const view = page.getByTestId("users-view");
    await view.waitFor();
    const form = page.getByTestId("add-user-form");
    await form.getByLabel("Username").fill(VIEWER.username);
    await form.getByLabel("Role").selectOption("viewer");
    await form.getByLabel("Password").fill(VIEWER.password);
    await form.getByRole("button", { name: "Add user" }).click();
    const row = page.locator(`[data-testid=user-row][data-username="${VIEWER.username}"]`);
    await row.waitFor();
    expect(await row.getByLabel(`Role of ${VIEWER.username}`).inputValue()).toBe("viewer");
    expect(await page.getByTestId("users-done").textContent()).toContain("vera was added.");
    await page.screenshot({ path: `${SHOTS}/users-view.png`, fullPage: true });
    await page.getByTestId("view-nav").getByRole("link", { name: "Live" }).click();
  }, 60_000);

  test("the viewer sees the firing incident without the Acknowledge button the admin has", async () => {
    const page = await freshBrowser();
    await signIn(page, earshot.url, VIEWER.username, VIEWER.password);
    expect(await page.getByTestId("signed-in-role").textContent()).toBe("Viewer");
    expect(await page.getByTestId("read-only-note").isVisible()).toBe(true);
    // No Users view for a viewer.
    expect(await page.getByTestId("view-nav").getByRole("link", { name: "Users" }).count()).toBe(0);

    const firing = page.locator('[data-testid=incident][data-state="firing"]').first();
    await firing.waitFor({ timeout: 75_000 });
    const key = (await firing.getAttribute("data-key"))!;
    expect(await firing.getByTestId("acknowledge").count()).toBe(0);
    // The same incident, on the admin's screen, has the button.
    const adminCard = admin.page.locator(`[data-testid=incident][data-key="${key}"]`);
    await expect.poll(() => adminCard.getByTestId("acknowledge").count(), { timeout: 15_000 }).toBe(1);
    await page.screenshot({ path: `${SHOTS}/users-viewer-read-only.png` });
  }, 90_000);

  test("a language and time zone the user chose are back after signing in from a fresh browser", async () => {
    const first = await freshBrowser();
    await signIn(first, earshot.url, VIEWER.username, VIEWER.password);
    await first.getByTestId("language-select").first().selectOption("pl");
    await expect.poll(() => first.getByTestId("signed-in-role").textContent()).toBe("Obserwator");
    await first.getByTestId("time-zone-select").selectOption("Asia/Tokyo");
    // Saved on the server before this browser is left.
    await expect
      .poll(() => first.evaluate(async () => (await (await fetch("/api/me")).json()) as { lang: string | null; timeZone: string | null }), { timeout: 15_000 })
      .toMatchObject({ lang: "pl", timeZone: "Asia/Tokyo" });
    // Dates follow the chosen zone (the browser's own is UTC here).
    const firstTime = first.getByTestId("stream").locator("time").first();
    await expect.poll(() => firstTime.getAttribute("title"), { timeout: 15_000 }).toContain("GMT+9");

    const second = await freshBrowser();
    await second.goto(earshot.url);
    // Before signing in, a fresh browser speaks its own language (English here).
    await second.getByRole("button", { name: "Sign in" }).waitFor();
    await second.getByLabel("Username").fill(VIEWER.username);
    await second.getByLabel("Password").fill(VIEWER.password);
    await second.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => second.getByTestId("signed-in-role").textContent(), { timeout: 15_000 }).toBe("Obserwator");
    expect(await second.evaluate(() => document.documentElement.lang)).toBe("pl");
    expect(await second.getByTestId("time-zone-select").inputValue()).toBe("Asia/Tokyo");
    await expect.poll(() => second.getByTestId("stream").locator("time").first().getAttribute("title"), { timeout: 15_000 }).toContain("GMT+9");
    await second.screenshot({ path: `${SHOTS}/users-language-remembered.png` });
  }, 60_000); // two browsers and up to five 15-second waits: 20 s is too tight on a busy 2-core runner
});
