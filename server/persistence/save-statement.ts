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

/**
 * The whole save in one statement and one round trip: lock the row only if it is at the client's
 * version, not deleted, and the author may still write in its workspace; apply the patch; write the
 * revision (with from/to per changed field) and the idempotency key from the same row. No row means
 * the save did not happen: stale, gone, forbidden or a no-op; the caller finds out which.
 */
export async function savePatchIfCurrent(db: Db, input: SavePatchInput): Promise<{ record: RecordDto; changes: FieldChanges } | null> {
  const { idempotency } = input;
  const patch = JSON.stringify(input.patch);
  const rows = await db.$queryRaw<(Parameters<typeof toRecordDto>[0] & { changes: FieldChanges })[]>`
    WITH old AS (
      SELECT r.id, r."values" FROM records r
      WHERE r.id = ${input.recordId}::uuid AND r.version = ${input.expectedVersion}::int AND r."deletedAt" IS NULL
        AND EXISTS (SELECT 1 FROM memberships m WHERE m."workspaceId" = ${input.workspaceId}::uuid
                    AND m."userId" = ${input.authorId}::text AND m.role IN ('owner', 'editor'))
      FOR UPDATE
    ), diff AS (
      SELECT old.id, old."values" || ${patch}::jsonb AS "values",
             (SELECT jsonb_object_agg(k, jsonb_build_object('from', COALESCE(old."values" -> k, 'null'::jsonb), 'to', ${patch}::jsonb -> k))
              FROM jsonb_object_keys(${patch}::jsonb) AS k
              WHERE COALESCE(old."values" -> k, 'null'::jsonb) IS DISTINCT FROM ${patch}::jsonb -> k) AS changes
      FROM old
    ), updated AS (
      UPDATE records r SET "values" = diff."values", version = r.version + 1, "updatedAt" = now(), "updatedById" = ${input.authorId}::text
      FROM diff WHERE r.id = diff.id AND diff.changes IS NOT NULL
      RETURNING r.id, r."collectionId", r."values", r.version, r."createdAt", r."updatedAt", r."updatedById", r."deletedAt", diff.changes
    ), revision AS (
      INSERT INTO revisions ("recordId", version, kind, "authorId", changes, snapshot, meta, "createdAt")
      SELECT id, version, ${input.kind}::text, ${input.authorId}::text, changes, "values",
             ${input.meta == null ? null : JSON.stringify(input.meta)}::jsonb, "updatedAt"
      FROM updated
    ), idempotency AS (
      INSERT INTO idempotency_keys ("userId", key, "requestHash", status, headers, body)
      SELECT ${idempotency?.userId ?? null}::text, ${idempotency?.key ?? null}::text, ${idempotency?.requestHash ?? null}::text,
             ${idempotency?.status ?? 200}::int, '{}'::jsonb, jsonb_build_object('recordId', id, 'version', version)
      FROM updated WHERE ${idempotency != null}::boolean
    )
    SELECT updated.*, u.name AS "updatedByName" FROM updated JOIN users u ON u.id = updated."updatedById"`;
  const row = rows[0];
  return row ? { record: toRecordDto(row), changes: row.changes } : null;
}
