import { z } from "zod";
import type { RecordDto } from "@/lib/types";
import { AppError, badRequest, notFound } from "@/server/errors";
import { findCollectionForUser } from "@/server/persistence/collections-repo";
import { listRecords } from "@/server/persistence/records-repo";
import { isUuid, loadRecord } from "./access";
import type { Actor, UseCaseDeps } from "./deps";

export async function getRecord(deps: UseCaseDeps, actor: Actor, recordId: string): Promise<RecordDto> {
  const { record } = await loadRecord(deps, actor, recordId);
  if (record.deletedAt) throw new AppError("gone", "This record was deleted", { current: record });
  return record;
}

export const ListRecordsQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  q: z.string().max(200).optional(),
});
export type ListRecordsQuery = z.infer<typeof ListRecordsQuery>;

const encodeCursor = (c: { createdAt: Date; id: string }) =>
  Buffer.from(`${c.createdAt.toISOString()}|${c.id}`).toString("base64url");

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, "base64url").toString().split("|");
  const createdAt = new Date(at ?? "");
  if (!id || !isUuid(id) || Number.isNaN(createdAt.getTime())) throw badRequest("cursor is not valid");
  return { createdAt, id };
}

export async function listCollectionRecords(deps: UseCaseDeps, actor: Actor, collectionId: string, query: ListRecordsQuery) {
  if (!isUuid(collectionId)) throw notFound("Collection");
  const collection = await findCollectionForUser(deps.db, collectionId, actor.id);
  if (!collection) throw notFound("Collection");
  const page = await listRecords(deps.db, collectionId, {
    after: query.cursor ? decodeCursor(query.cursor) : undefined,
    limit: query.limit,
    q: query.q || undefined,
  });
  return { records: page.records, nextCursor: page.nextCursor ? encodeCursor(page.nextCursor) : null };
}
