import { isConfigError } from "../errors";
import { loadConfig, type Loaded } from "../config/load";

/** sysexits.h EX_CONFIG: the configuration is wrong. */
export const EX_CONFIG = 78;

/**
 * The configuration a command runs with, or EX_CONFIG after printing what is
 * wrong with it (every problem with its path, as `earshot check` does).
 */
export function loadCommandConfig(
  file: string | null,
  env: NodeJS.ProcessEnv,
  io: { err(text: string): void },
): Loaded | typeof EX_CONFIG {
  try {
    return loadConfig(file, env);
  } catch (err) {
    if (isConfigError(err)) {
      io.err(`${err.message}\n`);
      return EX_CONFIG;
    }
    throw err;
  }
}
