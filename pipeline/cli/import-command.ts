import { stat } from "node:fs/promises";
import { isImportFileError } from "../../collectors/file-import/import-file-error";
import { readImportFile } from "../../collectors/file-import/read-import-file";
import type { Loaded } from "../config/load";
import type { RootLogger } from "../log";
import { runPipeline } from "../run-pipeline";

export interface ImportCommandInput {
  file: string;
  loaded: Loaded;
  log: RootLogger;
  err: (line: string) => void;
}

/**
 * `earshot import FILE`: streams a JSONL or CSV export through the same
 * pipeline as live mentions (brand matching, language, sentiment, store,
 * counts), batch by batch, and says what it did. A line it cannot read is
 * reported with its number and skipped; the rest is imported.
 */
export async function runImportCommand({ file, loaded, log, err }: ImportCommandInput): Promise<number> {
  // An empty export (a failed download, a report with no rows) is said as such, before the store is opened.
  const size = await stat(file).then(
    (info) => (info.isFile() ? info.size : null),
    () => null,
  );
  if (size === 0) {
    err(`${file} is empty (0 bytes): nothing to import`);
    return 0;
  }
  let pipeline: Awaited<ReturnType<typeof runPipeline>>;
  try {
    pipeline = await runPipeline(loaded, log);
  } catch (e) {
    err(`earshot import: the store cannot be opened, nothing was read from ${file}: ${(e as Error).message}`);
    return 1;
  }
  let stored = 0;
  let spilled = 0;
  let lost = 0;
  const counting = pipeline.flow.writes$.subscribe((w) => {
    if ("stored" in w) stored += w.stored;
    else if ("spilled" in w) spilled += w.spilled;
    else lost += w.lost;
  });
  let read = 0;
  let problems = 0;
  try {
    for await (const batch of readImportFile(file)) {
      read += batch.mentions.length;
      for (const p of batch.problems) {
        problems++;
        if (problems <= 20) err(`line ${p.line}: ${p.reason}`);
      }
      pipeline.push(batch.mentions);
      await pipeline.flow.settled(); // keeps memory flat on a large file
    }
  } catch (e) {
    err(`earshot import: ${isImportFileError(e) ? e.message : (e as Error).message}`);
    await pipeline.stop();
    return 1;
  }
  await pipeline.stop();
  counting.unsubscribe();
  if (problems > 20) err(`… ${problems - 20} more unreadable lines`);
  err(`${read} record(s) read from ${file}, ${problems} unreadable, ${stored} stored (mentions of watched brands; the rest are counted as no-brand)`);
  if (spilled > 0)
    err(`${spilled} mention(s) kept on disk in ${pipeline.spillDir}: the store did not take them; they are written at the next start or import`);
  if (lost > 0) err(`${lost} mention(s) LOST: neither the store nor ${pipeline.spillDir} took them (see the log)`);
  // EX_TEMPFAIL when mentions wait on disk: safe, but not in the store yet.
  return lost > 0 ? 1 : spilled > 0 ? 75 : 0;
}
