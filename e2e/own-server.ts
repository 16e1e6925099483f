// Test-only: a Tandem server of a test's own on an empty database (for first run, which needs a
// database nobody has signed up to yet), or on the database of another own server (a second process,
// to go on after the first was killed). A database is made beside the e2e one and dropped by the
// server that made it.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import pg from "pg";

export type OwnServer = {
  url: string;
  /** the database's name, for a second server on it */
  database: string;
  /** resolves when the process has ended, however it ended */
  exited: Promise<void>;
  stop: () => Promise<void>;
};

async function admin(baseUrl: string, sql: string) {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function startOwnServer(env: Record<string, string>, options: { database?: string } = {}): Promise<OwnServer> {
  const e2eDb = process.env.E2E_DATABASE_URL;
  if (!e2eDb) throw new Error("E2E_DATABASE_URL is not set: run the e2e tests through npm run test:e2e");
  const isOwnDatabase = !options.database;
  const name = options.database ?? `tandem_e2e_own_${randomBytes(6).toString("hex")}`;
  if (isOwnDatabase) await admin(e2eDb, `CREATE DATABASE ${name}`);
  const url = new URL(e2eDb);
  url.pathname = `/${name}`;
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "server/cli.ts"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: url.toString(),
      PORT: "0",
      HOST: "127.0.0.1",
      BETTER_AUTH_SECRET: randomBytes(32).toString("hex"),
      TANDEM_PARENT_PID: String(process.pid),
      REDIS_URL: "",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let output = "";
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 90 s:\n${output}`)), 90_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  return {
    url: baseUrl,
    database: name,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        await exited;
      }
      if (isOwnDatabase) await admin(e2eDb, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
