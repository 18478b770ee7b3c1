import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { loadConfig } from "../../../pipeline/config/load";
import { isConfigError } from "../../../pipeline/errors";

const dir = mkdtempSync(join(tmpdir(), "earshot-private-networks-"));
const configFile = (http: unknown) => {
  const path = join(dir, `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify({ http }));
  return path;
};

describe("http.allowPrivateNetworks", () => {
  test("loadConfig() keeps the SSRF guard closed by default and takes true to open it all", () => {
    expect(loadConfig(null, {}).config.http.allowPrivateNetworks).toBe(false);
    expect(loadConfig(null, { EARSHOT_ALLOW_PRIVATE_NETWORKS: "true" }).config.http.allowPrivateNetworks).toBe(true);
  });

  test("loadConfig() takes a list of ranges from the file and a comma-separated one from the environment", () => {
    const fromFile = loadConfig(configFile({ allowPrivateNetworks: ["10.20.0.0/16", "192.168.1.5"] }), {});
    expect(fromFile.config.http.allowPrivateNetworks).toEqual(["10.20.0.0/16", "192.168.1.5"]);
    const fromEnv = loadConfig(null, { EARSHOT_ALLOW_PRIVATE_NETWORKS: "10.20.0.0/16, fd00::/8" });
    expect(fromEnv.config.http.allowPrivateNetworks).toEqual(["10.20.0.0/16", "fd00::/8"]);
  });

  test("loadConfig() refuses a range that is not one, naming the setting", () => {
    let message = "";
    try {
      loadConfig(configFile({ allowPrivateNetworks: ["10.20.0.0/99"] }), {});
    } catch (err) {
      if (!isConfigError(err)) throw err;
      message = err.message;
    }
    expect(message).toContain("http.allowPrivateNetworks");
  });
});
