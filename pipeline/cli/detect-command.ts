import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { DEFAULT_SPIKE_SETTINGS, detectSpike, initialSpikeState, type SpikeSettings } from "../spikes/detect-spike";

export interface DetectIo {
  /** Receives whole lines, each ending in "\n" (write them as they are). */
  out(text: string): void;
  err(text: string): void;
  /** The series, one JSON object a line (default: standard input). */
  input?: NodeJS.ReadableStream;
}

const USAGE = `Usage: earshot detect [--sensitivity N] [--min-count N] [--warmup-minutes N]
                      [--rearm-minutes N] [--utc-offset-minutes N]

Reads a time series as JSON lines {"timestamp": ISO-8601, "value": number} on
standard input and answers each line, before reading the next, with one JSON
line {"score": 0..1, "alert": boolean}. "alert" is true only on the point that
raises a new alert. The interval (1 minute, 5 minutes, an hour …) is read from
the timestamps. Same detector and defaults as the live pipeline (there,
"value" is the count of negative mentions):
  --sensitivity N         ${DEFAULT_SPIKE_SETTINGS.sensitivity}; higher is quieter
  --min-count N           ${DEFAULT_SPIKE_SETTINGS.minNegatives}; an alert needs at least N above the usual
  --warmup-minutes N      ${DEFAULT_SPIKE_SETTINGS.warmupMinutes}; no alert before the series is this old
  --rearm-minutes N       ${DEFAULT_SPIKE_SETTINGS.rearmMinutes}; quiet time after an alert before the next one
  --utc-offset-minutes N  ${DEFAULT_SPIKE_SETTINGS.utcOffsetMinutes}; the series' time zone, for hours and weekends
A bad line is answered too, so answers stay one to one with lines:
{"score": 0, "alert": false, "error": "…"}, with the error on standard error;
reading goes on. A value may be a number or a string holding one ("12").
Exit code: 0, or 1 when some lines were bad, 2 for bad options.
`;

/** `earshot detect`: the spike detector over a series on standard input, one answer per line. */
export async function runDetectCommand(args: string[], io: DetectIo): Promise<number> {
  let settings: SpikeSettings | "help";
  try {
    settings = parseSettings(args);
  } catch (err) {
    io.err(`earshot detect: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (settings === "help") {
    io.out(USAGE);
    return 0;
  }

  const lines = createInterface({ input: io.input ?? process.stdin, crlfDelay: Infinity });
  let state = initialSpikeState();
  let lineNo = 0;
  let bad = 0;
  // One line at a time: the answer is written before the next line is read.
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === "") continue;
    const parsed = parsePoint(line);
    const point =
      typeof parsed !== "string" && state.lastAt !== null && parsed.at <= state.lastAt
        ? `timestamp ${new Date(parsed.at).toISOString()} is not after the previous point's ${new Date(state.lastAt).toISOString()}; skipped`
        : parsed;
    if (typeof point === "string") {
      // A reader that pairs each line with one answer must not wait forever on a bad line.
      bad++;
      io.err(`earshot detect: line ${lineNo}: ${point}\n`);
      io.out(`${JSON.stringify({ score: 0, alert: false, error: `line ${lineNo}: ${point}` })}\n`);
      continue;
    }
    const step = detectSpike(state, { at: point.at, negative: point.value }, settings);
    state = step.state;
    io.out(`${JSON.stringify({ score: Math.round(step.judgement.score * 10_000) / 10_000, alert: step.judgement.alert })}\n`);
  }
  return bad > 0 ? 1 : 0;
}

function parseSettings(args: string[]): SpikeSettings | "help" {
  const { values } = parseArgs({
    args,
    options: {
      sensitivity: { type: "string" },
      "min-count": { type: "string" },
      "warmup-minutes": { type: "string" },
      "rearm-minutes": { type: "string" },
      "utc-offset-minutes": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return "help";
  const number = (name: string, raw: string | undefined, fallback: number, min: number, max: number) => {
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (raw.trim() === "" || !Number.isFinite(n) || n < min || n > max) throw new Error(`--${name} must be a number from ${min} to ${max}, not "${raw}"`);
    return n;
  };
  const d = DEFAULT_SPIKE_SETTINGS;
  return {
    ...d,
    sensitivity: number("sensitivity", values.sensitivity, d.sensitivity, 0.5, 20),
    minNegatives: number("min-count", values["min-count"], d.minNegatives, 0, 1e9),
    warmupMinutes: number("warmup-minutes", values["warmup-minutes"], d.warmupMinutes, 0, 525_600),
    rearmMinutes: number("rearm-minutes", values["rearm-minutes"], d.rearmMinutes, 0, 525_600),
    utcOffsetMinutes: number("utc-offset-minutes", values["utc-offset-minutes"], d.utcOffsetMinutes, -720, 840),
  };
}

/** ISO-8601 date and time; a timestamp without a zone is UTC (Numenta's files use "2015-02-26 21:42:53"). */
const ISO = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?$/;

/** A line's point, or why it is not one. */
function parsePoint(line: string): { at: number; value: number } | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return `not JSON: ${JSON.stringify(line.length > 80 ? `${line.slice(0, 80)}…` : line)}`;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return `expected an object {"timestamp": …, "value": …}`;
  const { timestamp, value: raw } = parsed as Record<string, unknown>;
  // A series converted from CSV may carry its numbers as strings.
  const value = typeof raw === "string" && /^\s*\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : raw;
  if (typeof timestamp !== "string") return `"timestamp" must be an ISO-8601 string`;
  const m = ISO.exec(timestamp.trim());
  const at = m === null ? NaN : Date.parse(`${m[1]}T${m[2]}${m[3] ?? "Z"}`);
  if (!Number.isFinite(at)) return `"timestamp" is not an ISO-8601 date and time: ${JSON.stringify(timestamp)}`;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) return `"value" must be a number ≥ 0, not ${JSON.stringify(raw)}`;
  return { at, value };
}
