import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

// Two tiers: `unit` (lib/, components/, server/ *.test.ts) needs nothing running; `integration`
// (*.integration.test.ts) gets a fresh migrated PostgreSQL database and starts real servers.
// Playwright's e2e/*.spec.ts are run by scripts/e2e.ts, never by Vitest.
export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL("./", import.meta.url)) } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: "forks",
    // CI reads the totals from a JSON report (.ci/summary.mjs).
    reporters: process.env.CI ? ["default", ["json", { outputFile: "reports/vitest.json" }]] : ["default"],
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "components/**/*.test.ts", "server/**/*.test.ts", "scripts/**/*.test.ts"],
          exclude: ["**/*.integration.test.ts", "**/node_modules/**"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["**/*.integration.test.ts"],
          exclude: ["**/node_modules/**"],
          globalSetup: ["test/global-setup.ts"],
        },
      },
    ],
  },
});
