import type { FieldChanges, FieldDef, RecordDto, RecordValues, RevisionKind, Role } from "@/lib/types";
import { Prisma } from "./generated/client.ts";
import type { Db } from "./prisma";

type RecordRow = {
  id: string;
  collectionId: string;
  values: RecordValues;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  updatedById: string;
  updatedByName: string;
  deletedAt: Date | null;
};

export type RecordWithAccess = {
  record: RecordDto;
  fields: FieldDef[];
  workspaceId: string;
  role: Role;
};

export function toRecordDto(row: RecordRow): RecordDto {
  return {
    id: row.id,
    collectionId: row.collectionId,
    version: row.version,
    values: row.values,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    updatedBy: { id: row.updatedById, name: row.updatedByName },
    deletedAt: row.deletedAt ? row.deletedAt.toISOString() : null,
  };
}

/** The record with its collection's fields and the caller's role; null when absent or not the caller's. */
export async function findRecordForUser(db: Db, recordId: string, userId: string): Promise<RecordWithAccess | null> {
  // Plain pg: this read is on every GET and every checked save.
  const { rows } = await db.pool.query<RecordRow & { fields: FieldDef[]; workspaceId: string; role: Role | null }>({
    name: "tandem_find_record_for_user",
    text: `SELECT r.id, r."collectionId", r."values", r.version, r."createdAt", r."updatedAt", r."updatedById",
                  u.name AS "updatedByName", r."deletedAt", c.fields, c."workspaceId", m.role
           FROM records r
           JOIN collections c ON c.id = r."collectionId"
           JOIN users u ON u.id = r."updatedById"
           JOIN memberships m ON m."workspaceId" = c."workspaceId" AND m."userId" = $2
           WHERE r.id = $1::uuid`,
    values: [recordId, userId],
  });
  const row = rows[0];
  if (!row || !row.role) return null;
  return { record: toRecordDto(row), fields: row.fields, workspaceId: row.workspaceId, role: row.role };
}

export type IdempotencyInsert = { userId: string; key: string; requestHash: string; status: number };

/**
 * The idempotency row of a write, made from the row the write returned (`source`, a CTE name), so
 * it exists exactly when the write happened. Without a key the CTE inserts nothing.
 */
function idempotencyCte(source: "updated" | "created", idempotency: IdempotencyInsert | undefined): Prisma.Sql {
  return Prisma.sql`idempotency AS (
      INSERT INTO idempotency_keys ("userId", key, "requestHash", status, headers, body)
      SELECT ${idempotency?.userId ?? null}::text, ${idempotency?.key ?? null}::text, ${idempotency?.requestHash ?? null}::text,
             ${idempotency?.status ?? 0}::int, '{}'::jsonb, jsonb_build_object('recordId', id, 'version', version)
      FROM ${Prisma.raw(source)} WHERE ${idempotency != null}::boolean
    )`;
}

export type WriteVersionInput = {
  recordId: string;
  expectedVersion: number;
  values: RecordValues;
  changes: FieldChanges;
  kind: Exclude<RevisionKind, "create">;
  authorId: string;
  meta: unknown;
  idempotency?: IdempotencyInsert;
};

/**
 * The save: one statement, so one round trip and atomic without an explicit transaction.
 * The update only matches the version the client based its edit on; the revision row and the
 * idempotency row are written from the updated row, so no row updated means nothing written.
 * Returns null when the record moved on (stale) or was deleted.
 */
export async function writeRecordVersion(db: Db, input: WriteVersionInput): Promise<RecordDto | null> {
  const { recordId, expectedVersion, kind, authorId, idempotency } = input;
  const isDelete = kind === "delete";
  const rows = await db.prisma.$queryRaw<RecordRow[]>`
    WITH updated AS (
      UPDATE records
      SET "values" = ${JSON.stringify(input.values)}::jsonb, version = version + 1, "updatedAt" = now(),
          "updatedById" = ${authorId}::text, "deletedAt" = CASE WHEN ${isDelete}::boolean THEN now() ELSE NULL END
      WHERE id = ${recordId}::uuid AND version = ${expectedVersion}::int AND "deletedAt" IS NULL
      RETURNING id, "collectionId", "values", version, "createdAt", "updatedAt", "updatedById", "deletedAt"
    ), revision AS (
      INSERT INTO revisions ("recordId", version, kind, "authorId", changes, snapshot, meta, "createdAt")
      SELECT id, version, ${kind}::text, ${authorId}::text, ${JSON.stringify(input.changes)}::jsonb, "values",
             ${input.meta == null ? null : JSON.stringify(input.meta)}::jsonb, "updatedAt"
      FROM updated
    ), ${idempotencyCte("updated", idempotency)}
    SELECT updated.*, u.name AS "updatedByName" FROM updated JOIN users u ON u.id = updated."updatedById"`;
  return rows[0] ? toRecordDto(rows[0]) : null;
}

export type CreateRecordInput = {
  collectionId: string;
  values: RecordValues;
  changes: FieldChanges;
  authorId: string;
  idempotency?: IdempotencyInsert;
};

export async function insertRecord(db: Db, input: CreateRecordInput): Promise<RecordDto> {
  const { idempotency } = input;
  const rows = await db.prisma.$queryRaw<RecordRow[]>`
    WITH created AS (
      INSERT INTO records ("collectionId", "values", version, "updatedById")
      VALUES (${input.collectionId}::uuid, ${JSON.stringify(input.values)}::jsonb, 1, ${input.authorId})
      RETURNING id, "collectionId", "values", version, "createdAt", "updatedAt", "updatedById", "deletedAt"
    ), revision AS (
      INSERT INTO revisions ("recordId", version, kind, "authorId", changes, snapshot, "createdAt")
      SELECT id, 1, 'create', "updatedById", ${JSON.stringify(input.changes)}::jsonb, "values", "createdAt" FROM created
    ), ${idempotencyCte("created", idempotency)}
    SELECT created.*, u.name AS "updatedByName" FROM created JOIN users u ON u.id = created."updatedById"`;
  return toRecordDto(rows[0]!);
}

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
};

/**
 * Keyset-paginated on (sort value, id): a deep page costs what the first one does. Time columns
 * are compared as columns so the (collectionId, createdAt|updatedAt, id) indexes serve the page;
 * field values sort as jsonb, which orders numbers numerically and strings by text.
 */
export async function listRecords(db: Db, collectionId: string, options: ListRecordsOptions): Promise<RecordPage> {
  const { after, limit, q, sort, filters } = options;
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
    ([key, value]) =>
      Prisma.sql`(r."values" -> ${key}::text = to_jsonb(${value}::text) OR r."values" -> ${key}::text @> jsonb_build_array(${value}::text))`,
  );
  const where = Prisma.join([Prisma.sql`TRUE`, ...filterSql], " AND ");
  const rows = await db.prisma.$queryRaw<(RecordRow & { sortValue: unknown })[]>`
    SELECT r.id, r."collectionId", r."values", r.version, r."createdAt", r."updatedAt", r."updatedById",
           u.name AS "updatedByName", r."deletedAt", ${sortExpr} AS "sortValue"
    FROM records r JOIN users u ON u.id = r."updatedById"
    WHERE r."collectionId" = ${collectionId}::uuid AND r."deletedAt" IS NULL AND ${keyset} AND ${where}
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

/** The record as it was at one version, for replaying the answer to an idempotent retry. */
export async function findRecordAtVersion(db: Db, recordId: string, version: number): Promise<RecordDto | null> {
  const rows = await db.prisma.$queryRaw<RecordRow[]>`
    SELECT r.id, r."collectionId", v.snapshot AS "values", v.version, r."createdAt", v."createdAt" AS "updatedAt",
           v."authorId" AS "updatedById", u.name AS "updatedByName",
           CASE WHEN v.kind = 'delete' THEN v."createdAt" END AS "deletedAt"
    FROM revisions v JOIN records r ON r.id = v."recordId" JOIN users u ON u.id = v."authorId"
    WHERE v."recordId" = ${recordId}::uuid AND v.version = ${version}::int`;
  return rows[0] ? toRecordDto(rows[0]) : null;
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
