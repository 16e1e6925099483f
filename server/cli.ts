import { runMain } from "./main";

// A server started by a test runner exits when the runner is gone, even if it was killed.
const parentPid = Number(process.env.TANDEM_PARENT_PID);
if (parentPid) {
  setInterval(() => {
    try {
      process.kill(parentPid, 0);
    } catch {
      process.kill(process.pid, "SIGTERM");
    }
  }, 1000).unref();
}

runMain().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
