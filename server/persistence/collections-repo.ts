import { permissionsOf } from "@/lib/permissions";
import type { CollectionDto, FieldDef, Role } from "@/lib/types";
import { Prisma } from "./generated/client.ts";
import type { Db } from "./prisma";

type CollectionRow = {
  id: string;
  workspaceId: string;
  workspaceName: string;
  name: string;
  fields: FieldDef[];
  limits: CollectionDto["limits"];
  role: Role;
  recordCount: bigint;
  version: number;
  removedFields: FieldDef[];
  archivedAt: Date | null;
};

const toDto = (row: CollectionRow): CollectionDto => ({
  id: row.id,
  workspaceId: row.workspaceId,
  name: row.name,
  fields: row.fields,
  limits: row.limits,
  role: row.role,
  permissions: permissionsOf(row.role, { isArchived: row.archivedAt !== null }),
  recordCount: Number(row.recordCount),
  workspaceName: row.workspaceName,
  version: row.version,
  removedFields: row.removedFields,
  archivedAt: row.archivedAt ? row.archivedAt.toISOString() : null,
});

/** Each limit with how much of it live records use now (the materialised total). */
const LIMITS_WITH_USE = Prisma.sql`(
  SELECT COALESCE(jsonb_agg(l || jsonb_build_object('used', COALESCE(ct.used, 0))), '[]'::jsonb)
  FROM jsonb_array_elements(c.limits) l
  LEFT JOIN collection_totals ct ON ct."collectionId" = c.id AND ct.field = l ->> 'field') AS limits`;

export async function listCollectionsForUser(db: Db, userId: string): Promise<CollectionDto[]> {
  const rows = await db.prisma.$queryRaw<CollectionRow[]>`
    SELECT c.id, c."workspaceId", w.name AS "workspaceName", c.name, c.fields, ${LIMITS_WITH_USE}, m.role, c.version, c."removedFields", c."archivedAt",
           (SELECT count(*) FROM records r WHERE r."collectionId" = c.id AND r."deletedAt" IS NULL) AS "recordCount"
    FROM collections c JOIN memberships m ON m."workspaceId" = c."workspaceId" AND m."userId" = ${userId}::text
    JOIN workspaces w ON w.id = c."workspaceId"
    ORDER BY c."createdAt", c.name`;
  return rows.map(toDto);
}

export async function findCollectionForUser(db: Db, collectionId: string, userId: string): Promise<CollectionDto | null> {
  const rows = await db.prisma.$queryRaw<CollectionRow[]>`
    SELECT c.id, c."workspaceId", w.name AS "workspaceName", c.name, c.fields, ${LIMITS_WITH_USE}, m.role, c.version, c."removedFields", c."archivedAt",
           (SELECT count(*) FROM records r WHERE r."collectionId" = c.id AND r."deletedAt" IS NULL) AS "recordCount"
    FROM collections c JOIN memberships m ON m."workspaceId" = c."workspaceId" AND m."userId" = ${userId}::text
    JOIN workspaces w ON w.id = c."workspaceId"
    WHERE c.id = ${collectionId}::uuid`;
  return rows[0] ? toDto(rows[0]) : null;
}

export async function isWorkspaceMember(db: Db, workspaceId: string, userId: string): Promise<boolean> {
  const rows = await db.prisma.$queryRaw<{ one: number }[]>`
    SELECT 1 AS one FROM memberships WHERE "workspaceId" = ${workspaceId}::uuid AND "userId" = ${userId}::text`;
  return rows.length > 0;
}

export async function listWorkspaceMembers(db: Db, workspaceId: string): Promise<{ id: string; name: string; email: string; role: Role }[]> {
  return db.prisma.$queryRaw`
    SELECT u.id, u.name, u.email, m.role FROM memberships m JOIN users u ON u.id = m."userId"
    WHERE m."workspaceId" = ${workspaceId}::uuid ORDER BY u.name`;
}

/** The collection and the caller's role, without counting its records (list pages need no count). */
export async function findCollectionAccess(
  db: Db,
  collectionId: string,
  userId: string,
): Promise<Pick<CollectionDto, "id" | "workspaceId" | "name" | "fields" | "role"> | null> {
  const rows = await db.prisma.$queryRaw<Pick<CollectionRow, "id" | "workspaceId" | "name" | "fields" | "role">[]>`
    SELECT c.id, c."workspaceId", c.name, c.fields, m.role
    FROM collections c JOIN memberships m ON m."workspaceId" = c."workspaceId" AND m."userId" = ${userId}::text
    WHERE c.id = ${collectionId}::uuid`;
  return rows[0] ?? null;
}
