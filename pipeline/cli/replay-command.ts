import { parseArgs } from "node:util";
import { replayIncidents, type ReplayResult } from "../incidents/replay";
import { EX_CONFIG, loadCommandConfig } from "./command-config";
import { openConfiguredStore } from "../store/configured-store";

const USAGE =
  "usage: earshot replay --brand B --from TIME --to TIME [--config FILE] [--sensitivity N] [--json]\n" +
  "  TIME: ISO 8601 (2026-11-01 or 2026-11-01T08:00Z); at most 92 days\n";
const MAX_RANGE_MS = 92 * 24 * 60 * 60_000;

export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
}

/**
 * `earshot replay`: the configured spike rules and incident lifecycle run over
 * a brand's stored history, printing when each incident would have opened,
 * fired and closed, and how many fired per week — so a team can tune
 * `spikes.sensitivity` on its own past before changing it. It reads the store
 * the configuration names (the embedded one only while Earshot is stopped:
 * chDB holds its directory for one process).
 */
export async function runReplayCommand(args: string[], io: CommandIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let values: { brand?: string; from?: string; to?: string; config?: string; sensitivity?: string; json?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        brand: { type: "string" },
        from: { type: "string" },
        to: { type: "string" },
        config: { type: "string", short: "c" },
        sensitivity: { type: "string" },
        json: { type: "boolean" },
      },
    }));
  } catch (err) {
    io.err(`earshot replay: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const from = Date.parse(values.from ?? "");
  const to = Date.parse(values.to ?? "");
  const sensitivity = values.sensitivity === undefined ? undefined : Number(values.sensitivity);
  const problems = [
    values.brand ? null : "--brand is required",
    Number.isNaN(from) ? "--from must be an ISO 8601 time" : null,
    Number.isNaN(to) ? "--to must be an ISO 8601 time" : null,
    !Number.isNaN(from) && !Number.isNaN(to) && !(to > from) ? "--to must be after --from" : null,
    to - from > MAX_RANGE_MS ? "the range may span at most 92 days" : null,
    sensitivity !== undefined && !(sensitivity >= 0.5 && sensitivity <= 20) ? "--sensitivity must be a number from 0.5 to 20" : null,
  ].filter((p): p is string => p !== null);
  if (problems.length > 0) {
    io.err(`earshot replay: ${problems.join("; ")}\n${USAGE}`);
    return 2;
  }
  const loaded = loadCommandConfig(values.config ?? null, env, io);
  if (loaded === EX_CONFIG) return EX_CONFIG;
  const { config, secrets } = loaded;
  const brand = config.brands.find((b) => b.name.toLowerCase() === values.brand!.toLowerCase());
  const store = await openConfiguredStore(loaded);
  let result: ReplayResult;
  try {
    const name = brand?.name ?? values.brand!;
    // The days before `from` warm the detectors, as a restart's warm start does.
    const warmFrom = from - config.spikes.warmStartDays * 86_400_000;
    const counts = await store.minuteHistory({ brand: name, from: warmFrom, to });
    const spikes = { ...config.spikes, sensitivity: sensitivity ?? brand?.spikes?.sensitivity ?? config.spikes.sensitivity };
    result = replayIncidents(name, counts, { from, to, warmFrom }, { spikes, lifecycle: { keepFiringMinutes: config.spikes.keepFiringMinutes }, series: config.spikes.series });
  } finally {
    await store.close();
  }
  io.out(values.json === true ? `${JSON.stringify(result)}\n` : formatReplay(values.brand!, result));
  return 0;
}

const iso = (ms: number | null) => (ms === null ? "—" : new Date(ms).toISOString().slice(0, 16).replace("T", " "));

function formatReplay(brand: string, r: ReplayResult): string {
  const fired = r.incidents.filter((i) => i.firedAt !== null);
  const lines = [`${brand}: ${r.minutes} minutes replayed, ${fired.length} incident(s) would have fired, ${r.incidents.length - fired.length} stayed pending`, ""];
  if (r.incidents.length > 0) {
    lines.push("opened (UTC)       fired              ended              outcome    peak  usual");
    for (const i of r.incidents) {
      lines.push(
        `${iso(i.openedAt).padEnd(19)}${iso(i.firedAt).padEnd(19)}${iso(i.endedAt).padEnd(19)}${i.outcome.padEnd(10)}${String(i.peakNegative).padStart(5)}  ${i.baseline}`,
      );
    }
    lines.push("");
  }
  lines.push("incidents fired per week:", ...(r.perWeek.length === 0 ? ["  none"] : r.perWeek.map((w) => `  ${w.week}  ${w.fired}`)), "");
  return lines.join("\n");
}
