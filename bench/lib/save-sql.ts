// The save statement of server/persistence/records-repo.ts (writeRecordVersion), copied in its
// shape (the server's one-statement save in save-statement.ts also checks membership and computes
// the changes in SQL, so it does strictly more), sent by plain `pg`: the raw baseline the HTTP save path is compared with. Keep it in
// step with the repository when the save SQL changes.
import type pg from "pg";

export const SAVE_SQL = `
  WITH updated AS (
    UPDATE records
    SET "values" = $3::jsonb, version = version + 1, "updatedAt" = now(),
        "updatedById" = $4::text, "deletedAt" = CASE WHEN $5::boolean THEN now() ELSE NULL END
    WHERE id = $1::uuid AND version = $2::int AND "deletedAt" IS NULL
    RETURNING id, "collectionId", "values", version, "createdAt", "updatedAt", "updatedById", "deletedAt"
  ), revision AS (
    INSERT INTO revisions ("recordId", version, kind, "authorId", changes, snapshot, meta, "createdAt")
    SELECT id, version, $6::text, $4::text, $7::jsonb, "values", $8::jsonb, "updatedAt"
    FROM updated
  ), idempotency AS (
    INSERT INTO idempotency_keys ("userId", key, "requestHash", status, headers, body)
    SELECT $9::text, $10::text, $11::text, $12::int, '{}'::jsonb, jsonb_build_object('recordId', id, 'version', version)
    FROM updated WHERE $13::boolean
  )
  SELECT updated.*, u.name AS "updatedByName" FROM updated JOIN users u ON u.id = updated."updatedById"`;

type Values = Record<string, unknown>;

/** One conditional save; the new version, or null when `expectedVersion` was stale. */
export async function rawSave(
  db: pg.Pool,
  input: { recordId: string; expectedVersion: number; values: Values; changes: Values; authorId: string },
): Promise<number | null> {
  // Named, so PostgreSQL plans it once per connection, as the server's own save statement is.
  const { rows } = await db.query<{ version: number }>({ name: "bench_raw_save", text: SAVE_SQL, values: [
    input.recordId,
    input.expectedVersion,
    JSON.stringify(input.values),
    input.authorId,
    false,
    "save",
    JSON.stringify(input.changes),
    null,
    null,
    null,
    null,
    200,
    false,
  ] });
  return rows[0]?.version ?? null;
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
