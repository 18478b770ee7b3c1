import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // chDB binds one data directory per process: each test file runs in its own process.
    pool: "forks",
    testTimeout: 20_000,
    reporters: ["default", "./test/support/summary-reporter.ts"],
    hookTimeout: 60_000,
  },
});
