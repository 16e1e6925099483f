// The hand-written migrations must produce exactly the database prisma/schema.prisma describes
// (Prisma's own `migrate diff` needs the native engine this project cannot download).
import fs from "node:fs";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { applyMigrations } from "../server/db/migrate";
import { createScratchDatabase, getTestDatabaseUrl } from "./db";
import { expectedTables, type ExpectedTable } from "./prisma-schema";

type Table = Omit<ExpectedTable, "model" | "primaryKey"> & { primaryKey: string | null };

const ACTIONS: Record<string, string> = { a: "NO ACTION", r: "RESTRICT", c: "CASCADE", n: "SET NULL", d: "SET DEFAULT" };
const unquote = (s: string) => s.replace(/"((?:[^"]|"")*)"/g, (_, id: string) => id.replace(/""/g, '"'));

/** The public schema, in the same shape as expectedTables() returns. */
async function readDatabase(url: string): Promise<Map<string, Table>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const q = async (sql: string) => (await client.query(sql)).rows;
    const tables = new Map<string, Table>();
    const table = (name: string) => tables.get(name)!;
    const ns = `JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = current_schema()`;
    for (const r of await q(`SELECT t.relname FROM pg_class t ${ns} WHERE t.relkind IN ('r', 'p')`)) {
      tables.set(r.relname, { columns: {}, primaryKey: null, uniques: [], indexes: [], foreignKeys: [] });
    }
    const columns = await q(`
      SELECT t.relname, a.attname, format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable,
             pg_get_expr(d.adbin, d.adrelid) AS default
        FROM pg_attribute a JOIN pg_class t ON t.oid = a.attrelid ${ns}
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
       WHERE t.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped`);
    for (const r of columns) table(r.relname).columns[r.attname] = { type: r.type, nullable: r.nullable, default: r.default };

    const indexes = await q(`
      SELECT t.relname, i.relname AS name, x.indisunique, x.indisprimary, pg_get_indexdef(x.indexrelid) AS def
        FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid ${ns}`);
    for (const r of indexes) {
      // "CREATE INDEX x ON public.t USING btree ("a", b DESC)": keep the column list and anything
      // unusual (another method, a WHERE clause) so it shows up as a difference.
      const [, method, cols, rest] = /USING (\w+) \((.*?)\)(.*)$/.exec(r.def)!;
      const entry = `${r.name}(${unquote(cols)})${method === "btree" ? "" : ` USING ${method}`}${rest}`;
      if (r.indisprimary) table(r.relname).primaryKey = entry;
      else table(r.relname)[r.indisunique ? "uniques" : "indexes"].push(entry);
    }

    const fks = await q(`
      SELECT t.relname, c.conname, f.relname AS target, c.confdeltype, c.confupdtype,
             array(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(num, ord)
                   JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.num ORDER BY k.ord)::text[] AS cols,
             array(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(num, ord)
                   JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.num ORDER BY k.ord)::text[] AS refs
        FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid ${ns} JOIN pg_class f ON f.oid = c.confrelid
       WHERE c.contype = 'f'`);
    for (const r of fks) {
      table(r.relname).foreignKeys.push(
        `${r.conname}(${r.cols.join(", ")}) -> ${r.target}(${r.refs.join(", ")}) ON DELETE ${ACTIONS[r.confdeltype]} ON UPDATE ${ACTIONS[r.confupdtype]}`,
      );
    }
    return tables;
  } finally {
    await client.end();
  }
}

/** Human-readable differences between the schema and the database; empty when they agree. */
function compare(expected: Map<string, ExpectedTable>, actual: Map<string, Table>): string[] {
  const out: string[] = [];
  const setDiff = (where: string, what: string, want: string[], have: string[]) => {
    for (const w of want) if (!have.includes(w)) out.push(`${where}: missing ${what} ${w}`);
    for (const h of have) if (!want.includes(h)) out.push(`${where}: unexpected ${what} ${h}`);
  };
  setDiff("database", "table", [...expected.keys(), "_prisma_migrations"], [...actual.keys()]);
  for (const [name, want] of expected) {
    const have = actual.get(name);
    if (!have) continue;
    const where = `${name} (model ${want.model})`;
    setDiff(where, "column", Object.keys(want.columns), Object.keys(have.columns));
    for (const [col, w] of Object.entries(want.columns)) {
      const h = have.columns[col];
      if (!h) continue;
      if (h.type !== w.type) out.push(`${where}.${col}: type is ${h.type}, schema says ${w.type}`);
      if (h.nullable !== w.nullable) out.push(`${where}.${col}: ${h.nullable ? "nullable" : "NOT NULL"}, schema says ${w.nullable ? "optional" : "required"}`);
      if (h.default !== w.default) out.push(`${where}.${col}: default is ${h.default ?? "none"}, schema says ${w.default ?? "none"}`);
    }
    const pk = want.primaryKey.length ? `${name}_pkey(${want.primaryKey.join(", ")})` : null;
    if (have.primaryKey !== pk) out.push(`${where}: primary key is ${have.primaryKey ?? "none"}, schema says ${pk ?? "none"}`);
    setDiff(where, "unique index", want.uniques, have.uniques);
    setDiff(where, "index", want.indexes, have.indexes);
    setDiff(where, "foreign key", want.foreignKeys, have.foreignKeys);
  }
  return out;
}

const expected = expectedTables(fs.readFileSync("prisma/schema.prisma", "utf8"));

describe("the migrated database matches prisma/schema.prisma", () => {
  it("reads a plausible model from schema.prisma", () => {
    // Guards the parser itself: a model or relation it silently skipped would make the test vacuous.
    const users = expected.get("users")!;
    expect(users.columns.updatedAt).toEqual({ type: "timestamp(3) with time zone", nullable: false, default: "CURRENT_TIMESTAMP" });
    expect(expected.get("revisions")!.columns.id).toEqual({ type: "bigint", nullable: false, default: "nextval('revisions_id_seq'::regclass)" });
    expect(expected.get("memberships")!.primaryKey).toEqual(["workspaceId", "userId"]);
    const fks = [...expected.values()].flatMap((t) => t.foreignKeys);
    expect(fks).toContain("records_updatedById_fkey(updatedById) -> users(id) ON DELETE RESTRICT ON UPDATE CASCADE");
    expect(fks).toHaveLength((fs.readFileSync("prisma/schema.prisma", "utf8").match(/@relation\((?:"[^"]*",\s*)?fields:/g) ?? []).length);
    expect(expected.get("records")!.indexes).toEqual([
      "records_collectionId_createdAt_id_idx(collectionId, createdAt DESC, id DESC)",
      "records_collectionId_updatedAt_id_idx(collectionId, updatedAt DESC, id DESC)",
    ]);
  });

  it("has every table, column, type, nullability, default, key, index and foreign key, and nothing else", async () => {
    expect(compare(expected, await readDatabase(getTestDatabaseUrl()))).toEqual([]);
  });

  it("notices drift (the check above can fail)", async () => {
    const url = await createScratchDatabase();
    await applyMigrations(url);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`
      ALTER TABLE "records" ALTER COLUMN "version" TYPE BIGINT;
      ALTER TABLE "users" ALTER COLUMN "name" DROP NOT NULL;
      ALTER TABLE "workspaces" ALTER COLUMN "createdAt" DROP DEFAULT;
      ALTER TABLE "sessions" ALTER COLUMN "expiresAt" TYPE TIMESTAMP(3);
      DROP INDEX "sessions_userId_idx";
      DROP INDEX "users_email_key";
      ALTER TABLE "revisions" DROP CONSTRAINT "revisions_authorId_fkey";
      ALTER TABLE "accounts" DROP CONSTRAINT "accounts_userId_fkey",
        ADD CONSTRAINT "accounts_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
      ALTER TABLE "collections" ADD COLUMN "extra" TEXT;
      CREATE TABLE "stray" ("id" INT);`);
    await client.end();
    expect(compare(expected, await readDatabase(url)).sort()).toEqual(
      [
        "accounts (model Account): missing foreign key accounts_userId_fkey(userId) -> users(id) ON DELETE CASCADE ON UPDATE CASCADE",
        "accounts (model Account): unexpected foreign key accounts_userId_fkey(userId) -> users(id) ON DELETE SET NULL ON UPDATE CASCADE",
        "collections (model Collection): unexpected column extra",
        "database: unexpected table stray",
        "records (model Record).version: type is bigint, schema says integer",
        "revisions (model Revision): missing foreign key revisions_authorId_fkey(authorId) -> users(id) ON DELETE RESTRICT ON UPDATE CASCADE",
        "sessions (model Session): missing index sessions_userId_idx(userId)",
        "sessions (model Session).expiresAt: type is timestamp(3) without time zone, schema says timestamp(3) with time zone",
        "users (model User): missing unique index users_email_key(email)",
        "users (model User).name: nullable, schema says required",
        "workspaces (model Workspace).createdAt: default is none, schema says CURRENT_TIMESTAMP",
      ].sort(),
    );
  });
});
