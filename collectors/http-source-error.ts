import { isHttpError } from "./http";
import { SourceError } from "./source";

/** How much of an error body goes into the message (and so into health and logs). */
const MAX_REASON_CHARS = 200;

/**
 * Turns whatever a source's request threw into the SourceError the port
 * promises, keeping the HttpError's message, retryability and the error itself
 * as the cause. Kept apart from http.ts so the client does not depend on the
 * port that depends on it.
 */
export function httpSourceError(source: string, err: unknown): SourceError {
  if (isHttpError(err)) {
    // The API's own words on a refusal ("subreddit private", "invalid query") are the useful part.
    const why = err.bodyExcerpt ? `: ${err.bodyExcerpt.slice(0, MAX_REASON_CHARS)}` : "";
    return new SourceError(source, `${err.message}${why}`, err.retryable, { cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new SourceError(source, `request failed: ${message}`, true, { cause: err });
}
