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
  const pipeline = await runPipeline(loaded, log);
  let stored = 0;
  const counting = pipeline.flow.writes$.subscribe((w) => {
    if ("stored" in w) stored += w.stored;
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
  return 0;
}
