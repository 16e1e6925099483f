// Applies prisma/migrations/*/migration.sql ourselves, because Prisma's migrate engine is a
// native binary fetched at run time (DESIGN.md). The bookkeeping mirrors Prisma Migrate's own
// `_prisma_migrations` table, so `prisma migrate status`/`deploy` agree with what we applied.
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import pg from "pg";

export interface ApplyMigrationsOptions {
  /** Relative to process.cwd(). */
  migrationsDir?: string;
  log?: (message: string) => void;
}

export interface MigrationFile {
  name: string;
  sql: string;
  /** sha256 hex of the file's bytes, as Prisma stores it. */
  checksum: string;
}

export class MigrationError extends Error {
  override name = "MigrationError";
}

// The key Prisma's schema engine locks on PostgreSQL, so our runner and `prisma migrate`
// also exclude each other, not just two Tandem processes.
export const MIGRATION_LOCK_KEY = 72707369;

// Prisma Migrate's DDL for its bookkeeping table on PostgreSQL.
const BOOKKEEPING_DDL = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"            VARCHAR(64) NOT NULL,
    "finished_at"         TIMESTAMPTZ,
    "migration_name"      VARCHAR(255) NOT NULL,
    "logs"                TEXT,
    "rolled_back_at"      TIMESTAMPTZ,
    "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

const sha256 = (text: string | Buffer) => createHash("sha256").update(text).digest("hex");

/** Migrations on disk, in the order Prisma applies them (directory name). */
export async function readMigrations(migrationsDir = "prisma/migrations"): Promise<MigrationFile[]> {
  const dir = path.resolve(process.cwd(), migrationsDir);
  const entries = await fs.readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const bytes = await fs.readFile(path.join(dir, name, "migration.sql")).catch(() => {
        throw new MigrationError(`migration ${name} has no migration.sql`);
      });
      return { name, sql: bytes.toString("utf8"), checksum: sha256(bytes) };
    }),
  );
}

/** Like Prisma: a checkout with other line endings (git autocrlf) still matches. */
function checksumMatches(sql: string, checksum: string): boolean {
  const lf = sql.replace(/\r\n/g, "\n");
  return [sql, lf, lf.replace(/\n/g, "\r\n")].some((variant) => sha256(variant) === checksum);
}

interface Row {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  logs: string | null;
}

/**
 * Applies every migration not yet applied, in order, each in its own transaction, under an
 * advisory lock. Returns the names applied (empty when the database was up to date).
 */
export async function applyMigrations(databaseUrl: string, opts: ApplyMigrationsOptions = {}): Promise<string[]> {
  const log = opts.log ?? (() => {});
  const migrations = await readMigrations(opts.migrationsDir);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("SET client_min_messages = warning"); // no NOTICEs from IF NOT EXISTS
    const { rows } = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1) AS ok", [MIGRATION_LOCK_KEY]);
    if (!rows[0].ok) {
      log("waiting for another process to finish migrating");
      await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    }
    try {
      // Read the state only once we hold the lock: the other process may just have migrated.
      await client.query(BOOKKEEPING_DDL);
      const applied = await client.query<Row>(
        `SELECT migration_name, checksum, finished_at, rolled_back_at, logs FROM "_prisma_migrations" ORDER BY started_at`,
      );
      const pending = checkHistory(migrations, applied.rows, log);
      const done: string[] = [];
      for (const m of pending) {
        await applyOne(client, m);
        log(`applied migration ${m.name}`);
        done.push(m.name);
      }
      return done;
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => {});
    }
  } finally {
    await client.end();
  }
}

/** Refuses a tampered or half-failed history, as `prisma migrate deploy` does; returns what is pending. */
function checkHistory(migrations: MigrationFile[], rows: Row[], log: (m: string) => void): MigrationFile[] {
  const live = rows.filter((r) => r.rolled_back_at === null);
  const failed = live.find((r) => r.finished_at === null);
  if (failed) {
    throw new MigrationError(
      `migration ${failed.migration_name} failed earlier and was not rolled back${failed.logs ? `:\n${failed.logs}` : ""}\n` +
        `Repair the database, then mark it with \`prisma migrate resolve --rolled-back ${failed.migration_name}\` (or --applied).`,
    );
  }
  const onDisk = new Map(migrations.map((m) => [m.name, m]));
  const appliedNames = new Set<string>();
  for (const row of live) {
    appliedNames.add(row.migration_name);
    const file = onDisk.get(row.migration_name);
    if (!file) {
      // An older build running against a newer database: not fatal, but worth knowing.
      log(`warning: migration ${row.migration_name} is applied but missing from the migrations directory`);
    } else if (!checksumMatches(file.sql, row.checksum)) {
      throw new MigrationError(
        `migration ${row.migration_name} was modified after it was applied (checksum ${row.checksum}, file ${file.checksum}). ` +
          `Applied migrations must not change; add a new migration instead.`,
      );
    }
  }
  return migrations.filter((m) => !appliedNames.has(m.name));
}

async function applyOne(client: pg.Client, m: MigrationFile): Promise<void> {
  const id = randomUUID();
  try {
    await client.query("BEGIN");
    await client.query(`INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)`, [
      id,
      m.checksum,
      m.name,
    ]);
    await client.query(m.sql); // simple query protocol: the whole multi-statement script
    await client.query(`UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1`, [id]);
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    const message = err instanceof Error ? err.message : String(err);
    // The transaction left nothing behind, so record the attempt as rolled back: it stays
    // visible in the history (with its error) and the next start simply retries it.
    await client
      .query(`INSERT INTO "_prisma_migrations" (id, checksum, migration_name, logs, rolled_back_at, applied_steps_count) VALUES ($1, $2, $3, $4, now(), 0)`, [
        id,
        m.checksum,
        m.name,
        message,
      ])
      .catch(() => {});
    throw new MigrationError(`migration ${m.name} failed and was rolled back: ${message}`, { cause: err });
  }
}
