import type { FieldChanges, RecordValues, RevisionDto, RevisionKind } from "@/lib/types";
import type { Db } from "./prisma";

type RevisionRow = {
  version: number;
  kind: RevisionKind;
  authorId: string;
  authorName: string;
  createdAt: Date;
  changes: FieldChanges;
  snapshot?: RecordValues;
  meta: RevisionDto["meta"];
};

function toRevisionDto(row: RevisionRow): RevisionDto {
  return {
    version: row.version,
    kind: row.kind,
    author: { id: row.authorId, name: row.authorName },
    createdAt: row.createdAt.toISOString(),
    changes: row.changes,
    ...(row.snapshot !== undefined ? { snapshot: row.snapshot } : {}),
    meta: row.meta,
  };
}

/** Plain pg, named: every refused save reads its base version here. */
export async function findRevision(db: Db, recordId: string, version: number): Promise<RevisionDto | null> {
  const { rows } = await db.pool.query<RevisionRow>({
    name: "tandem_find_revision",
    text: `SELECT v.version, v.kind, v."authorId", u.name AS "authorName", v."createdAt", v.changes, v.snapshot, v.meta
           FROM revisions v JOIN users u ON u.id = v."authorId"
           WHERE v."recordId" = $1::uuid AND v.version = $2::int`,
    values: [recordId, version],
  });
  return rows[0] ? toRevisionDto(rows[0]) : null;
}

export type RevisionFilter = { beforeVersion?: number; limit: number; field?: string; authorId?: string };

/** Newest first; keyset on version, so page 500 costs what page 1 does. Snapshots are left out of lists. */
export async function listRevisions(
  db: Db,
  recordId: string,
  filter: RevisionFilter,
): Promise<{ revisions: RevisionDto[]; nextBeforeVersion: number | null }> {
  const { beforeVersion, limit, field, authorId } = filter;
  const rows = await db.prisma.$queryRaw<RevisionRow[]>`
    SELECT v.version, v.kind, v."authorId", u.name AS "authorName", v."createdAt", v.changes, v.meta
    FROM revisions v JOIN users u ON u.id = v."authorId"
    WHERE v."recordId" = ${recordId}::uuid
      AND (${beforeVersion ?? null}::int IS NULL OR v.version < ${beforeVersion ?? null}::int)
      AND (${field ?? null}::text IS NULL OR v.changes ? ${field ?? ""}::text)
      AND (${authorId ?? null}::text IS NULL OR v."authorId" = ${authorId ?? null}::text)
    ORDER BY v.version DESC
    LIMIT ${limit + 1}::int`;
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { revisions: page.map(toRevisionDto), nextBeforeVersion: rows.length > limit && last ? last.version : null };
}
