import { openChdbRunner } from "./chdb";
import { openServerRunner } from "./clickhouse";
import type { SqlRunner } from "./sql-runner";
import { createStore, type Store } from "./store";

export type OpenStoreConfig =
  | { kind: "embedded"; dataDir: string; database?: string }
  | {
      kind: "server";
      url: string;
      username?: string;
      password?: string;
      database?: string;
      /** Creates replicated tables ON CLUSTER this cluster (see migrate.ts). */
      cluster?: string;
    };

const DEFAULT_DATABASE = "earshot";

/** Opens the configured backend, applies pending migrations, and returns the Store. */
export async function openStore(cfg: OpenStoreConfig): Promise<Store> {
  const database = cfg.database ?? DEFAULT_DATABASE;
  const runner: SqlRunner =
    cfg.kind === "embedded"
      ? await openChdbRunner({ dataDir: cfg.dataDir })
      : await openServerRunner({
          url: cfg.url,
          ...(cfg.username === undefined ? {} : { username: cfg.username }),
          ...(cfg.password === undefined ? {} : { password: cfg.password }),
          // The Store's database is not the connection default: it may not
          // exist until migrate() creates it.
        });
  const store = createStore(runner, {
    database,
    ...(cfg.kind === "server" && cfg.cluster !== undefined ? { cluster: cfg.cluster } : {}),
  });
  try {
    await store.migrate();
  } catch (err) {
    await runner.close();
    throw err;
  }
  return store;
}
