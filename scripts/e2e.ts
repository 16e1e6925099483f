// `npm run test:e2e`: build if needed, a fresh database, the real server on a free port, then
// Playwright against it; everything is stopped afterwards and Playwright's exit code returned.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { freePort, startEmbeddedPostgres } from "../server/db/embedded";
import { ensureBuild } from "./ensure-build.ts";
import { applyMigrations } from "../server/db/migrate";

type Database = { url: string; teardown: () => Promise<void> };

function log(line: string) {
  console.log(`[e2e] ${line}`);
}

async function provisionDatabase(): Promise<Database> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const name = `tandem_e2e_${randomBytes(6).toString("hex")}`;
    const admin = async (sql: string) => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    };
    await admin(`CREATE DATABASE ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    log(`database ${name} on TEST_DATABASE_URL`);
    return { url: url.toString(), teardown: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
  }
  const dataDir = await fsp.mkdtemp(path.join(os.tmpdir(), "tandem-e2e-pg-"));
  const db = await startEmbeddedPostgres({ dataDir, database: "tandem_e2e" });
  log(`embedded PostgreSQL on port ${db.port}`);
  return {
    url: db.url,
    teardown: async () => {
      await db.stop();
      await fsp.rm(db.dataDir, { recursive: true, force: true });
    },
  };
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early (${child.exitCode})`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`server not healthy after ${timeoutMs / 1000}s`);
}

function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

function runPlaywright(env: NodeJS.ProcessEnv): Promise<number> {
  const args = ["playwright", "test", ...process.argv.slice(2)];
  const child = spawn("npx", args, { stdio: "inherit", env });
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

async function main(): Promise<number> {
  ensureBuild((line) => log(line));
  const db = await provisionDatabase();
  let server: ChildProcess | undefined;
  const cleanup = async () => {
    await stopProcess(server);
    await db.teardown().catch((e: unknown) => console.error("[e2e] database teardown failed", e));
  };
  const onSignal = () => void cleanup().then(() => process.exit(130));
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    await applyMigrations(db.url);
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, ["--import", "tsx", "server/cli.ts"], {
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        PORT: String(port),
        HOST: "127.0.0.1",
        NODE_ENV: "production",
        DATABASE_URL: db.url,
        BETTER_AUTH_SECRET: randomBytes(32).toString("base64url"),
        TANDEM_PARENT_PID: String(process.pid),
        // Every test signs in from 127.0.0.1: the per-address limit would count them as one client.
        TANDEM_AUTH_ADDRESS_LIMIT: "1000000",
        TANDEM_AUTH_ACCOUNT_LIMIT: "1000000",
        // Tests make their people by signing them up (the gate itself is tested in test/invitations and test/first-run).
        TANDEM_OPEN_SIGNUP: "true",
        // The webhook tests' receiver listens on 127.0.0.1, and ten attempts take seconds, not a day.
        TANDEM_WEBHOOKS_ALLOW_PRIVATE: "true",
        TANDEM_WEBHOOK_RETRY_DIVISOR: "100000",
      },
    });
    const serverLog = fs.createWriteStream(path.join(os.tmpdir(), `tandem-e2e-server-${port}.log`));
    server.stdout?.pipe(serverLog);
    server.stderr?.on("data", (chunk: Buffer) => {
      serverLog.write(chunk);
      process.stderr.write(`[server] ${chunk}`);
    });
    log(`server starting on ${baseUrl}`);
    await waitForHealth(baseUrl, server);
    log("server healthy; running Playwright");
    // E2E_DATABASE_URL: for tests that start servers of their own beside this one (e2e/own-server.ts).
    return await runPlaywright({ ...process.env, E2E_BASE_URL: baseUrl, E2E_DATABASE_URL: db.url });
  } finally {
    await cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error("[e2e]", error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
