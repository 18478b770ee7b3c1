import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { configTable } from "../pipeline/config/describe";

const readme = readFileSync("README.md", "utf8");

describe("README", () => {
  test("README's configuration table is the one generated from the schema", () => {
    const between = /<!-- config-table:start -->\n([\s\S]*?)\n<!-- config-table:end -->/.exec(readme)?.[1];
    expect(between, "run `npx earshot check --table` and paste the output between the markers").toBe(configTable());
  });

  test("README's two commands are the ones .ci/run and package.json use", () => {
    expect(readme).toContain("npm ci && npm start");
    expect(readme).toContain("npm ci && npm test");
    expect(readFileSync(".ci/run", "utf8")).toMatch(/^npm ci && npm test$/m);
  });
});
