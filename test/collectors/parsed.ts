import type { RawMention } from "../../collectors/source";

/** The fields a parse test compares; `raw` is the audit copy and is checked on its own. */
export const visible = ({ raw: _raw, ...rest }: RawMention) => rest;

/**
 * The page inside a reply that may also be the service's own failure
 * (a VK or YouTube API error, a Google Play RPC error or HTML page); any
 * other kind fails the test and shows what came back instead.
 */
export function page<R extends { kind: string }>(reply: R): Extract<R, { kind: "page" }> {
  if (!isPage(reply)) throw new Error(`expected a page, got ${JSON.stringify(reply)}`);
  return reply;
}

const isPage = <R extends { kind: string }>(reply: R): reply is Extract<R, { kind: "page" }> => reply.kind === "page";

/**
 * The outcome a property over arbitrary input accepts: `run` returns a result
 * that `wellFormed` accepts, or throws an error the parser's own guard
 * recognises. Anything else (a TypeError from deep inside, a malformed
 * result) makes the property fail.
 */
export function ownOutcome<T>(run: () => T, wellFormed: (result: T) => boolean, isOwnError: (e: unknown) => boolean): boolean {
  let result: T;
  try {
    result = run();
  } catch (err) {
    return isOwnError(err);
  }
  return wellFormed(result);
}
