// The statements the baselines send: Tandem's own save statement (the one writer's WRITE_SQL:
// lock at the client's version with the membership check, patch, changes, revision and
// idempotency key in one round trip, or the current row when nothing was written), a record read,
// and the health query. Both baselines use them, raw pg from the bench and the bare HTTP server
// (workers/bare-http.ts), so that each does the database work Tandem does and no more. Imported,
// not copied: the baselines always send exactly the statement the server sends.
import type pg from "pg";
import { rolesFor } from "../../lib/permissions.ts";
import { WRITE_SQL } from "../../server/persistence/pg/write-sql.ts";

/**
 * The hot counter's baseline (the counters bench): what an operation is without Tandem around it,
 * one conditional UPDATE of one row, no revision. $1 record, $2 counter field, $3 delta; no row
 * when the result would be below 0.
 */
export const RAW_ADD = `UPDATE records SET "values" = jsonb_set("values", ARRAY[$2::text], to_jsonb(("values" ->> $2::text)::bigint + $3::bigint)), version = version + 1
  WHERE id = $1::uuid AND ("values" ->> $2::text)::bigint + $3::bigint >= 0
  RETURNING version, "values" ->> $2::text AS value`;

/** What GET /api/health asks the database. */
export const HEALTH_SQL = `SELECT count(*) AS migrations FROM _prisma_migrations WHERE finished_at IS NOT NULL`;

type Values = Record<string, unknown>;
export type SaveInput = { recordId: string; expectedVersion: number; workspaceId: string; authorId: string; patch: Values };
const WRITE_ROLES = rolesFor("record.write");

export type SaveRow = {
  outcome: "saved" | "refused";
  id: string;
  collectionId: string;
  values: Values;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  updatedById: string;
  updatedByName: string;
  deletedAt: Date | null;
  changes: Values | null;
};

/** The save statement, named (planned once per connection) as the server's is; its one row, if any. */
export async function runSave(db: pg.Pool, input: SaveInput): Promise<SaveRow | undefined> {
  const { rows } = await db.query<SaveRow>({
    name: "bench_save",
    text: WRITE_SQL,
    values: [input.recordId, input.expectedVersion, input.authorId, WRITE_ROLES, JSON.stringify(input.patch), "{}", null, "save", null, null, null, 200, false],
  });
  return rows[0];
}

/** One conditional save; the new version, or null when `expectedVersion` was stale. */
export async function rawSave(db: pg.Pool, input: SaveInput): Promise<number | null> {
  const row = await runSave(db, input);
  return row?.outcome === "saved" ? row.version : null;
}

/** What a save reads first: the record's values and version. */
export async function rawRead(db: pg.Pool, recordId: string): Promise<{ values: Values; version: number }> {
  const { rows } = await db.query<{ values: Values; version: number }>({
    name: "bench_raw_read",
    text: `SELECT "values", version FROM records WHERE id = $1::uuid`,
    values: [recordId],
  });
  if (!rows[0]) throw new Error(`record ${recordId} not found`);
  return rows[0];
}
