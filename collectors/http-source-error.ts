import { isHttpError } from "./http";
import { SourceError } from "./source";

/**
 * Turns whatever a source's request threw into the SourceError the port
 * promises, keeping the HttpError's message, retryability and the error itself
 * as the cause. Kept apart from http.ts so the client does not depend on the
 * port that depends on it.
 */
export function httpSourceError(source: string, err: unknown): SourceError {
  if (isHttpError(err)) return new SourceError(source, err.message, err.retryable, { cause: err });
  const message = err instanceof Error ? err.message : String(err);
  return new SourceError(source, `request failed: ${message}`, true, { cause: err });
}
