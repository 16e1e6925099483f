// Record reads that are not on the write path: keyset-paginated lists, and a record with its
// fields for server-side work (live documents, checkpoints).
import type { FieldDef, RecordDto } from "@/lib/types";
import { Prisma } from "./generated/client.ts";
import { toRecordDto, type RecordRow } from "./rows";
import type { Db } from "./prisma";

export type RecordSort = { key: "createdAt" | "updatedAt" | { field: string }; dir: "asc" | "desc" };
export type RecordCursor = { value: unknown; id: string };
export type RecordPage = { records: RecordDto[]; nextCursor: RecordCursor | null };

export type ListRecordsOptions = {
  after?: RecordCursor;
  limit: number;
  q?: string;
  sort: RecordSort;
  /** field key → value the field must equal (select) or contain (tags) */
  filters: Record<string, string>;
  /** the trash: deleted records instead of live ones */
  isDeleted?: boolean;
};

/**
 * Keyset-paginated on (sort value, id): a deep page costs what the first one does. Time columns
 * are compared as columns so the (collectionId, createdAt|updatedAt, id) indexes serve the page;
 * field values sort as jsonb, which orders numbers numerically and strings by text.
 */
export async function listRecords(db: Db, collectionId: string, options: ListRecordsOptions): Promise<RecordPage> {
  const { after, limit, q, sort, filters, isDeleted = false } = options;
  const pattern = q ? `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const isDesc = sort.dir === "desc";
  const order = isDesc ? Prisma.sql`DESC` : Prisma.sql`ASC`;
  const cmp = isDesc ? Prisma.sql`<` : Prisma.sql`>`;
  let sortExpr: Prisma.Sql;
  let keyset: Prisma.Sql = Prisma.sql`TRUE`;
  if (typeof sort.key === "string") {
    sortExpr = sort.key === "createdAt" ? Prisma.sql`r."createdAt"` : Prisma.sql`r."updatedAt"`;
    if (after) keyset = Prisma.sql`(${sortExpr}, r.id) ${cmp} (${String(after.value)}::timestamptz, ${after.id}::uuid)`;
  } else {
    sortExpr = Prisma.sql`COALESCE(r."values" -> ${sort.key.field}::text, 'null'::jsonb)`;
    if (after) keyset = Prisma.sql`(${sortExpr}, r.id) ${cmp} (${JSON.stringify(after.value)}::jsonb, ${after.id}::uuid)`;
  }
  const filterSql = Object.entries(filters).map(
    ([key, value]) => Prisma.sql`(r."values" -> ${key}::text = to_jsonb(${value}::text) OR r."values" -> ${key}::text @> jsonb_build_array(${value}::text))`,
  );
  const where = Prisma.join([Prisma.sql`TRUE`, ...filterSql], " AND ");
  const rows = await db.prisma.$queryRaw<(RecordRow & { sortValue: unknown })[]>`
    SELECT r.id, r."collectionId", r."values", r.version, r."createdAt", r."updatedAt", r."updatedById",
           u.name AS "updatedByName", r."deletedAt", ${sortExpr} AS "sortValue"
    FROM records r JOIN users u ON u.id = r."updatedById"
    WHERE r."collectionId" = ${collectionId}::uuid AND (r."deletedAt" IS NOT NULL) = ${isDeleted} AND ${keyset} AND ${where}
      AND (${pattern}::text IS NULL OR r."values"::text ILIKE ${pattern})
    ORDER BY ${sortExpr} ${order}, r.id ${order}
    LIMIT ${limit + 1}::int`;
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const cursorValue = (value: unknown) => (value instanceof Date ? value.toISOString() : value);
  return {
    records: page.map(toRecordDto),
    nextCursor: rows.length > limit && last ? { value: cursorValue(last.sortValue), id: last.id } : null,
  };
}

/** A record with its collection's fields, for server-side work that is not on behalf of a request. */
export async function findRecordById(db: Db, recordId: string): Promise<{ record: RecordDto; fields: FieldDef[] } | null> {
  const rows = await db.prisma.$queryRaw<(RecordRow & { fields: FieldDef[] })[]>`
    SELECT r.id, r."collectionId", r."values", r.version, r."createdAt", r."updatedAt", r."updatedById",
           u.name AS "updatedByName", r."deletedAt", c.fields
    FROM records r JOIN collections c ON c.id = r."collectionId" JOIN users u ON u.id = r."updatedById"
    WHERE r.id = ${recordId}::uuid`;
  return rows[0] ? { record: toRecordDto(rows[0]), fields: rows[0].fields } : null;
}
