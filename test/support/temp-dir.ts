import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

/**
 * Unique temporary directories for one test file, removed when the file's
 * tests are done. Call at file (or describe) level, not inside a test:
 *
 *   const dirs = tempDirs();
 *   test("…", () => { const dir = dirs.make("spill-"); … });
 *
 * Register it before hooks that close what lives in the directories (a chDB
 * session): vitest runs after-hooks in reverse order, so those close first.
 */
export function tempDirs(): { make(prefix?: string): string } {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return {
    make(prefix = "earshot-") {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      made.push(dir);
      return dir;
    },
  };
}
