import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { SilenceView } from "../../dashboard/protocol";
import { ADMIN_PASSWORD, ADMIN_USER, haveChromium, openBrowser, SHOTS, signIn, SKIP_REASON, startEarshot, type BrowserSession, type RunningEarshot } from "./e2e-support";

/**
 * The Silences panel end to end, as on-call staff use it: a responder mutes
 * the demo brand for planned maintenance (every problem type, and only its
 * outage notices), sees both listed, ends one early; the server's refusal is
 * shown in its own words; a viewer reads the list without the form or the
 * End-now buttons; a silence made through the API shows after a refresh.
 */

const RESPONDER = { username: "rita", password: "rita-password-1", role: "responder" };
const VIEWER = { username: "vera", password: "vera-password-1", role: "viewer" };
const HOUR_MS = 3_600_000;
/** User text with markup in it: the panel must show it as text. */
const REASON = "Planned maintenance <b>window</b> & CDN switch";

/** A JSON request from the signed-in page, as the dashboard itself makes it (cookie + CSRF header). */
async function apiCall(page: Page, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const res = await fetch(path, {
        method,
        headers: { "content-type": "application/json", "x-earshot-csrf": "1" },
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: "same-origin",
      });
      return { status: res.status, body: res.status === 204 ? null : ((await res.json()) as unknown) };
    },
    { method, path, body },
  );
}

describe.skipIf(!haveChromium)(`silences panel in Chromium (${SKIP_REASON})`, () => {
  let earshot: RunningEarshot;
  let session: BrowserSession;
  let page: Page;
  let viewer: Page;

  beforeAll(async () => {
    earshot = await startEarshot();
    session = await openBrowser();
    page = session.page;
    // The admin made at first start adds a responder and a viewer (through the API: the Users view has its
    // own test); the tests then work as the responder, signed in through the form.
    await page.goto(earshot.url);
    expect((await apiCall(page, "POST", "/api/session", { username: ADMIN_USER, password: ADMIN_PASSWORD })).status).toBe(204);
    for (const user of [RESPONDER, VIEWER]) expect((await apiCall(page, "POST", "/api/users", user)).status).toBe(201);
    expect((await apiCall(page, "DELETE", "/api/session")).status).toBe(204);
    await signIn(page, earshot.url, RESPONDER.username, RESPONDER.password);
  }, 90_000);

  afterAll(async () => {
    await session?.browser.close();
    await earshot?.stop();
  }, 60_000);

  const panelOf = (p: Page): Locator => p.getByTestId("silences-panel");
  const rowOf = (p: Page, brand: string, problem: string): Locator =>
    panelOf(p).locator(`[data-testid=silence][data-brand="${brand}"][data-problem="${problem}"]`);
  const text = async (l: Locator): Promise<string> => ((await l.textContent()) ?? "").trim();

  async function openForm(): Promise<Locator> {
    const form = panelOf(page).getByTestId("silence-form");
    if (!(await form.isVisible())) await panelOf(page).getByTestId("silence-new").locator("summary").click();
    await form.waitFor();
    return form;
  }

  test("a responder silences the brand, then only its outage notices, and sees both listed with who and why", async () => {
    const panel = panelOf(page);
    await panel.getByTestId("silences-empty").waitFor({ timeout: 15_000 });
    expect(await text(panel.getByTestId("silences-empty"))).toBe("No silences: every notice goes out.");

    // Planned maintenance: every problem type of Lumio, 4 hours.
    let form = await openForm();
    await form.getByLabel("Brand", { exact: true }).selectOption("Lumio");
    await form.getByLabel("Problem type", { exact: true }).selectOption({ label: "Every problem type" });
    await form.getByLabel("4 hours", { exact: true }).check();
    await form.getByLabel("Reason (optional)", { exact: true }).fill(REASON);
    await form.getByRole("button", { name: "Silence notices" }).click();

    const whole = rowOf(page, "Lumio", "");
    await whole.waitFor({ timeout: 15_000 });
    expect(await text(whole.getByTestId("silence-brand"))).toBe("Lumio");
    expect(await text(whole.getByTestId("silence-problem"))).toBe("Every problem type");
    expect(await text(whole.getByTestId("silence-by"))).toBe(RESPONDER.username);
    expect(await whole.getAttribute("data-state")).toBe("active");
    // The reason is shown as the text it is: no element made of it.
    expect(await text(whole.getByTestId("silence-reason"))).toBe(REASON);
    expect(await whole.getByTestId("silence-reason").locator("b").count()).toBe(0);
    // From now until four hours on, as <time> elements carrying the exact moments.
    const [from, until] = await whole.locator("time").evaluateAll((els) => els.map((e) => Date.parse(e.getAttribute("datetime") ?? "")));
    expect(Math.abs(until! - from! - 4 * HOUR_MS)).toBeLessThan(60_000);
    expect(await whole.getByTestId("silence-until").getAttribute("title")).toMatch(/\d{4}/);
    // Done: the form folds away, focus is back on what opens it, and a status line says what was made.
    expect(await form.isVisible()).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe("SUMMARY");
    expect(await text(panel.getByTestId("silences-done"))).toMatch(/^Notices silenced until .+: Lumio, Every problem type\.$/);

    // Only the outage notices of Lumio, 30 minutes, no reason.
    form = await openForm();
    await form.getByLabel("Brand", { exact: true }).selectOption("Lumio");
    await form.getByLabel("Problem type", { exact: true }).selectOption({ label: "Outage" });
    await form.getByLabel("30 minutes", { exact: true }).check();
    await form.getByRole("button", { name: "Silence notices" }).click();

    const outage = rowOf(page, "Lumio", "outage");
    await outage.waitFor({ timeout: 15_000 });
    expect(await text(outage.getByTestId("silence-problem"))).toBe("Outage");
    expect(await outage.getByTestId("silence-reason").count()).toBe(0);
    // Soonest end first, and the count in the heading.
    expect(await panel.getByTestId("silence").evaluateAll((els) => els.map((e) => e.getAttribute("data-problem")))).toEqual(["outage", ""]);
    expect(await text(panel.getByTestId("silences-summary"))).toBe("Active: 2 · upcoming: 0");

    // What the server stored is what the panel shows.
    const stored = (await apiCall(page, "GET", "/api/silences")).body as SilenceView[];
    expect(stored.map((s) => [s.brand, s.problem, s.createdBy, s.reason])).toEqual([
      ["Lumio", "outage", RESPONDER.username, ""],
      ["Lumio", null, RESPONDER.username, REASON],
    ]);
    await panel.screenshot({ path: `${SHOTS}/silences-panel.png` });
  }, 60_000);

  test("a responder ends the outage silence now and it leaves the list", async () => {
    const outage = rowOf(page, "Lumio", "outage");
    const id = (await outage.getAttribute("data-id"))!;
    await outage.getByRole("button", { name: "End now" }).click();
    await outage.waitFor({ state: "detached", timeout: 15_000 });
    const done = panelOf(page).getByTestId("silences-done");
    expect(await text(done)).toBe("Silence ended (Lumio, Outage): its notices go out again.");
    // Its button went with the row: focus is on the line that says so.
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("silences-done");
    const left = (await apiCall(page, "GET", "/api/silences")).body as SilenceView[];
    expect(left.map((s) => s.id)).not.toContain(id);
    expect(left).toHaveLength(1);
    await expect.poll(() => panelOf(page).getByTestId("silence").count(), { timeout: 15_000 }).toBe(1);
  }, 30_000);

  test("a silence the server refuses shows the server's reason, and one ending in the past is caught before sending", async () => {
    const form = await openForm();
    await form.getByLabel("Until a set time", { exact: true }).check();
    const end = form.getByLabel("End", { exact: true });
    // Longer than the 90 days the server allows: only the server knows that rule.
    await end.fill(`${new Date().getUTCFullYear() + 2}-01-01T10:00`);
    await form.getByRole("button", { name: "Silence notices" }).click();
    const error = form.getByTestId("silence-form-error");
    await error.waitFor({ timeout: 15_000 });
    expect(await error.getAttribute("role")).toBe("alert");
    expect(await text(error)).toBe("The server refused the silence: a silence may last at most 90 days");
    // The form stays open with focus on its button, to fix and try again.
    expect(await form.isVisible()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.getAttribute("type"))).toBe("submit");

    await end.fill("2020-01-01T10:00");
    await form.getByRole("button", { name: "Silence notices" }).click();
    await expect.poll(() => text(error), { timeout: 10_000 }).toBe("Choose an end in the future.");
    expect(await panelOf(page).getByTestId("silence").count()).toBe(1);
    await panelOf(page).screenshot({ path: `${SHOTS}/silences-refused.png` });
  }, 30_000);

  test("a viewer reads the silences without the form or End-now buttons", async () => {
    const viewerContext = await session.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-GB" });
    viewer = await viewerContext.newPage();
    await signIn(viewer, earshot.url, VIEWER.username, VIEWER.password);
    const row = rowOf(viewer, "Lumio", "");
    await row.waitFor({ timeout: 15_000 });
    expect(await text(row.getByTestId("silence-reason"))).toBe(REASON);
    expect(await text(row.getByTestId("silence-by"))).toBe(RESPONDER.username);
    const panel = panelOf(viewer);
    expect(await panel.getByTestId("silence-new").count()).toBe(0);
    expect(await panel.getByTestId("silence-form").count()).toBe(0);
    expect(await panel.getByRole("button").count()).toBe(0);
    expect(await text(panel.getByTestId("silences-viewer-note"))).toBe("Making or ending silences needs the responder role.");
    // The server says the same: a viewer cannot end it.
    const id = (await row.getAttribute("data-id"))!;
    expect((await apiCall(viewer, "POST", `/api/silences/${encodeURIComponent(id)}/expire`)).status).toBe(403);
  }, 60_000);

  test("a silence made through the API shows in the panel after a refresh", async () => {
    const now = Date.now();
    const made = await apiCall(page, "POST", "/api/silences", {
      brand: null,
      problem: "delivery",
      startsAt: now + HOUR_MS,
      endsAt: now + 3 * HOUR_MS,
      reason: "Courier API migration",
    });
    expect(made.status).toBe(201);
    await viewer.reload();
    const row = rowOf(viewer, "", "delivery");
    await row.waitFor({ timeout: 15_000 });
    expect(await text(row.getByTestId("silence-brand"))).toBe("Every brand");
    expect(await text(row.getByTestId("silence-problem"))).toBe("Delivery");
    expect(await row.getAttribute("data-state")).toBe("upcoming");
    expect(await text(row.locator(".badge"))).toBe("Upcoming");
    expect(await text(row.getByTestId("silence-reason"))).toBe("Courier API migration");
    expect(await text(panelOf(viewer).getByTestId("silences-summary"))).toBe("Active: 1 · upcoming: 1");
    await panelOf(viewer).screenshot({ path: `${SHOTS}/silences-viewer.png` });
  }, 30_000);
});
