// `npm start`: build the production bundle when there is none, then run the one server process.
import { spawnSync } from "node:child_process";
import fs from "node:fs";

if (!fs.existsSync(".next/BUILD_ID")) {
  console.log("No production build yet: running `next build` (once)…");
  const result = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
(process.env as Record<string, string>).NODE_ENV = "production";
await import("../server/cli.ts");
