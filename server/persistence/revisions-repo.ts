import type { RevisionDto } from "@/lib/types";
import { toRevisionDto, type RevisionRow } from "./rows";
import type { Db } from "./prisma";

export type RevisionFilter = { beforeVersion?: number; limit: number; field?: string; authorId?: string };

/** Newest first; keyset on version, so page 500 costs what page 1 does. Snapshots are left out of lists. */
export async function listRevisions(db: Db, recordId: string, filter: RevisionFilter): Promise<{ revisions: RevisionDto[]; nextBeforeVersion: number | null }> {
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

/** Oldest first with snapshots, `limit` at a time after `afterVersion` (a history export walks them all). */
export async function revisionsWithSnapshots(db: Db, recordId: string, afterVersion: number, limit: number): Promise<RevisionDto[]> {
  const rows = await db.prisma.$queryRaw<RevisionRow[]>`
    SELECT v.version, v.kind, v."authorId", u.name AS "authorName", v."createdAt", v.changes, v.snapshot, v.meta
    FROM revisions v JOIN users u ON u.id = v."authorId"
    WHERE v."recordId" = ${recordId}::uuid AND v.version > ${afterVersion}::int
    ORDER BY v.version ASC
    LIMIT ${limit}::int`;
  return rows.map(toRevisionDto);
}
