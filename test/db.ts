// Helpers for integration tests: the run's database (provisioned by test/global-setup.ts) and
// scratch databases for tests that need an empty or deliberately broken one.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, inject, onTestFinished } from "vitest";

export function getTestDatabaseUrl(): string {
  const url = inject("databaseUrl");
  if (!url) throw new Error("no test database: is test/global-setup.ts configured as Vitest's globalSetup?");
  return url;
}

/**
 * Runs `fn` when the current test ends, or after the file's tests when called at file or
 * describe level. (afterAll registered from inside a running test or a beforeAll is silently
 * never called, so do not call these helpers from beforeAll.)
 */
export function cleanupAfter(fn: () => unknown): void {
  try {
    onTestFinished(async () => {
      await fn();
    });
  } catch {
    afterAll(async () => {
      await fn();
    });
  }
}

/** A pool on the test database, closed when the current test (or file) is done. */
export function useTestPool(config: pg.PoolConfig = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString: getTestDatabaseUrl(), max: 5, ...config });
  cleanupAfter(() => pool.end());
  return pool;
}

/** An empty database on the same server, dropped when the current test (or file) is done. */
export async function createScratchDatabase(): Promise<string> {
  const name = `tandem_scratch_${randomBytes(6).toString("hex")}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  cleanupAfter(() => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  const url = new URL(getTestDatabaseUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * An empty database for a whole file (its own servers, its own outbox and webhook queue), for a
 * beforeAll; the caller drops it in afterAll. A test file on the shared database would have its
 * deliveries claimed by other files' servers, which refuse private addresses.
 */
export async function newDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `tandem_own_${randomBytes(6).toString("hex")}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(getTestDatabaseUrl());
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: getTestDatabaseUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
