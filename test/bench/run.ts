import { mkdtempSync, rmSync } from "node:fs";
import { arch, availableParallelism, cpus, loadavg, platform, release, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { version as chdbVersion } from "chdb";
import { benchAlertLatency } from "./alert-latency.bench";
import { fixed, formatSections, int, ms, type Section } from "./figures";
import { benchBrandMatch } from "./brand-match.bench";
import { benchDetector } from "./detector.bench";
import { benchFeeds } from "./feeds.bench";
import { benchLanguage } from "./language.bench";
import { benchParse } from "./parse.bench";
import { benchProblems } from "./problems.bench";
import { benchSentiment } from "./sentiment.bench";
import { benchPipeline } from "./pipeline.bench";
import { benchWsFanout } from "./ws-fanout.bench";
import { benchStream } from "./stream.bench";
import { benchDashboardApi } from "./dashboard-api.bench";

/**
 * `npm run bench`: prints figures, asserts nothing (speed belongs here, not in
 * tests). Two parts, one process, one chDB data directory (chDB binds a single
 * directory per process; each part has its own database in it):
 *   1. pipeline throughput into embedded chDB, and how long inserts hold the event loop;
 *   2. post-to-alert latency through a real webhook.
 *
 * Options (after `npm run bench --`):
 *   --count N     mentions for part 1 (default 100000)
 *   --trials N    alert trials for part 2 (default 5)
 *   --real-time   play part 2 in real time (one trial takes about two minutes)
 */
const { values } = parseArgs({
  options: {
    count: { type: "string", default: "100000" },
    trials: { type: "string" },
    "real-time": { type: "boolean", default: false },
  },
});
const count = positiveInt(values.count, "--count");
const realTime = values["real-time"] ?? false;
const trials = values.trials === undefined ? (realTime ? 1 : 5) : positiveInt(values.trials, "--trials");

const started = performance.now();
const progress = (line: string) => console.error(`[${fixed((performance.now() - started) / 1000, 1)} s] ${line}`);
const chdb = chdbVersion();
const cpu = cpus();
// Figures mean little without the machine they came from; the load average
// says whether something else was competing for the cores.
const machine: Section = {
  title: "Machine",
  figures: [
    { label: "cpus", value: `${cpu.length}`, note: `${cpu[0]?.model.trim() ?? "unknown"}; availableParallelism ${availableParallelism()}` },
    { label: "memory", value: `${fixed(totalmem() / 2 ** 30, 1)} GiB` },
    { label: "os", value: `${platform()} ${arch()}`, note: release() },
    { label: "node", value: process.version, note: `V8 ${process.versions.v8}` },
    { label: "chdb", value: chdb.chdb, note: `libchdb ${chdb.libchdb.replace(/"/g, "")}` },
    { label: "load average at start (1/5/15 min)", value: loadavg().map((l) => fixed(l, 2)).join(" / ") },
  ],
};

const dataDir = mkdtempSync(join(tmpdir(), "earshot-bench-"));
let sections: Section[] = [machine];
try {
  sections = sections.concat(await benchPipeline({ dataDir, count, progress }));
  sections = sections.concat(await benchAlertLatency({ dataDir, trials, speed: realTime ? 1 : 60, progress }));
  sections = sections.concat(await benchParse({ progress }));
  sections = sections.concat(await benchFeeds({ progress }));
  sections = sections.concat(await benchLanguage({ progress }));
  sections = sections.concat(await benchBrandMatch({ progress }));
  sections = sections.concat(await benchSentiment({ progress }));
  sections = sections.concat(await benchProblems({ progress }));
  sections = sections.concat(await benchDetector({ progress }));
  sections = sections.concat(await benchDashboardApi({ dataDir, progress }));
  sections = sections.concat(await benchStream({ progress }));
  sections = sections.concat(await benchWsFanout({ progress }));
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
sections.push({
  title: "Run",
  figures: [{ label: "benchmark wall time", value: ms(performance.now() - started), note: `${int(count)} mentions, ${trials} alert trials` }],
});
console.log(formatSections(sections));

function positiveInt(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} must be a positive integer, got ${text}`);
  return n;
}
