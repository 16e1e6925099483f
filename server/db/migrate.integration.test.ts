import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { cleanupAfter, createScratchDatabase } from "../../test/db";
import { applyMigrations, readMigrations } from "./migrate";

const INIT = "20261122000000_init";

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** A copy of prisma/migrations under os.tmpdir() that a test may edit. */
async function copyOfMigrations(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "tandem-migrations-"));
  cleanupAfter(() => fs.rm(dir, { recursive: true, force: true }));
  await fs.cp("prisma/migrations", dir, { recursive: true });
  return dir;
}

async function addMigration(dir: string, name: string, sql: string): Promise<void> {
  await fs.mkdir(path.join(dir, name));
  await fs.writeFile(path.join(dir, name, "migration.sql"), sql);
}

describe("applyMigrations", () => {
  it("applies every migration once and records it as Prisma Migrate does", async () => {
    const url = await createScratchDatabase();
    const all = (await readMigrations()).map((m) => m.name);
    expect(all).toContain(INIT);
    expect(await applyMigrations(url)).toEqual(all);
    expect(await applyMigrations(url)).toEqual([]);

    const rows = await query(url, `SELECT * FROM "_prisma_migrations" WHERE migration_name = $1`, [INIT]);
    const file = await fs.readFile(path.join("prisma/migrations", INIT, "migration.sql"));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      checksum: createHash("sha256").update(file).digest("hex"),
      logs: null,
      rolled_back_at: null,
      applied_steps_count: 1,
    });
    expect(rows[0].id).toMatch(/^[0-9a-f-]{36}$/);
    expect(rows[0].finished_at).toBeInstanceOf(Date);
    expect(rows[0].started_at).toBeInstanceOf(Date);

    // The bookkeeping table's shape is what `prisma migrate status` reads.
    const columns = await query(
      url,
      `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull,
              pg_get_expr(d.adbin, d.adrelid) AS default
         FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE a.attrelid = '"_prisma_migrations"'::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    );
    expect(columns).toEqual([
      { name: "id", type: "character varying(36)", notnull: true, default: null },
      { name: "checksum", type: "character varying(64)", notnull: true, default: null },
      { name: "finished_at", type: "timestamp with time zone", notnull: false, default: null },
      { name: "migration_name", type: "character varying(255)", notnull: true, default: null },
      { name: "logs", type: "text", notnull: false, default: null },
      { name: "rolled_back_at", type: "timestamp with time zone", notnull: false, default: null },
      { name: "started_at", type: "timestamp with time zone", notnull: true, default: "now()" },
      { name: "applied_steps_count", type: "integer", notnull: true, default: "0" },
    ]);
    const pk = await query(url, `SELECT 1 FROM pg_constraint WHERE conrelid = '"_prisma_migrations"'::regclass AND contype = 'p'`);
    expect(pk).toHaveLength(1);
  });

  it("lets concurrent runners on one fresh database apply each migration exactly once", async () => {
    const url = await createScratchDatabase();
    const results = await Promise.all([1, 2, 3, 4].map(() => applyMigrations(url)));
    const all = (await readMigrations()).map((m) => m.name);
    expect(results.flat().sort()).toEqual(all);
    expect(results.filter((r) => r.length > 0)).toHaveLength(1);
    const counts = await query(url, `SELECT migration_name, count(*)::int AS n FROM "_prisma_migrations" GROUP BY 1 ORDER BY 1`);
    expect(counts).toEqual(all.map((name) => ({ migration_name: name, n: 1 })));
  });

  it("applies new migrations in name order, each in its own transaction", async () => {
    const url = await createScratchDatabase();
    const dir = await copyOfMigrations();
    await applyMigrations(url, { migrationsDir: dir });
    await addMigration(dir, "20990102000000_second", `ALTER TABLE "scratch" ADD COLUMN "b" INT;`);
    await addMigration(dir, "20990101000000_first", `CREATE TABLE "scratch" ("a" INT);`);
    expect(await applyMigrations(url, { migrationsDir: dir })).toEqual(["20990101000000_first", "20990102000000_second"]);
  });

  it("refuses an applied migration whose file changed, but not a mere line-ending change", async () => {
    const url = await createScratchDatabase();
    const dir = await copyOfMigrations();
    await applyMigrations(url, { migrationsDir: dir });
    const file = path.join(dir, INIT, "migration.sql");
    const original = await fs.readFile(file, "utf8");

    await fs.writeFile(file, original.replace(/\n/g, "\r\n")); // a Windows checkout
    expect(await applyMigrations(url, { migrationsDir: dir })).toEqual([]);

    await fs.writeFile(file, `${original}\nCREATE TABLE "sneaky" ("id" INT);\n`);
    await expect(applyMigrations(url, { migrationsDir: dir })).rejects.toThrow(/migration 20261122000000_init was modified after it was applied/);
  });

  it("rolls back a failing migration, records it, and retries it once fixed", async () => {
    const url = await createScratchDatabase();
    const dir = await copyOfMigrations();
    await applyMigrations(url, { migrationsDir: dir });
    await addMigration(dir, "20990101000000_broken", `CREATE TABLE "half" ("a" INT);\nSELECT * FROM "no_such_table";`);
    await expect(applyMigrations(url, { migrationsDir: dir })).rejects.toThrow(/20990101000000_broken failed and was rolled back: .*no_such_table/);

    expect(await query(url, `SELECT to_regclass('"half"') AS t`)).toEqual([{ t: null }]);
    const [row] = await query(url, `SELECT * FROM "_prisma_migrations" WHERE migration_name = '20990101000000_broken'`);
    expect(row).toMatchObject({ finished_at: null, applied_steps_count: 0 });
    expect(row.rolled_back_at).toBeInstanceOf(Date);
    expect(row.logs).toMatch(/no_such_table/);

    await fs.writeFile(path.join(dir, "20990101000000_broken", "migration.sql"), `CREATE TABLE "half" ("a" INT);`);
    expect(await applyMigrations(url, { migrationsDir: dir })).toEqual(["20990101000000_broken"]);
  });

  it("refuses to continue after a migration that failed outside a transaction (finished_at null)", async () => {
    const url = await createScratchDatabase();
    await applyMigrations(url);
    // What `prisma migrate deploy` leaves behind when a script fails half-way.
    await query(url, `UPDATE "_prisma_migrations" SET finished_at = NULL, logs = 'boom' WHERE migration_name = $1`, [INIT]);
    await expect(applyMigrations(url)).rejects.toThrow(/migration 20261122000000_init failed earlier and was not rolled back:\nboom/);
    await query(url, `UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = $1`, [INIT]);
    // Marked rolled back (prisma migrate resolve --rolled-back): it is pending again.
    await expect(applyMigrations(url)).rejects.toThrow(/already exists/);
  });
});
