import type { FieldChanges, RecordDto, RecordValues } from "@/lib/types";
import type { Db } from "./prisma";
import { toRecordDto, type IdempotencyInsert } from "./records-repo";

export type SavePatchInput = {
  recordId: string;
  workspaceId: string;
  expectedVersion: number;
  patch: RecordValues;
  kind: "save" | "merge";
  authorId: string;
  meta: unknown;
  idempotency?: IdempotencyInsert;
};

export type SavePatchOutcome =
  | { outcome: "saved"; record: RecordDto; changes: FieldChanges }
  /** the record moved on: the current row and the snapshot of the client's base version */
  | { outcome: "stale"; current: RecordDto; baseValues: RecordValues }
  /** not saved, for a reason the checked path must work out (gone, forbidden, no-op, unknown base) */
  | { outcome: "unknown" };

type Row = Parameters<typeof toRecordDto>[0] & { outcome: "saved" | "stale"; changes: FieldChanges | null; baseSnapshot: RecordValues | null };

/**
 * The whole save in one statement and one round trip: lock the row only if it is at the client's
 * version, not deleted, and the author may still write in its workspace; apply the patch; write the
 * revision (with from/to per changed field) and the idempotency key from the same row. When the
 * row had moved on, the same statement returns the current row and the client's base snapshot,
 * so a refusal costs no further query.
 */
export async function savePatchIfCurrent(db: Db, input: SavePatchInput): Promise<SavePatchOutcome> {
  const { idempotency } = input;
  // A named statement is parsed and planned once per connection, not on every save.
  const { rows } = await db.pool.query<Row>({
    name: "tandem_save_patch",
    text: SAVE_SQL,
    values: [
      input.recordId,
      input.expectedVersion,
      input.workspaceId,
      input.authorId,
      JSON.stringify(input.patch),
      input.kind,
      input.meta == null ? null : JSON.stringify(input.meta),
      idempotency?.key ?? null,
      idempotency?.requestHash ?? null,
      idempotency?.status ?? 200,
    ],
  });
  const row = rows[0];
  if (row?.outcome === "saved" && row.changes) return { outcome: "saved", record: toRecordDto(row), changes: row.changes };
  if (row?.outcome === "stale" && row.baseSnapshot) return { outcome: "stale", current: toRecordDto(row), baseValues: row.baseSnapshot };
  return { outcome: "unknown" };
}

// $1 record, $2 expected version, $3 workspace, $4 author, $5 patch, $6 kind, $7 meta,
// $8 idempotency key (null: none), $9 request hash, $10 replay status
const SAVE_SQL = `
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
  -- Not saved because the row is at another version (as this statement's snapshot sees it): the
  -- refusal's material. Anything else (deleted, no access, a row locked and changed meanwhile)
  -- returns nothing and is explained by the caller's checked path.
  SELECT 'stale', r.id, r."collectionId", r."values", r.version, r."createdAt", r."updatedAt", r."updatedById",
         r."deletedAt", NULL::jsonb, u.name, v.snapshot
  FROM records r
  JOIN users u ON u.id = r."updatedById"
  LEFT JOIN revisions v ON v."recordId" = r.id AND v.version = $2::int
  WHERE r.id = $1::uuid AND r.version <> $2::int AND r."deletedAt" IS NULL
    AND NOT EXISTS (SELECT 1 FROM old)
    AND EXISTS (SELECT 1 FROM memberships m WHERE m."workspaceId" = $3::uuid AND m."userId" = $4::text
                AND m.role IN ('owner', 'editor'))`;
