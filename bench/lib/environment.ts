// What the benchmark stands on: a production build, a fresh migrated database (on DATABASE_URL's
// server, else a throwaway embedded PostgreSQL) and the real server as a child process.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "@/server/db/embedded";
import { applyMigrations } from "@/server/db/migrate";
import { ensureBuild } from "../../scripts/ensure-build.ts";

/** Things to stop, newest first, whatever happens. */
export class Cleanup {
  private readonly steps: { label: string; run: () => Promise<unknown> }[] = [];

  add(label: string, run: () => Promise<unknown>): void {
    this.steps.push({ label, run });
  }

  async runAll(log: (line: string) => void): Promise<void> {
    while (this.steps.length > 0) {
      const step = this.steps.pop()!;
      try {
        await step.run();
      } catch (error) {
        log(`cleanup "${step.label}" failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}

export const ensureProductionBuild = (log: (line: string) => void): void => void ensureBuild(log);

/** A new, migrated database for this run only, dropped (or its whole cluster removed) at cleanup. */
export async function startDatabase(cleanup: Cleanup, log: (line: string) => void): Promise<string> {
  const name = `tandem_bench_${randomBytes(5).toString("hex")}`;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const dataDir = await fsp.mkdtemp(path.join(os.tmpdir(), "tandem-bench-pg-"));
    // Retried: a stopping PostgreSQL may still write a file or two while the directory is being removed.
    cleanup.add("remove the embedded cluster", () => fsp.rm(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }));
    log("Starting an embedded PostgreSQL in a temporary directory…");
    const db = await startEmbeddedPostgres({ dataDir, database: "postgres" });
    cleanup.add("stop the embedded PostgreSQL", () => db.stop());
    serverUrl = db.url;
  }
  await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  if (process.env.DATABASE_URL) cleanup.add(`drop ${name}`, () => adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  await applyMigrations(url.toString());
  return url.toString();
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export type ServerProcess = {
  url: string;
  pid: number;
  /** performance.now() when it was spawned: the origin of its CPU profile's clock, near enough */
  spawnedAtMs: number;
  stop: () => Promise<void>;
};

export type ServerOptions = {
  databaseUrl: string;
  poolSize: number; /** extra flags for node itself, e.g. --cpu-prof */
  nodeArgs?: string[];
  log: (line: string) => void;
  /** BETTER_AUTH_SECRET; servers that must accept each other's session cookies share one */
  authSecret?: string;
  /** more environment for the server (e.g. TANDEM_METRICS=false) */
  env?: Record<string, string>;
};

/** `node --import tsx server/cli.ts` in production mode on a free port; resolves with its URL. */
export async function startServerProcess(options: ServerOptions, cleanup: Cleanup): Promise<ServerProcess> {
  const spawnedAtMs = performance.now();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), "--import", "tsx", "server/cli.ts"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: options.databaseUrl,
      DATABASE_POOL_SIZE: String(options.poolSize),
      PORT: "0",
      HOST: "127.0.0.1",
      TANDEM_SEED: "false",
      // Measured alone: no Redis adapter (the bare baselines have none), and gone with the bench.
      REDIS_URL: "",
      TANDEM_PARENT_PID: String(process.pid),
      BETTER_AUTH_SECRET: options.authSecret ?? randomBytes(32).toString("hex"),
      // The bench signs hundreds of users in from 127.0.0.1: one address to the limiter.
      TANDEM_AUTH_ADDRESS_LIMIT: "1000000",
      TANDEM_AUTH_ACCOUNT_LIMIT: "1000000",
      // The bench signs its users up.
      TANDEM_OPEN_SIGNUP: "true",
      // The webhook scenario's receiver listens on 127.0.0.1.
      TANDEM_WEBHOOKS_ALLOW_PRIVATE: "true",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    await exited;
    clearTimeout(timer);
  };
  cleanup.add("stop the server", stop);

  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stderr!.on("data", (chunk: Buffer) => {
    keep(chunk);
    if (process.env.BENCH_SERVER_LOGS) process.stderr.write(chunk);
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start in 60 s:\n${output}`)), 60_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      keep(chunk);
      if (process.env.BENCH_SERVER_LOGS) process.stdout.write(chunk);
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code ?? signal}) before it was ready:\n${output}`));
    });
  });
  options.log(`Server (pid ${child.pid}) at ${url}`);
  return { url, pid: child.pid!, spawnedAtMs, stop };
}
