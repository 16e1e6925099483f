// A real Tandem server process for integration tests: production build, port 0, the run's database.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll } from "vitest";
import { getTestDatabaseUrl } from "./db";

export type TestServer = {
  url: string;
  process: ChildProcess;
  /** everything the server wrote to stdout and stderr so far */
  output: () => string;
  stop: () => Promise<void>;
};

export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const child = spawn(process.execPath, ["--import", "tsx", "server/cli.ts"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: getTestDatabaseUrl(),
      PORT: "0",
      HOST: "127.0.0.1",
      TANDEM_SEED: "false",
      // Each server gets its own Redis channel prefix unless a test pairs servers on purpose.
      TANDEM_REDIS_PREFIX: `tandem-test-${randomBytes(4).toString("hex")}`,
      TANDEM_CHECKPOINT_MS: "300",
      // If the test runner dies without stopping us, exit on our own.
      TANDEM_PARENT_PID: String(process.pid),
      BETTER_AUTH_SECRET: randomBytes(32).toString("hex"),
      // Every test signs its people up and in from 127.0.0.1, some of them many times at once (50
      // tabs of one person); the limiter's own tests set theirs.
      TANDEM_AUTH_ADDRESS_LIMIT: "1000000",
      TANDEM_AUTH_ACCOUNT_LIMIT: "1000000",
      // Tests make their people by signing them up; the sign-up gate's own tests close it.
      TANDEM_OPEN_SIGNUP: "true",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (process.env.TEST_SERVER_LOGS) process.stderr.write(chunk);
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  };
  return { url, process: child, output: () => output, stop };
}

/**
 * One server for the test file: started before its tests, stopped after them. Call it at the top
 * level of the file (hooks registered inside another hook are never run).
 */
export function useTestServer(env: Record<string, string> = {}): { readonly url: string; output: () => string; stop: () => Promise<void> } {
  let server: TestServer | undefined;
  beforeAll(async () => {
    server = await startTestServer(env);
  });
  afterAll(async () => {
    await server?.stop();
  });
  return {
    get url() {
      if (!server) throw new Error("the test server is not started yet");
      return server.url;
    },
    output: () => server?.output() ?? "",
    stop: async () => server?.stop(),
  };
}
