// Test-only: a Tandem server of a test's own on an empty database (for first run, which needs a
// database nobody has signed up to yet). The database is made beside the e2e one and dropped after.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import pg from "pg";

export type OwnServer = { url: string; stop: () => Promise<void> };

async function admin(baseUrl: string, sql: string) {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function startOwnServer(env: Record<string, string>): Promise<OwnServer> {
  const e2eDb = process.env.E2E_DATABASE_URL;
  if (!e2eDb) throw new Error("E2E_DATABASE_URL is not set: run the e2e tests through npm run test:e2e");
  const name = `tandem_e2e_own_${randomBytes(6).toString("hex")}`;
  await admin(e2eDb, `CREATE DATABASE ${name}`);
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
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      await admin(e2eDb, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
