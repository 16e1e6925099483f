import { compareSnapshots } from "@/lib/diff";
import { MAX_VERSION } from "@/lib/etag";
import type { FieldChanges, RevisionDto } from "@/lib/types";
import { z } from "zod";
import { notFound } from "@/server/errors";
import { listRevisions } from "@/server/persistence/revisions-repo";
import { loadRecord } from "./access";
import type { Actor, UseCaseDeps } from "./deps";

export const ListRevisionsQuery = z.object({
  cursor: z.coerce.number().int().positive().max(MAX_VERSION).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  field: z.string().max(63).optional(),
  author: z.string().max(100).optional(),
});
export type ListRevisionsQuery = z.infer<typeof ListRevisionsQuery>;

export async function listRecordRevisions(deps: UseCaseDeps, actor: Actor, recordId: string, query: ListRevisionsQuery) {
  const { record } = await loadRecord(deps, actor, recordId);
  const page = await listRevisions(deps.db, record.id, {
    beforeVersion: query.cursor,
    limit: query.limit,
    field: query.field || undefined,
    authorId: query.author || undefined,
  });
  return { revisions: page.revisions, nextCursor: page.nextBeforeVersion === null ? null : String(page.nextBeforeVersion) };
}

export async function getRecordRevision(deps: UseCaseDeps, actor: Actor, recordId: string, version: number): Promise<RevisionDto> {
  const { record } = await loadRecord(deps, actor, recordId);
  const revision = await deps.store.revision(record.id, version);
  if (!revision) throw notFound(`Version ${version}`);
  return revision;
}

/** Any two versions side by side: what changed from `from` to `to`, field by field. */
export async function compareRevisions(
  deps: UseCaseDeps,
  actor: Actor,
  recordId: string,
  from: number,
  to: number,
): Promise<{ from: RevisionDto; to: RevisionDto; changes: FieldChanges }> {
  const { record } = await loadRecord(deps, actor, recordId);
  const [a, b] = await Promise.all([deps.store.revision(record.id, from), deps.store.revision(record.id, to)]);
  if (!a) throw notFound(`Version ${from}`);
  if (!b) throw notFound(`Version ${to}`);
  return { from: a, to: b, changes: compareSnapshots(a.snapshot ?? {}, b.snapshot ?? {}) };
}
