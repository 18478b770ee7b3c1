import cron, { type ScheduledTask } from "node-cron";
import type { Logger } from "../../collectors/source";
import type { ChannelConfig } from "../alerts/channels-config";
import type { ReportStore } from "../store/report-queries";
import type { Store } from "../store/store";
import { weekOf, weekRange } from "./iso-week";
import { reportSmtp, type WeeklyReportConfig } from "./report-config";
import { reportMailer, type ReportMailer } from "./report-mailer";
import { runWeeklyReports, type WeeklyRunResult } from "./weekly-run";

export interface WeeklySchedule {
  /** Runs the weekly job now (for last week), as a tick would. */
  runNow(): Promise<WeeklyRunResult | null>;
  stop(): Promise<void>;
}

/**
 * Runs `run` on a node-cron schedule in `timeZone` (node-cron 4's `timezone`
 * option; https://nodecron.com/scheduling-options.html), never two at once,
 * and a failed run is logged, not thrown (the next tick tries again).
 *
 * With `catchUp`, a run starts at once when this week's first scheduled time
 * has already passed: the job itself skips what is stored and sent, so this
 * only fills in a tick missed while Earshot was down.
 */
export function scheduleWeekly(options: {
  cron: string;
  timeZone: string;
  catchUp: boolean;
  run: () => Promise<WeeklyRunResult>;
  log: Logger;
  now(): number;
}): WeeklySchedule {
  const { log } = options;
  let running: Promise<WeeklyRunResult | null> | null = null;
  let stopped = false;
  const runSafely = (): Promise<WeeklyRunResult | null> => {
    if (stopped) return Promise.resolve(null);
    running ??= options
      .run()
      .catch((err: unknown) => {
        log.error({ err }, "weekly reports failed; the next scheduled run tries again");
        return null;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  const task: ScheduledTask = cron.schedule(options.cron, () => runSafely(), {
    name: "weekly-reports",
    timezone: options.timeZone,
    noOverlap: true,
    logger: {
      info: (message) => log.debug({ component: "node-cron" }, message),
      warn: (message) => log.warn({ component: "node-cron" }, message),
      error: (message) => log.error({ component: "node-cron", err: message }, "node-cron error"),
      debug: (message) => log.debug({ component: "node-cron" }, String(message)),
    },
  });
  if (options.catchUp) {
    void scheduledTimeThisWeekPassed(task, options.now(), options.timeZone).then((passed) => {
      if (passed) void runSafely();
    });
  }
  return {
    runNow: runSafely,
    async stop() {
      stopped = true;
      await task.destroy();
      await running;
    },
  };
}

/**
 * Whether the cron matched any minute from this week's Monday 00:00 (in
 * `timeZone`) up to now. node-cron answers "does this minute match" (in the
 * task's zone) but not "when was the last match", so the week's minutes are
 * tried in order (up to 10,080, ~20 µs each), yielding to the event loop
 * every few hundred so start-up stays responsive.
 */
export async function scheduledTimeThisWeekPassed(task: Pick<ScheduledTask, "match">, now: number, timeZone: string): Promise<boolean> {
  const from = weekRange(weekOf(now, timeZone), timeZone).from;
  let tried = 0;
  for (let t = from; t <= now; t += 60_000) {
    if (task.match(new Date(t))) return true;
    if (++tried % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  return false;
}

export interface StartWeeklyReportsDeps {
  store: ReportStore & Pick<Store, "mentionsBetween">;
  weekly: WeeklyReportConfig;
  /** The configured brands' names. */
  brands: readonly string[];
  /** alerts.timeZone: the default when reports.weekly.timeZone is unset. */
  defaultTimeZone: string;
  /** alerts.channels: the first e-mail contact is the relay when reports.weekly.smtp is unset. */
  channels: readonly ChannelConfig[];
  /** The EARSHOT_* environment (Secrets.sourceCredentials): the SMTP password is read from passwordEnv. */
  env: Readonly<Record<string, string | undefined>>;
  log: Logger;
  now(): number;
}

/**
 * The weekly report as configured: the job, its mailer and its schedule.
 * Wired in pipeline/run-pipeline.ts (or main.ts) once the store is open.
 */
export function startWeeklyReports(deps: StartWeeklyReportsDeps): WeeklySchedule {
  const timeZone = deps.weekly.timeZone ?? deps.defaultTimeZone;
  const smtp = reportSmtp(deps.weekly, deps.channels);
  const mailer: ReportMailer | null =
    smtp === null
      ? null
      : reportMailer({
          host: smtp.host,
          ...(smtp.port === undefined ? {} : { port: smtp.port }),
          secure: smtp.secure,
          requireTLS: smtp.requireTLS,
          ...(smtp.user === undefined ? {} : { user: smtp.user }),
          ...(deps.env[smtp.passwordEnv] === undefined ? {} : { password: deps.env[smtp.passwordEnv]! }),
          from: smtp.from,
        });
  if (mailer === null && deps.weekly.managers.length > 0)
    deps.log.warn({}, "weekly reports: managers are configured but no SMTP relay (reports.weekly.smtp or an e-mail contact in alerts.channels)");
  const schedule = scheduleWeekly({
    cron: deps.weekly.cron,
    timeZone,
    catchUp: deps.weekly.catchUp,
    log: deps.log,
    now: deps.now,
    run: () =>
      runWeeklyReports({
        store: deps.store,
        brands: deps.brands,
        managers: deps.weekly.managers,
        timeZone,
        mailer,
        log: deps.log,
        now: deps.now,
      }),
  });
  return {
    runNow: schedule.runNow,
    async stop() {
      await schedule.stop();
      mailer?.close();
    },
  };
}
