import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

/**
 * What every browser test needs: Earshot started as a user starts it (the CLI,
 * the demo source, embedded chDB, a fresh data directory), a real Chromium,
 * and signing in through the form.
 */

export const CHROMIUM = "/usr/bin/chromium";
// The flags this machine needs (DESIGN.md §10): no sandbox as root, no GPU, no background network.
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
export const SHOTS = "test-output/screenshots";
export const haveChromium = existsSync(CHROMIUM);
export const ADMIN_USER = "pr-team";
export const ADMIN_PASSWORD = "e2e-password-1";
export const SKIP_REASON = `skipped: ${CHROMIUM} not installed; apt-get install -y chromium`;

if (!haveChromium && process.env.CI)
  throw new Error(`${CHROMIUM} is missing: .ci/run installs it with apt-get install -y chromium`);

export interface RunningEarshot {
  url: string;
  /** Everything the process printed so far. */
  output(): string;
  /** The working directory (config file, data directory); removed by stop(). */
  work: string;
  stop(): Promise<void>;
}

/**
 * Starts `earshot start` with the demo source. `config` is merged over the
 * defaults at the top level; `env` is added to the process environment.
 */
export async function startEarshot(
  options: { config?: Record<string, unknown>; env?: Record<string, string> } = {},
): Promise<RunningEarshot> {
  const work = mkdtempSync(join(tmpdir(), "earshot-e2e-"));
  const configFile = join(work, "earshot.config.json");
  writeFileSync(
    configFile,
    JSON.stringify({
      store: { kind: "embedded", dataDir: join(work, "data") },
      dashboard: { host: "127.0.0.1", port: 0 },
      sources: [{ kind: "demo", speed: 2 }],
      log: { level: "warn" },
      ...options.config,
    }),
  );
  let output = "";
  const child: ChildProcess = spawn(process.execPath, ["pipeline/cli/earshot.mjs", "start", "--config", configFile], {
    env: { ...process.env, EARSHOT_ADMIN_USER: ADMIN_USER, EARSHOT_ADMIN_PASSWORD: ADMIN_PASSWORD, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const stop = async (): Promise<void> => {
    child.kill("SIGTERM");
    await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once("exit", resolve)));
    rmSync(work, { recursive: true, force: true });
  };
  try {
    const url = await waitFor(() => /Dashboard: (http:\/\/\S+)/.exec(output)?.[1], 60_000, () => `no dashboard URL in:\n${output}`);
    return { url, output: () => output, work, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

export interface BrowserSession {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Messages of any alert()/confirm() the page raised (dismissed). */
  dialogs: string[];
}

/** Chromium with one page at a laptop size; dialogs are recorded and dismissed. */
export async function openBrowser(options: { locale?: string; width?: number; height?: number } = {}): Promise<BrowserSession> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
    locale: options.locale ?? "en-GB",
  });
  const page = await context.newPage();
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  mkdirSync(SHOTS, { recursive: true });
  return { browser, context, page, dialogs };
}

/** Signs in through the form (labels in English) and waits for the live stream. */
export async function signIn(page: Page, url: string, username = ADMIN_USER, password = ADMIN_PASSWORD): Promise<void> {
  await page.goto(url);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByTestId("stream").waitFor({ timeout: 15_000 });
}

export async function waitFor<T>(probe: () => T | undefined, timeoutMs: number, why: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(why());
    await new Promise((r) => setTimeout(r, 100));
  }
}
