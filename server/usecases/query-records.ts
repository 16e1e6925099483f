import { z } from "zod";
import { findUnstorable } from "@/lib/input-safety";
import type { RecordDto } from "@/lib/types";
import { AppError, badRequest, notFound } from "@/server/errors";
import { findCollectionAccess } from "@/server/persistence/collections-repo";
import { listRecords, type RecordCursor } from "@/server/persistence/records-repo";
import { isUuid, loadRecord } from "./access";
import type { Actor, UseCaseDeps } from "./deps";

export async function getRecord(deps: UseCaseDeps, actor: Actor, recordId: string): Promise<RecordDto> {
  const { record } = await loadRecord(deps, actor, recordId);
  if (record.deletedAt) throw new AppError("gone", "This record was deleted", { current: record });
  return record;
}

export const ListRecordsQuery = z.object({
  cursor: z.string().max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  q: z.string().max(200).optional(),
  sort: z.string().max(63).default("createdAt"),
  dir: z.enum(["asc", "desc"]).default("desc"),
  /** the collection's trash: deleted records only (who deleted and when: updatedBy, updatedAt) */
  deleted: z
    .enum(["true", "false"], { error: "deleted must be true or false" })
    .default("false")
    .transform((v) => v === "true"),
});
export type ListRecordsQuery = z.infer<typeof ListRecordsQuery> & { filters?: Record<string, string> };

const encodeCursor = (c: RecordCursor) => Buffer.from(JSON.stringify([c.value, c.id])).toString("base64url");

function decodeCursor(cursor: string): RecordCursor {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString());
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[1] === "string" && isUuid(parsed[1]) && !findUnstorable(parsed[0])) {
      return { value: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw badRequest("cursor is not valid; start again from the first page");
}

/** `filter.<key>=value` query parameters, checked against the collection's select and tags fields. */
export function readFilters(query: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(query)
      .filter(([name]) => name.startsWith("filter."))
      .map(([name, value]) => [name.slice("filter.".length), value]),
  );
}

const CURSOR_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})Z$/;

function isCursorInstant(value: string): boolean {
  const match = CURSOR_INSTANT.exec(value);
  return match !== null && Number(match[1]) >= 1 && new Date(value).toISOString() === value;
}

export async function listCollectionRecords(deps: UseCaseDeps, actor: Actor, collectionId: string, query: ListRecordsQuery) {
  if (!isUuid(collectionId)) throw notFound("Collection");
  const collection = await findCollectionAccess(deps.db, collectionId, actor.id);
  if (!collection) throw notFound("Collection");
  const byKey = new Map(collection.fields.map((f) => [f.key, f]));
  const filters = query.filters ?? {};
  for (const key of Object.keys(filters)) {
    const type = byKey.get(key)?.type;
    if (type !== "select" && type !== "tags" && type !== "text" && type !== "user") {
      throw badRequest(`Cannot filter by "${key}": filter by a select, tags, text or user field`);
    }
  }
  const sortKey = query.sort === "createdAt" || query.sort === "updatedAt" ? query.sort : { field: query.sort };
  if (typeof sortKey === "object" && !byKey.has(sortKey.field)) throw badRequest(`Cannot sort by unknown field "${query.sort}"`);
  const after = query.cursor ? decodeCursor(query.cursor) : undefined;
  // Only what this API itself writes into a time cursor: an ISO instant in PostgreSQL's range
  // (JavaScript accepts "1", "2026-12" and year +275760; PostgreSQL does not).
  if (after && typeof sortKey === "string" && (typeof after.value !== "string" || !isCursorInstant(after.value))) {
    throw badRequest("cursor does not belong to this sort; start again from the first page");
  }
  const page = await listRecords(deps.db, collectionId, {
    after,
    limit: query.limit,
    q: query.q || undefined,
    sort: { key: sortKey, dir: query.dir },
    filters,
    isDeleted: query.deleted,
  });
  return { records: page.records, nextCursor: page.nextCursor ? encodeCursor(page.nextCursor) : null };
}
