import { pino, type Level } from "pino";
import type { Logger } from "../collectors/source";

/**
 * The one root logger. Components get children (`log.child({ component })`);
 * mention text is never logged at info level, only ids and counts. Paths that
 * could carry secrets are redacted explicitly (pino redaction takes fixed
 * paths, never user-given ones).
 */
export type RootLogger = Logger & { child(bindings: object): RootLogger };

export function createRootLogger(level: Level | "silent" = "info"): RootLogger {
  return pino({
    level,
    base: { app: "earshot" },
    redact: {
      paths: ["password", "token", "secret", "headers.authorization", "headers.cookie", "*.password", "*.secret"],
      censor: "[redacted]",
    },
  }) as unknown as RootLogger;
}
