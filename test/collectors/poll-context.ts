import { afterEach } from "vitest";
import { createSafeHttp, type SafeHttp, type SafeHttpOptions } from "../../collectors/http";
import type { Logger, PollContext } from "../../collectors/source";

/** A Logger that keeps what it was told, so a test can read the log lines back. */
export interface MemoryLog extends Logger {
  readonly lines: { level: "debug" | "info" | "warn" | "error"; obj: Record<string, unknown>; msg: string | undefined }[];
}

export function memoryLog(): MemoryLog {
  const lines: MemoryLog["lines"] = [];
  const at =
    (level: MemoryLog["lines"][number]["level"]) =>
    (obj: object, msg?: string): void => {
      lines.push({ level, obj: obj as Record<string, unknown>, msg });
    };
  return { lines, debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

/**
 * A PollContext over a real SafeHttp. The recorded servers listen on 127.0.0.1,
 * so the guard is opened for that one address only.
 */
export function pollContext(
  options: { now?: string; http?: SafeHttp; httpOptions?: SafeHttpOptions; credentials?: Record<string, string> } = {},
): PollContext & {
  http: SafeHttp;
  log: MemoryLog;
} {
  const http = options.http ?? createSafeHttp({ allowPrivateNetworks: ["127.0.0.1"], maxAttempts: 1, ...options.httpOptions });
  const now = options.now ? new Date(options.now) : new Date("2024-05-14T12:00:00Z");
  return { http, now: () => now, log: memoryLog(), signal: new AbortController().signal, credentials: options.credentials ?? {} };
}

/**
 * Poll contexts for one test file: `ctx(options)` makes one over `defaults`
 * and its SafeHttp (sockets, timers) is closed after every test.
 */
export function trackedPollContexts(defaults: Parameters<typeof pollContext>[0] = {}) {
  const open: ReturnType<typeof pollContext>[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.http.close()));
  });
  return (options: Parameters<typeof pollContext>[0] = {}): ReturnType<typeof pollContext> => {
    const c = pollContext({ ...defaults, ...options });
    open.push(c);
    return c;
  };
}
