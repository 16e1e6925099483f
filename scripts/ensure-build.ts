// Builds the production bundle when there is none: npm start, the Vitest setup, the e2e runner
// and the bench all call this, so a fresh clone needs no separate build step.
import { spawnSync } from "node:child_process";
import fs from "node:fs";

export function ensureBuild(log: (line: string) => void = console.log): void {
  if (fs.existsSync(".next/BUILD_ID")) return;
  log("No production build yet: running `next build` (once)…");
  const result = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error(`next build failed (exit ${result.status})`);
}
