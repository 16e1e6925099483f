// Builds the production bundle when there is none (npm start, npm test on a fresh clone).
import { spawnSync } from "node:child_process";
import fs from "node:fs";

export function ensureBuild(): void {
  if (fs.existsSync(".next/BUILD_ID")) return;
  console.log("No production build yet: running `next build` (once)…");
  const result = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (import.meta.url === `file://${process.argv[1]}`) ensureBuild();
