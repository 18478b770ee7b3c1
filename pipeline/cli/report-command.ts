import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import type { Config } from "../config/schema";
import { formatIsoWeek, parseIsoWeek, previousWeek, weekOf } from "../reports/iso-week";
import { produceWeeklyReport } from "../reports/produce-report";
import type { ReportsConfig } from "../reports/report-config";
import { isReportLang, REPORT_LANGS } from "../reports/report-labels";
import { reportFilename } from "../reports/weekly-run";
import { EX_CONFIG, loadCommandConfig } from "./command-config";
import { openConfiguredStore } from "../store/configured-store";

const USAGE =
  "usage: earshot report weekly --brand B [--week 2026-W47] [--lang en|pl|ru] [--out FILE.pdf] [--time-zone ZONE] [--config FILE]\n" +
  "  --week: an ISO 8601 week (default: last week); --time-zone: where the week starts\n" +
  "  (default: reports.weekly.timeZone, else alerts.timeZone); the report is also stored for the dashboard\n";

export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
}

/**
 * `earshot report weekly`: one brand's weekly report made now, from the
 * configured store, written as a PDF and stored like the scheduled ones (so
 * the dashboard lists it). With the embedded store, run it while Earshot is
 * stopped: chDB holds its directory for one process.
 */
export async function runReportCommand(
  args: string[],
  io: CommandIo,
  env: NodeJS.ProcessEnv = process.env,
  now: () => number = Date.now,
): Promise<number> {
  let values: { brand?: string; week?: string; lang?: string; out?: string; "time-zone"?: string; config?: string };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        brand: { type: "string" },
        week: { type: "string" },
        lang: { type: "string" },
        out: { type: "string", short: "o" },
        "time-zone": { type: "string" },
        config: { type: "string", short: "c" },
      },
    }));
  } catch (err) {
    io.err(`earshot report: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const week = values.week === undefined ? null : parseIsoWeek(values.week);
  const lang = values.lang ?? "en";
  const zone = values["time-zone"];
  const problems = [
    positionals.length === 1 && positionals[0] === "weekly" ? null : "say which report: earshot report weekly …",
    values.brand ? null : "--brand is required",
    values.week !== undefined && week === null ? `--week must be an ISO 8601 week such as 2026-W47, not "${values.week}"` : null,
    isReportLang(lang) ? null : `--lang must be one of ${REPORT_LANGS.join(", ")}`,
    zone === undefined || isTimeZone(zone) ? null : `--time-zone must be an IANA time zone such as Europe/Warsaw, not "${zone}"`,
  ].filter((p): p is string => p !== null);
  if (problems.length > 0 || !isReportLang(lang)) {
    io.err(`earshot report: ${problems.join("; ")}\n${USAGE}`);
    return 2;
  }
  const loaded = loadCommandConfig(values.config ?? null, env, io);
  if (loaded === EX_CONFIG) return EX_CONFIG;
  const { config, secrets } = loaded;
  // `reports` joins the configuration schema with the weekly report; read it when present.
  const weekly = (config as Config & { reports?: ReportsConfig }).reports?.weekly;
  const timeZone = zone ?? weekly?.timeZone ?? config.alerts.timeZone;
  const brand = config.brands.find((b) => b.name.toLowerCase() === values.brand!.toLowerCase())?.name ?? values.brand!;
  const theWeek = week ?? previousWeek(weekOf(now(), timeZone));
  const store = await openConfiguredStore(loaded);
  let made;
  try {
    made = await produceWeeklyReport(store, { brand, week: theWeek, lang, timeZone, producedBy: "cli", now });
  } finally {
    await store.close();
  }
  const out = resolve(values.out ?? reportFilename({ brand, week: formatIsoWeek(theWeek), lang }));
  await writeFile(out, made.stored.pdf);
  const f = made.figures;
  io.out(
    `${brand} ${f.week} (${lang}, ${timeZone}): ${f.counts.total} mentions, ${f.counts.negative} negative, ` +
      `${f.incidentSummary.count} incident(s); report ${made.stored.id} stored, PDF written to ${out} (${made.stored.pdf.length} bytes)\n`,
  );
  return 0;
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
