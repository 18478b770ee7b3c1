import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { silenceProblems, type Silence } from "../incidents/silences";
import type { Store } from "../store/store";
import { EX_CONFIG, loadCommandConfig } from "./command-config";
import { openConfiguredStore } from "../store/configured-store";

const USAGE = `usage:
  earshot silence add (--brand B | --all) [--problem TYPE] (--until TIME | --for DURATION) [--reason TEXT] [--by NAME] [--config FILE]
  earshot silence list [--config FILE] [--json]
  earshot silence expire ID [--config FILE]
  TIME: ISO 8601; DURATION: 30m, 4h, 2d
`;

export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
}

/**
 * `earshot silence`: mute a brand's (or every brand's) notices until a time,
 * list the silences, end one early — the same records the dashboard's API
 * writes. It opens the configured store (the embedded one while Earshot is
 * stopped: chDB holds its directory for one process; a running Earshot is
 * silenced through POST /api/silences).
 */
export async function runSilenceCommand(args: string[], io: CommandIo, env: NodeJS.ProcessEnv = process.env, now: () => number = Date.now): Promise<number> {
  const [action, ...rest] = args;
  let values: { brand?: string; all?: boolean; problem?: string; until?: string; for?: string; reason?: string; by?: string; config?: string; json?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        brand: { type: "string" },
        all: { type: "boolean" },
        problem: { type: "string" },
        until: { type: "string" },
        for: { type: "string" },
        reason: { type: "string" },
        by: { type: "string" },
        config: { type: "string", short: "c" },
        json: { type: "boolean" },
      },
    }));
  } catch (err) {
    io.err(`earshot silence: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (action !== "add" && action !== "list" && action !== "expire") {
    io.err(USAGE);
    return 2;
  }
  let silence: Silence | null = null;
  if (action === "add") {
    const endsAt = values.until !== undefined ? Date.parse(values.until) : values.for !== undefined ? now() + durationMs(values.for) : Number.NaN;
    const brand = values.all ? null : (values.brand ?? "");
    silence = {
      id: randomUUID(),
      brand,
      problem: values.problem ?? null,
      startsAt: now(),
      endsAt,
      createdBy: values.by ?? env.USER ?? "cli",
      reason: values.reason ?? "",
      createdAt: now(),
    };
    const problems = [
      !values.all && !values.brand ? "give --brand B, or --all for every brand" : null,
      values.until === undefined && values.for === undefined ? "give --until TIME or --for DURATION" : null,
      ...(values.until !== undefined || values.for !== undefined ? silenceProblems(silence, now()) : []),
    ].filter((p): p is string => p !== null && !(p === "brand must be 1–200 characters" && !values.brand && !values.all));
    if (problems.length > 0) {
      io.err(`earshot silence add: ${problems.join("; ")}\n`);
      return 2;
    }
  }
  if (action === "expire" && positionals[0] === undefined) {
    io.err(`earshot silence expire: give the silence's id (see earshot silence list)\n`);
    return 2;
  }
  const loaded = loadCommandConfig(values.config ?? null, env, io);
  if (loaded === EX_CONFIG) return EX_CONFIG;
  const store: Store = await openConfiguredStore(loaded);
  try {
    if (silence !== null) {
      await store.saveSilence(silence);
      io.out(`${silence.id}: notices of ${describe(silence)} muted until ${new Date(silence.endsAt).toISOString()}\n`);
      return 0;
    }
    if (action === "expire") {
      const found = await store.silence(positionals[0]!);
      if (found === null) {
        io.err(`earshot silence expire: no silence ${positionals[0]}\n`);
        return 1;
      }
      const at = now();
      await store.saveSilence({ ...found, endsAt: Math.min(found.endsAt, at), startsAt: Math.min(found.startsAt, at) });
      io.out(`${found.id}: ended\n`);
      return 0;
    }
    const list = await store.silences({ now: now() });
    if (values.json) io.out(`${JSON.stringify(list)}\n`);
    else if (list.length === 0) io.out("no silences running or to come\n");
    else
      io.out(
        list
          .map((s) => `${s.id}  ${describe(s)}  ${new Date(s.startsAt).toISOString()} → ${new Date(s.endsAt).toISOString()}  by ${s.createdBy}${s.reason ? `: ${s.reason}` : ""}`)
          .join("\n") + "\n",
      );
    return 0;
  } finally {
    await store.close();
  }
}

const describe = (s: Silence) => `${s.brand ?? "every brand"}${s.problem ? ` (${s.problem})` : ""}`;

/** "30m", "4h", "2d" in ms; NaN when unreadable. */
export function durationMs(text: string): number {
  const m = /^(\d{1,5})\s*(m|min|h|d)$/i.exec(text.trim());
  if (!m) return Number.NaN;
  const unit = m[2]!.toLowerCase();
  return Number(m[1]) * (unit === "d" ? 86_400_000 : unit === "h" ? 3_600_000 : 60_000);
}
