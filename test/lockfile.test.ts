import { readFileSync } from "node:fs";
import { expect, test } from "vitest";

test("package-lock.json lists every chdb platform package, so npm ci accepts it (fix: node .ci/lock-platforms.mjs)", () => {
  const lock = JSON.parse(readFileSync("package-lock.json", "utf8")) as {
    packages: Record<string, { optionalDependencies?: Record<string, string> }>;
  };
  const platforms = Object.keys(lock.packages["node_modules/chdb"]?.optionalDependencies ?? {});
  expect(platforms.length).toBeGreaterThan(0);
  for (const name of platforms) expect(lock.packages, name).toHaveProperty([`node_modules/${name}`]);
});
