// One fresh, migrated database for the whole Vitest run (DESIGN.md: integration tests run on a
// real PostgreSQL). TEST_DATABASE_URL names a server to create it on; without it, a throwaway
// embedded cluster is started under os.tmpdir().
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../server/db/embedded";
import { applyMigrations } from "../server/db/migrate";
import { ensureBuild } from "../scripts/ensure-build";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Integration tests start the real production server: on a fresh clone, build it first.
  ensureBuild();
  const { url, teardown } = process.env.TEST_DATABASE_URL ? await createDatabaseOn(process.env.TEST_DATABASE_URL) : await startThrowawayCluster();
  try {
    await applyMigrations(url);
  } catch (err) {
    await teardown();
    throw err;
  }
  project.provide("databaseUrl", url);
  // Workers are forked after global setup and inherit this, so code that reads DATABASE_URL
  // (the app's own Prisma client) talks to the test database too.
  process.env.DATABASE_URL = url;
  return teardown;
}

async function createDatabaseOn(serverUrl: string) {
  const name = `tandem_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    teardown: async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      // FORCE: a test that forgot to close its pool must not leave the database behind.
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

async function startThrowawayCluster() {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "tandem-test-pg-"));
  const db = await startEmbeddedPostgres({ dataDir, database: "tandem_test" });
  return {
    url: db.url,
    teardown: async () => {
      await db.stop();
      await fs.rm(db.dataDir, { recursive: true, force: true });
    },
  };
}
