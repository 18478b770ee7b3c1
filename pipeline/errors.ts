/** Errors that say who failed, can be recognised across modules, and keep their cause. */
export { SourceError, isSourceError } from "../collectors/source";
export { StoreError, isStoreError } from "./store/sql-runner";

/** The configuration is invalid; the message lists every problem with its path. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}
export const isConfigError = (e: unknown): e is ConfigError => e instanceof Error && e.name === "ConfigError";

/** A notice could not be delivered to a channel. */
export class NotifierError extends Error {
  override readonly name = "NotifierError";
  constructor(
    readonly channel: string,
    message: string,
    readonly retryable: boolean,
    readonly httpStatus: number | null = null,
    options?: ErrorOptions,
  ) {
    super(`[earshot] [${channel}] ${message}`, options);
  }
}
export const isNotifierError = (e: unknown): e is NotifierError => e instanceof Error && e.name === "NotifierError";
