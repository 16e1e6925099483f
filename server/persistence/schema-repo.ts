// A collection's schema as a versioned record: create, a conditional write of the next version
// (the version check and the owner check are predicates of the one UPDATE), and its history.
import type { SchemaChanges, SchemaState } from "@/lib/schema";
import type { CollectionLimit, FieldDef, Role } from "@/lib/types";
import type pg from "pg";
import { LIVE_TOTAL_SQL } from "./pg/write-sql";
import type { Db } from "./prisma";
import { inTransaction } from "./transaction";

export type SchemaRow = SchemaState & {
  id: string;
  workspaceId: string;
  version: number;
  /** per limited field, what the live records use now (the materialised total) */
  used: Record<string, number>;
  role: Role | null;
  updatedAt: string;
};

type Row = {
  id: string;
  workspaceId: string;
  name: string;
  fields: FieldDef[];
  removedFields: FieldDef[];
  archivedAt: Date | null;
  version: number;
  limits: CollectionLimit[];
  used: Record<string, string | number>;
  role: Role | null;
  updatedAt: Date;
};

const toSchema = (row: Row): SchemaRow => ({
  id: row.id,
  workspaceId: row.workspaceId,
  name: row.name,
  archived: row.archivedAt !== null,
  fields: row.fields,
  removed: row.removedFields,
  version: row.version,
  limits: row.limits,
  used: Object.fromEntries(Object.entries(row.used).map(([field, used]) => [field, Number(used)])),
  role: row.role,
  updatedAt: row.updatedAt.toISOString(),
});

const SCHEMA_COLUMNS = `c.id, c."workspaceId", c.name, c.fields, c."removedFields", c."archivedAt", c.version, c.limits, m.role,
  (SELECT COALESCE(jsonb_object_agg(ct.field, ct.used), '{}'::jsonb) FROM collection_totals ct WHERE ct."collectionId" = c.id) AS used,
  -- A collection made outside the editor (a script, an older seed) may have no version row yet: its creation time then.
  COALESCE((SELECT v."createdAt" FROM collection_versions v WHERE v."collectionId" = c.id AND v.version = c.version), c."createdAt") AS "updatedAt"`;

/** The schema and the caller's role (null: not a member of its workspace). */
export async function findSchema(db: Db, collectionId: string, userId: string): Promise<SchemaRow | null> {
  const { rows } = await db.pool.query<Row>(
    `SELECT ${SCHEMA_COLUMNS} FROM collections c
     LEFT JOIN memberships m ON m."workspaceId" = c."workspaceId" AND m."userId" = $2::text
     WHERE c.id = $1::uuid`,
    [collectionId, userId],
  );
  return rows[0] ? toSchema(rows[0]) : null;
}

export async function workspaceRole(db: Db, workspaceId: string, userId: string): Promise<Role | null | undefined> {
  const { rows } = await db.pool.query<{ role: Role | null }>(
    `SELECT m.role FROM workspaces w LEFT JOIN memberships m ON m."workspaceId" = w.id AND m."userId" = $2::text WHERE w.id = $1::uuid`,
    [workspaceId, userId],
  );
  // undefined: no such workspace; null: not a member
  return rows.length === 0 ? undefined : rows[0]!.role;
}

/** A new collection and its first schema version, if the user holds one of `roles` in the workspace. */
export async function insertCollection(
  db: Db,
  input: { workspaceId: string; userId: string; roles: Role[]; name: string; fields: FieldDef[]; limits: CollectionLimit[] },
): Promise<string | null> {
  const { rows } = await db.pool.query<{ id: string }>(
    `WITH created AS (
       INSERT INTO collections ("workspaceId", name, fields, limits)
       SELECT $1::uuid, $3::text, $4::jsonb, $5::jsonb
       WHERE EXISTS (SELECT 1 FROM memberships m WHERE m."workspaceId" = $1::uuid AND m."userId" = $2::text AND m.role = ANY ($6::text[]))
       RETURNING id, name, fields, "createdAt"
     ), totals AS (
       INSERT INTO collection_totals ("collectionId", field, used)
       SELECT c.id, l ->> 'field', 0 FROM created c CROSS JOIN jsonb_array_elements($5::jsonb) l
     ), history AS (
       INSERT INTO collection_versions ("collectionId", version, name, fields, "removedFields", archived, limits, "authorId", changes, "createdAt")
       SELECT id, 1, name, fields, '[]'::jsonb, false, $5::jsonb, $2::text, '{}'::jsonb, "createdAt" FROM created
     )
     SELECT id FROM created`,
    [input.workspaceId, input.userId, input.name, JSON.stringify(input.fields), JSON.stringify(input.limits), input.roles],
  );
  return rows[0]?.id ?? null;
}

/** The NOTIFY channel a committed schema version is announced on (payload: SchemaEvent as JSON). */
export const SCHEMA_CHANNEL = "tandem_schema";

export type SchemaWriteOutcome =
  | { outcome: "saved"; version: number }
  | { outcome: "stale" }
  | { outcome: "forbidden" }
  /** a limit below what the collection's live records use now (F12): nothing was written */
  | { outcome: "limit"; field: string; used: number; max: number };

/** Thrown inside the transaction to roll it back with the refusal as the answer. */
class Refused extends Error {
  constructor(readonly outcome: SchemaWriteOutcome) {
    super(outcome.outcome);
  }
}

/**
 * The next version of a schema, written only if the current one is still `expectedVersion` and the
 * author still holds one of `roles`: one UPDATE, and its history row in the same statement. It
 * holds the collection's gate exclusively (migration collection_gate) for its transaction, so no
 * record write of the collection runs meanwhile: an archive waits for the writes in flight and
 * every write after it sees it, and the limits change against totals nobody moves. A limit kept
 * or changed is checked against its materialised total; a new one's total is summed from the live
 * records and stored in the same transaction; a removed one's total is dropped (F12).
 */
export async function writeSchema(
  db: Db,
  input: { collectionId: string; userId: string; roles: Role[]; expectedVersion: number; state: SchemaState; changes: SchemaChanges },
): Promise<SchemaWriteOutcome> {
  const { state } = input;
  return inTransaction(db, async (client) => {
    await client.query(`SELECT tandem_close_collection_gate($1::uuid)`, [input.collectionId]);
    const locked = await client.query<{ version: number; limits: CollectionLimit[] }>(
      `SELECT version, limits FROM collections WHERE id = $1::uuid FOR UPDATE`,
      [input.collectionId],
    );
    const before = locked.rows[0];
    if (before && before.version === input.expectedVersion) await moveTotals(client, input.collectionId, before.limits, state.limits);
    const { rows } = await client.query<{ version: number | null; isMember: boolean }>(
      `WITH updated AS (
       UPDATE collections c SET name = $4::text, fields = $5::jsonb, "removedFields" = $6::jsonb, limits = $10::jsonb,
              "archivedAt" = CASE WHEN $7::boolean THEN COALESCE(c."archivedAt", now()) END, version = c.version + 1
       WHERE c.id = $1::uuid AND c.version = $3::int
         AND EXISTS (SELECT 1 FROM memberships m WHERE m."workspaceId" = c."workspaceId" AND m."userId" = $2::text AND m.role = ANY ($8::text[]))
       RETURNING c.id, c.version, c.name, c.fields, c."removedFields", c."archivedAt", c.limits
     ), history AS (
       INSERT INTO collection_versions ("collectionId", version, name, fields, "removedFields", archived, limits, "authorId", changes)
       SELECT id, version, name, fields, "removedFields", "archivedAt" IS NOT NULL, limits, $2::text, $9::jsonb FROM updated
     ), notified AS (
       -- Every process hears it at commit (never before, never for a write that did not happen):
       -- each drops its cached shapes and tells its own sockets.
       SELECT pg_notify('${SCHEMA_CHANNEL}', json_build_object('collectionId', u.id, 'version', u.version, 'by', json_build_object('id', p.id, 'name', p.name))::text)
       FROM updated u JOIN users p ON p.id = $2::text
     )
     SELECT (SELECT version FROM updated) AS version, (SELECT count(*) FROM notified) AS notified,
            EXISTS (SELECT 1 FROM collections c JOIN memberships m ON m."workspaceId" = c."workspaceId"
                    WHERE c.id = $1::uuid AND m."userId" = $2::text AND m.role = ANY ($8::text[])) AS "isMember"`,
      [
        input.collectionId,
        input.userId,
        input.expectedVersion,
        state.name,
        JSON.stringify(state.fields),
        JSON.stringify(state.removed),
        state.archived,
        input.roles,
        JSON.stringify(input.changes),
        JSON.stringify(state.limits),
      ],
    );
    const row = rows[0]!;
    // A refusal rolls back what moveTotals did.
    if (row.version === null) throw new Refused(row.isMember ? { outcome: "stale" } : { outcome: "forbidden" });
    return { outcome: "saved", version: row.version } as const;
  }).catch((error: unknown) => {
    if (error instanceof Refused) return error.outcome;
    throw error;
  });
}

/** The collection's totals for its limits after the edit; refuses (Refused) a limit below its total. */
async function moveTotals(client: pg.PoolClient, collectionId: string, before: CollectionLimit[], after: CollectionLimit[]): Promise<void> {
  const had = new Set(before.map((l) => l.field));
  const keeps = new Set(after.map((l) => l.field));
  const dropped = [...had].filter((field) => !keeps.has(field));
  if (dropped.length > 0)
    await client.query(`DELETE FROM collection_totals WHERE "collectionId" = $1::uuid AND field = ANY ($2::text[])`, [collectionId, dropped]);
  for (const limit of after) {
    const previous = before.find((l) => l.field === limit.field);
    if (previous && previous.max <= limit.max) continue; // raised or kept: the total held the old max, so it holds this one
    let used: number;
    if (previous) {
      const { rows } = await client.query<{ used: string }>(
        `SELECT used FROM collection_totals WHERE "collectionId" = $1::uuid AND field = $2::text FOR UPDATE`,
        [collectionId, limit.field],
      );
      used = Number(rows[0]?.used ?? 0);
    } else {
      const { rows } = await client.query<{ used: string }>(LIVE_TOTAL_SQL, [collectionId, limit.field]);
      used = Number(rows[0]!.used);
      await client.query(
        `INSERT INTO collection_totals ("collectionId", field, used) VALUES ($1::uuid, $2::text, $3::numeric)
         ON CONFLICT ("collectionId", field) DO UPDATE SET used = EXCLUDED.used`,
        [collectionId, limit.field, rows[0]!.used],
      );
    }
    if (used > limit.max) throw new Refused({ outcome: "limit", field: limit.field, used, max: limit.max });
  }
}

export type SchemaVersionRow = SchemaState & { version: number; author: { id: string; name: string }; createdAt: string; changes: SchemaChanges };

type VersionRow = {
  version: number;
  name: string;
  fields: FieldDef[];
  removedFields: FieldDef[];
  archived: boolean;
  limits: CollectionLimit[];
  authorId: string;
  authorName: string;
  createdAt: Date;
  changes: SchemaChanges;
};

const toVersion = (row: VersionRow): SchemaVersionRow => ({
  version: row.version,
  name: row.name,
  archived: row.archived,
  fields: row.fields,
  removed: row.removedFields,
  limits: row.limits,
  author: { id: row.authorId, name: row.authorName },
  createdAt: row.createdAt.toISOString(),
  changes: row.changes,
});

export async function schemaVersion(db: Db, collectionId: string, version: number): Promise<SchemaVersionRow | null> {
  const { rows } = await db.pool.query<VersionRow>(
    `SELECT v.version, v.name, v.fields, v."removedFields", v.archived, v.limits, v."authorId", u.name AS "authorName", v."createdAt", v.changes
     FROM collection_versions v JOIN users u ON u.id = v."authorId" WHERE v."collectionId" = $1::uuid AND v.version = $2::int`,
    [collectionId, version],
  );
  return rows[0] ? toVersion(rows[0]) : null;
}

/** Newest first, `limit` at most, before version `before` when given. */
export async function schemaVersions(db: Db, collectionId: string, limit: number, before?: number): Promise<SchemaVersionRow[]> {
  const { rows } = await db.pool.query<VersionRow>(
    `SELECT v.version, v.name, v.fields, v."removedFields", v.archived, v.limits, v."authorId", u.name AS "authorName", v."createdAt", v.changes
     FROM collection_versions v JOIN users u ON u.id = v."authorId"
     WHERE v."collectionId" = $1::uuid AND ($3::int IS NULL OR v.version < $3::int)
     ORDER BY v.version DESC LIMIT $2::int`,
    [collectionId, limit, before ?? null],
  );
  return rows.map(toVersion);
}

/**
 * A collection's records, live and deleted (in its trash), in id order, a page at a time:
 * conversions walk them all, so an undelete never brings back a value of an old type.
 */
export async function recordPageById(
  db: Db,
  collectionId: string,
  afterId: string | null,
  limit: number,
): Promise<{ id: string; version: number; values: Record<string, unknown>; isDeleted: boolean }[]> {
  const { rows } = await db.pool.query<{ id: string; version: number; values: Record<string, unknown>; isDeleted: boolean }>(
    `SELECT id, version, "values", "deletedAt" IS NOT NULL AS "isDeleted" FROM records
     WHERE "collectionId" = $1::uuid AND ($2::uuid IS NULL OR id > $2::uuid)
     ORDER BY id LIMIT $3::int`,
    [collectionId, afterId, limit],
  );
  return rows;
}
