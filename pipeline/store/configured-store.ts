import { resolve } from "node:path";
import type { Config, Secrets } from "../config/schema";
import { openStore, type OpenStoreConfig } from "./open-store";
import type { Store } from "./store";

/** Where the configuration says the store is: the embedded directory made absolute, or the server with its password from the environment. */
export function storeOptionsOf(config: Config, secrets: Secrets): OpenStoreConfig {
  return config.store.kind === "embedded"
    ? { kind: "embedded", dataDir: resolve(config.store.dataDir), database: config.store.database }
    : { ...config.store, password: secrets.storePassword ?? undefined };
}

/** Opens (and migrates) the configured store. */
export function openConfiguredStore({ config, secrets }: { config: Config; secrets: Secrets }): Promise<Store> {
  return openStore(storeOptionsOf(config, secrets));
}
