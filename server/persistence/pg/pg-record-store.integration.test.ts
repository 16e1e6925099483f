import { randomBytes } from "node:crypto";
import { afterAll } from "vitest";
import { getTestDatabaseUrl } from "@/test/db";
import { describeRecordStoreContract } from "../record-store.contract";
import { closeDb, createDb } from "../prisma";
import { PgRecordStore } from "./pg-record-store";

const db = createDb(getTestDatabaseUrl(), { poolSize: 4, connectTimeoutMs: 5000, statementTimeoutMs: 15_000, lockTimeoutMs: 5000, queryTimeoutMs: 20_000 });
afterAll(() => closeDb(db));

describeRecordStoreContract("PostgreSQL", async () => ({
  store: new PgRecordStore(db),
  addUser: async (name) => {
    const id = `user-${randomBytes(6).toString("hex")}`;
    await db.pool.query(`INSERT INTO users (id, name, email) VALUES ($1, $2, $3)`, [id, name, `${id}@example.test`]);
    return id;
  },
  addWorkspace: async () => (await db.pool.query<{ id: string }>(`INSERT INTO workspaces (name) VALUES ('contract') RETURNING id`)).rows[0]!.id,
  setRole: async (workspaceId, userId, role) => {
    await db.pool.query(`DELETE FROM memberships WHERE "workspaceId" = $1 AND "userId" = $2`, [workspaceId, userId]);
    if (role) await db.pool.query(`INSERT INTO memberships ("workspaceId", "userId", role) VALUES ($1, $2, $3)`, [workspaceId, userId, role]);
  },
  addCollection: async (workspaceId, fields, limits = []) => {
    const { rows } = await db.pool.query<{ id: string }>(
      `INSERT INTO collections ("workspaceId", name, fields, limits) VALUES ($1, 'contract', $2, $3) RETURNING id`,
      [workspaceId, JSON.stringify(fields), JSON.stringify(limits)],
    );
    for (const limit of limits)
      await db.pool.query(`INSERT INTO collection_totals ("collectionId", field, used) VALUES ($1, $2, 0)`, [rows[0]!.id, limit.field]);
    return rows[0]!.id;
  },
  setArchived: async (collectionId, isArchived) => {
    await db.pool.query(`UPDATE collections SET "archivedAt" = CASE WHEN $2 THEN now() END WHERE id = $1`, [collectionId, isArchived]);
  },
  countRecords: async (collectionId) => Number((await db.pool.query(`SELECT count(*) AS n FROM records WHERE "collectionId" = $1`, [collectionId])).rows[0].n),
  addImport: async (collectionId, userId, leaseToken) =>
    (
      await db.pool.query<{ id: string }>(
        `INSERT INTO imports ("collectionId", "userId", key, "requestHash", status, "leaseToken", "leaseUntil")
         VALUES ($1, $2, $3, 'hash', 'running', $4, now() + interval '1 minute') RETURNING id`,
        [collectionId, userId, `key-${randomBytes(6).toString("hex")}`, leaseToken],
      )
    ).rows[0]!.id,
  takeOverImport: async (importId, leaseToken) => {
    await db.pool.query(`UPDATE imports SET "leaseToken" = $2 WHERE id = $1`, [importId, leaseToken]);
  },
  importProgress: async (importId) => {
    const { rows } = await db.pool.query(`SELECT "processedRows", "createdCount", "failedCount" FROM imports WHERE id = $1`, [importId]);
    return rows[0] ? { processed: rows[0].processedRows, created: rows[0].createdCount, failedCount: rows[0].failedCount } : null;
  },
  total: async (collectionId, field) =>
    Number((await db.pool.query(`SELECT used FROM collection_totals WHERE "collectionId" = $1 AND field = $2`, [collectionId, field])).rows[0]?.used ?? 0),
}));
