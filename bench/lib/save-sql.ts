// The statements the baselines send: a copy of Tandem's one-statement save
// (server/persistence/save-statement.ts: lock at the client's version with the membership check,
// patch, changes, revision and idempotency key in one round trip, or the current row when stale),
// a record read, and the health query. Both baselines use them, raw pg from the bench and the bare
// HTTP server (workers/bare-http.ts), so that each does the database work Tandem does and no
// more. Copied, not imported: the bench must keep measuring while the server's code changes.
// Keep it in step with the server when its save statement changes.
import type pg from "pg";

// $1 record, $2 expected version, $3 workspace, $4 author, $5 patch, $6 kind, $7 meta,
// $8 idempotency key (null: none), $9 request hash, $10 replay status
export const SAVE_SQL = `
  WITH old AS (
    SELECT r.id, r."values" FROM records r
    WHERE r.id = $1::uuid AND r.version = $2::int AND r."deletedAt" IS NULL
      AND EXISTS (SELECT 1 FROM memberships m WHERE m."workspaceId" = $3::uuid AND m."userId" = $4::text
                  AND m.role IN ('owner', 'editor'))
    FOR UPDATE
  ), diff AS (
    SELECT old.id, old."values" || $5::jsonb AS "values",
           (SELECT jsonb_object_agg(k, jsonb_build_object('from', COALESCE(old."values" -> k, 'null'::jsonb), 'to', $5::jsonb -> k))
            FROM jsonb_object_keys($5::jsonb) AS k
            WHERE COALESCE(old."values" -> k, 'null'::jsonb) IS DISTINCT FROM $5::jsonb -> k) AS changes
    FROM old
  ), updated AS (
    UPDATE records r SET "values" = diff."values", version = r.version + 1, "updatedAt" = now(), "updatedById" = $4::text
    FROM diff WHERE r.id = diff.id AND diff.changes IS NOT NULL
    RETURNING r.id, r."collectionId", r."values", r.version, r."createdAt", r."updatedAt", r."updatedById", r."deletedAt", diff.changes
  ), revision AS (
    INSERT INTO revisions ("recordId", version, kind, "authorId", changes, snapshot, meta, "createdAt")
    SELECT id, version, $6::text, $4::text, changes, "values", $7::jsonb, "updatedAt" FROM updated
  ), idempotency AS (
    INSERT INTO idempotency_keys ("userId", key, "requestHash", status, headers, body)
    SELECT $4::text, $8::text, $9::text, $10::int, '{}'::jsonb, jsonb_build_object('recordId', id, 'version', version)
    FROM updated WHERE $8::text IS NOT NULL
  )
  SELECT 'saved' AS outcome, updated.*, u.name AS "updatedByName", NULL::jsonb AS "baseSnapshot"
  FROM updated JOIN users u ON u.id = updated."updatedById"
  UNION ALL
  SELECT 'stale', r.id, r."collectionId", r."values", r.version, r."createdAt", r."updatedAt", r."updatedById",
         r."deletedAt", NULL::jsonb, u.name, v.snapshot
  FROM records r
  JOIN users u ON u.id = r."updatedById"
  LEFT JOIN revisions v ON v."recordId" = r.id AND v.version = $2::int
  WHERE r.id = $1::uuid AND r.version <> $2::int AND r."deletedAt" IS NULL
    AND NOT EXISTS (SELECT 1 FROM old)
    AND EXISTS (SELECT 1 FROM memberships m WHERE m."workspaceId" = $3::uuid AND m."userId" = $4::text
                AND m.role IN ('owner', 'editor'))`;

/** What GET /api/health asks the database. */
export const HEALTH_SQL = `SELECT count(*) AS migrations FROM _prisma_migrations WHERE finished_at IS NOT NULL`;

type Values = Record<string, unknown>;
export type SaveInput = { recordId: string; expectedVersion: number; workspaceId: string; authorId: string; patch: Values };
export type SaveRow = {
  outcome: "saved" | "stale";
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
    text: SAVE_SQL,
    values: [input.recordId, input.expectedVersion, input.workspaceId, input.authorId, JSON.stringify(input.patch), "save", null, null, null, 200],
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
