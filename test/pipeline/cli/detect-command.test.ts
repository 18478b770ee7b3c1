import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { runDetectCommand } from "../../../pipeline/cli/detect-command";
import { configSchema } from "../../../pipeline/config/schema";
import { DEFAULT_SPIKE_SETTINGS } from "../../../pipeline/spikes/detect-spike";

const COMMAND = fileURLToPath(new URL("../../../pipeline/cli/detect-command.ts", import.meta.url));
const T0 = Date.parse("2026-03-02T00:00:00Z");
const FIVE_MIN = 5 * 60_000;

/** A day of calm 5-minute counts (3–6), then a surge of `surge` a point for an hour. */
function series(surge = 40): { lines: string[]; surgeStart: number } {
  const calm = [3, 5, 4, 6, 4, 5, 3, 4];
  const lines: string[] = [];
  for (let i = 0; i < 288; i++) lines.push(JSON.stringify({ timestamp: new Date(T0 + i * FIVE_MIN).toISOString(), value: calm[i % calm.length] }));
  for (let i = 288; i < 300; i++) lines.push(JSON.stringify({ timestamp: new Date(T0 + i * FIVE_MIN).toISOString(), value: surge }));
  return { lines, surgeStart: 288 };
}

interface Answer {
  score: number;
  alert: boolean;
}

/** Drives the command line by line over streams: each line is sent only after the previous one was answered. */
function overStreams(args: string[] = []) {
  const input = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  let wake: () => void = () => {};
  const done = runDetectCommand(args, {
    input,
    out: (text) => (out.push(text), wake()),
    err: (text) => (err.push(text), wake()),
  });
  return {
    out,
    err,
    done,
    /** Sends one line and resolves once it has been answered (on stdout or stderr). */
    send(line: string): Promise<void> {
      const answered = new Promise<void>((resolve) => (wake = resolve));
      input.write(`${line}\n`);
      return answered;
    },
    end: () => input.end(),
  };
}

describe("runDetectCommand()", () => {
  test("runDetectCommand() answers each line before the next is sent, and alerts once on a surge", async () => {
    const { lines, surgeStart } = series();
    const cli = overStreams();
    for (const [k, line] of lines.entries()) {
      await cli.send(line);
      expect(cli.out).toHaveLength(k + 1); // the answer to line k is there before line k + 1 goes out
    }
    cli.end();
    expect(await cli.done).toBe(0);
    expect(cli.err).toEqual([]);
    const answers = cli.out.map((text) => {
      expect(text.endsWith("\n")).toBe(true);
      return JSON.parse(text) as Answer;
    });
    expect(answers.every((a) => a.score >= 0 && a.score <= 1 && Object.keys(a).join() === "score,alert")).toBe(true);
    const alerts = answers.flatMap((a, i) => (a.alert ? [i] : []));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toBeGreaterThanOrEqual(surgeStart);
    expect(alerts[0]).toBeLessThanOrEqual(surgeStart + 2); // within the surge's first quarter hour
    expect(answers.at(-1)!.score).toBe(1);
  });

  test("runDetectCommand() answers a bad line with an error answer, reports it on stderr with its line number and keeps going", async () => {
    const cli = overStreams();
    const good = (i: number, value = 4) => JSON.stringify({ timestamp: new Date(T0 + i * FIVE_MIN).toISOString(), value });
    await cli.send(good(0));
    await cli.send("{not json");
    await cli.send(JSON.stringify({ timestamp: "yesterday", value: 3 }));
    await cli.send(JSON.stringify({ timestamp: new Date(T0 + FIVE_MIN).toISOString(), value: -2 }));
    await cli.send(JSON.stringify([1, 2]));
    await cli.send(good(0)); // not after the previous point
    await cli.send(good(1));
    await cli.send(JSON.stringify({ timestamp: "2026-03-02 00:10:00", value: 5 })); // Numenta style: no zone means UTC
    await cli.send(JSON.stringify({ timestamp: "2026-03-02T00:15:00Z", value: "6" })); // a number carried as a string
    await cli.send(JSON.stringify({ timestamp: "2026-03-02T00:20:00Z", value: "six" }));
    cli.end();
    expect(await cli.done).toBe(1);
    // one answer a line, in order: good lines a score, bad ones an error answer
    const answers = cli.out.map((text) => JSON.parse(text) as Answer & { error?: string });
    expect(answers.map((a) => a.error === undefined)).toEqual([true, false, false, false, false, false, true, true, true, false]);
    for (const a of answers.filter((a) => a.error !== undefined)) expect(a).toMatchObject({ score: 0, alert: false });
    expect(answers[1]!.error).toMatch(/^line 2: not JSON/);
    expect(answers[9]!.error).toMatch(/^line 10: "value" must be a number ≥ 0, not "six"/);
    expect(cli.err).toHaveLength(6);
    expect(cli.err[0]).toMatch(/^earshot detect: line 2: not JSON/);
    expect(cli.err[1]).toMatch(/^earshot detect: line 3: "timestamp" is not an ISO-8601 date and time/);
    expect(cli.err[2]).toMatch(/^earshot detect: line 4: "value" must be a number ≥ 0/);
    expect(cli.err[3]).toMatch(/^earshot detect: line 5: expected an object/);
    expect(cli.err[4]).toMatch(/^earshot detect: line 6: timestamp 2026-03-02T00:00:00.000Z is not after/);
  });

  test("runDetectCommand() refuses a bad option with exit code 2", async () => {
    const err: string[] = [];
    const code = await runDetectCommand(["--sensitivity", "loud"], { input: new PassThrough(), out: () => {}, err: (t) => err.push(t) });
    expect(code).toBe(2);
    expect(err.join("")).toContain("--sensitivity must be a number");
  });

  test("runDetectCommand() is quieter at a higher --sensitivity", async () => {
    const alertsAt = async (args: string[]) => {
      const input = new PassThrough();
      const out: string[] = [];
      const done = runDetectCommand(args, { input, out: (t) => out.push(t), err: () => {} });
      input.end(series(12).lines.join("\n")); // a milder surge: 12 a point where 4 is usual
      expect(await done).toBe(0);
      return out.filter((t) => (JSON.parse(t) as Answer).alert).length;
    };
    expect(await alertsAt([])).toBe(1);
    expect(await alertsAt(["--sensitivity", "20"])).toBe(0);
  });

  test("runDetectCommand() uses the live pipeline's default settings", () => {
    const live = configSchema.parse({}).spikes;
    expect({ minNegatives: live.minNegatives, sensitivity: live.sensitivity, warmupMinutes: live.warmupMinutes }).toEqual({
      minNegatives: DEFAULT_SPIKE_SETTINGS.minNegatives,
      sensitivity: DEFAULT_SPIKE_SETTINGS.sensitivity,
      warmupMinutes: DEFAULT_SPIKE_SETTINGS.warmupMinutes,
    });
  });

  test("runDetectCommand() in a child process flushes each answer before the next line is read", async () => {
    const script =
      `import { runDetectCommand } from ${JSON.stringify(COMMAND)};` +
      `process.exitCode = await runDetectCommand(process.argv.slice(1), { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) });`;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { stdio: ["pipe", "pipe", "pipe"] });
    const answers = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    const { lines, surgeStart } = series();
    const alerts: number[] = [];
    for (const [k, line] of lines.entries()) {
      child.stdin.write(`${line}\n`); // stdin stays open: only a flushed answer can come back
      const answer = await answers.next();
      expect(answer.done).toBe(false);
      if ((JSON.parse(answer.value as string) as Answer).alert) alerts.push(k);
    }
    child.stdin.end();
    expect(await exited).toBe(0);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toBeGreaterThanOrEqual(surgeStart);
  });
});
