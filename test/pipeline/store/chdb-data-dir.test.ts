import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { openStore } from "../../../pipeline/store/open-store";
import { isStoreError } from "../../../pipeline/store/sql-runner";
import { tempDirs } from "../../support/temp-dir";

// Its own file: chDB binds one data directory per process, and no session may be open here.
const dirs = tempDirs();

describe("openStore() embedded with an unusable data directory", () => {
  test("openStore() refuses a data directory a file is in the way of with a StoreError naming the directory", async () => {
    const file = join(dirs.make("earshot-chdb-dir-"), "data");
    writeFileSync(file, "");
    for (const dataDir of [file, join(file, "nested")]) {
      const err = await openStore({ kind: "embedded", dataDir, database: "earshot" }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(isStoreError(err) && !err.transient).toBe(true);
      expect((err as Error).message).toContain(`chDB data directory ${dataDir} is not usable: a file is in the way`);
      expect((err as Error).message).toContain("store.dataDir");
    }
  });
});
