import { isSourceError, type SourceError } from "../../collectors/source";

/**
 * The error a promise rejects with, narrowed by the module's own guard
 * (isSourceError, isHttpError …), so a test can assert on its fields
 * (retryable, status, cause). A rejection of another kind, or none, fails
 * the test.
 */
export async function rejection<E>(promise: Promise<unknown>, is: (e: unknown) => e is E, expected: string): Promise<E> {
  try {
    await promise;
  } catch (err) {
    if (is(err)) return err;
    throw new Error(`expected ${expected}, got ${String(err)}`, { cause: err });
  }
  throw new Error(`expected ${expected}, but it did not fail`);
}

/**
 * The synchronous partner of rejection(): the error `fn` throws, narrowed by
 * the module's own guard (isFeedParseError, isVkParseError …). An error of
 * another kind, or none, fails the test.
 */
export function thrown<E>(fn: () => unknown, is: (e: unknown) => e is E, expected: string): E {
  try {
    fn();
  } catch (err) {
    if (is(err)) return err;
    throw new Error(`expected ${expected}, got ${String(err)}`, { cause: err });
  }
  throw new Error(`expected ${expected}, but it did not fail`);
}

/** The SourceError a poll fails with. */
export const sourceError = (promise: Promise<unknown>): Promise<SourceError> => rejection(promise, isSourceError, "a SourceError");
