import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ADMIN_USER, haveChromium, openBrowser, SHOTS, signIn, SKIP_REASON, startEarshot, type RunningEarshot } from "./e2e-support";

/**
 * The PR team works an incident in the browser: the demo outage opens one,
 * a responder opens its details, sees its signals, ticks a playbook item
 * (stored for everyone, with who ticked it) and acknowledges it there.
 */
describe.skipIf(!haveChromium)(`incident details in Chromium (${SKIP_REASON})`, () => {
  let earshot: RunningEarshot;
  let browser: Browser;
  let page: Page;
  let slack: Server;

  beforeAll(async () => {
    // A faster replay of the recorded crisis, so the outage fires sooner; the
    // incident keeps firing long after it (in event time), so it is still
    // open when the test acknowledges it.
    // The PR room's Slack webhook is down (a local server answering 500), so the
    // alert channels panel has a failing channel to show.
    slack = createServer((req, res) => {
      req.resume();
      req.on("end", () => res.writeHead(500, { "content-type": "text/plain" }).end("internal_error"));
    });
    await new Promise<void>((r) => slack.listen(0, "127.0.0.1", r));
    const hook = `http://127.0.0.1:${(slack.address() as AddressInfo).port}/services/T0/B0/x`;
    earshot = await startEarshot({
      config: {
        sources: [{ kind: "demo", speed: 4 }],
        spikes: { keepFiringMinutes: 1_440 },
        alerts: { channels: [{ channel: "slack", name: "PR room" }] },
        http: { allowPrivateNetworks: true },
      },
      env: { EARSHOT_SLACK_WEBHOOK_URL: hook },
    });
    ({ browser, page } = await openBrowser());
    await signIn(page, earshot.url);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await earshot?.stop();
    await new Promise((r) => slack?.close(r));
  }, 60_000);

  test("a responder opens an incident, ticks a playbook item and acknowledges it from the details", async () => {
    const firing = page.locator('[data-testid=incident][data-state="firing"]').first();
    await firing.waitFor({ timeout: 60_000 });
    const key = (await firing.getAttribute("data-key"))!;
    const card = page.locator(`[data-testid=incident][data-key="${key}"]`);
    await card.getByTestId("incident-details").locator("summary").click();
    const detail = card.getByTestId("incident-detail");
    await detail.getByTestId("playbook-checklist").waitFor({ timeout: 15_000 });
    await detail.getByTestId("incident-signals").waitFor();

    // Tick the first item of the checklist: it shows who ticked it.
    const item = detail.getByTestId("playbook-item").first();
    await item.getByRole("checkbox").check();
    await expect.poll(() => item.getAttribute("data-checked"), { timeout: 10_000 }).toBe("true");
    expect(await item.getByTestId("playbook-item-by").textContent()).toContain(ADMIN_USER);
    expect(await detail.getByTestId("playbook-progress").textContent()).toMatch(/^\s*1 of \d+ done\s*$/);

    await detail.getByTestId("detail-acknowledge").click();
    await page.locator(`[data-testid=incident][data-key="${key}"][data-state="acknowledged"]`).waitFor({ timeout: 15_000 });
    // The timeline shows who did what: the tick and the acknowledgement, by the signed-in user.
    const timeline = async () => (await detail.getByTestId("incident-timeline").textContent()) ?? "";
    await expect.poll(timeline, { timeout: 20_000 }).toContain("Checklist item ticked");
    await expect.poll(timeline, { timeout: 20_000 }).toContain("Acknowledged");
    expect(await timeline()).toContain(ADMIN_USER);
    await card.screenshot({ path: `${SHOTS}/incident-playbook-ticked.png` });

    // Stored for everyone: the API (as any other signed-in browser reads it) has the tick and the signals.
    const stored = await page.evaluate(async (k) => {
      const res = await fetch(`/api/incidents/${encodeURIComponent(k)}?lang=en`, { credentials: "same-origin" });
      return (await res.json()) as { checklist?: { item: number; checked: boolean; by: string }[]; signals?: { kind: string; name: string }[] };
    }, key);
    expect(stored.checklist).toEqual([expect.objectContaining({ item: 0, checked: true, by: ADMIN_USER })]);
    expect(stored.signals?.map((s) => s.kind)).toContain("brand");
  }, 100_000);

  test("the alert channels panel says in words that notices are not getting through on a failing channel", async () => {
    const panel = page.getByTestId("channel-health");
    const failing = panel.locator('[data-testid=channel][data-channel="slack"][data-state="failing"]');
    await failing.waitFor({ timeout: 60_000 });
    expect(await panel.getByTestId("channels-failing").textContent()).toContain("Notices are not getting through on 1 alert channel");
    expect(await failing.getByTestId("channel-error").textContent()).toContain("500");
    await panel.screenshot({ path: `${SHOTS}/alert-channels-failing.png` });
  }, 90_000);
});
