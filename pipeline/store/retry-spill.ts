import type { Logger } from "../../collectors/source";
import type { DrainResult, Spill } from "./spill";
import type { Store } from "./store";

/**
 * One retry of what the store could not take (pipeline/run-pipeline.ts runs it
 * at start and on a timer). Never throws: a store still down is a warning, and
 * the files wait for the next retry. Says in the log what became of them, so
 * "where did the mentions of that outage go" has an answer: counts and the
 * spill directory, never mention text.
 */
export async function retrySpill(
  spill: Spill,
  store: Pick<Store, "insertMentions" | "quarantine">,
  log: Logger,
): Promise<DrainResult | null> {
  let result: DrainResult;
  try {
    result = await spill.drain(store);
  } catch (err) {
    const waiting = await spill.pending().then(
      (names) => names.length,
      () => null,
    );
    log.warn({ err, files: waiting, spillDir: spill.dir }, "store still down: spilled items wait on disk for the next retry");
    return null;
  }
  if (result.files > 0) log.info({ files: result.files, rows: result.rows, spillDir: spill.dir }, "spilled items written to the store");
  if (result.refused > 0)
    log.warn({ files: result.refused, error: result.lastError, spillDir: spill.dir }, "store refused spilled files: they stay on disk for a person to look at");
  if (result.bad > 0) log.warn({ files: result.bad, spillDir: spill.dir }, "unreadable spill files set aside as .bad");
  return result;
}
