import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { rolesFor } from "@/lib/permissions";
import { getTestDatabaseUrl } from "@/test/db";
import { describeRecordStoreContract } from "../record-store.contract";
import { closeDb, createDb } from "../prisma";
import { PgRecordStore } from "./pg-record-store";
import { OPS_BURST_SQL } from "./write-sql";

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

describe("operations that arrive together on one record (PostgreSQL)", () => {
  const FIELDS = [
    { key: "name", label: "Name", type: "text" as const },
    { key: "stock", label: "Stock", type: "counter" as const, options: { min: 0 } },
  ];
  const WRITE = rolesFor("record.write");

  async function scene() {
    const owner = `user-${randomBytes(6).toString("hex")}`;
    await db.pool.query(`INSERT INTO users (id, name, email) VALUES ($1, 'Owner', $2)`, [owner, `${owner}@example.test`]);
    const workspaceId = (await db.pool.query<{ id: string }>(`INSERT INTO workspaces (name) VALUES ('burst') RETURNING id`)).rows[0]!.id;
    await db.pool.query(`INSERT INTO memberships ("workspaceId", "userId", role) VALUES ($1, $2, 'owner')`, [workspaceId, owner]);
    const collectionId = (
      await db.pool.query<{ id: string }>(`INSERT INTO collections ("workspaceId", name, fields) VALUES ($1, 'burst', $2) RETURNING id`, [
        workspaceId,
        JSON.stringify(FIELDS),
      ])
    ).rows[0]!.id;
    const store = new PgRecordStore(db);
    const created = await store.create({ collectionId, actorId: owner, roles: rolesFor("record.create"), values: { name: "Hot", stock: 1000 } });
    if (created.outcome !== "saved") throw new Error(created.outcome);
    const take = (s: PgRecordStore) =>
      s.write({ recordId: created.record.id, actorId: owner, roles: WRITE, expectedVersion: null, set: {}, add: { stock: -1 }, kind: "save", meta: null });
    const chain = async () =>
      (
        await db.pool.query<{ version: number; from: number; to: number; createdAt: Date }>(
          `SELECT version, (changes -> 'stock' ->> 'from')::int AS from, (changes -> 'stock' ->> 'to')::int AS to, "createdAt" FROM revisions
           WHERE "recordId" = $1 AND version > 1 ORDER BY version`,
          [created.record.id],
        )
      ).rows;
    return { store, take, chain, recordId: created.record.id };
  }

  it("are written a burst at a time (several revisions in one transaction), each its own version", async () => {
    const { store, take, chain } = await scene();
    const outcomes = await Promise.all(Array.from({ length: 40 }, () => take(store)));
    expect(outcomes.every((o) => o.outcome === "saved")).toBe(true);
    const revisions = await chain();
    expect(revisions.map((r) => r.version)).toEqual(Array.from({ length: 40 }, (_, i) => i + 2));
    revisions.forEach((r, i) => expect([r.from, r.to]).toEqual([1000 - i, 999 - i]));
    // Revisions of one burst share their transaction's time: fewer distinct times than revisions.
    expect(new Set(revisions.map((r) => r.createdAt.getTime())).size).toBeLessThan(revisions.length);
  });

  it("stay exact when another process writes the same record meanwhile (a burst planned on an old version writes nothing and goes one by one)", async () => {
    const { store, take, chain, recordId } = await scene();
    const other = new PgRecordStore(db);
    const outcomes = await Promise.all(Array.from({ length: 60 }, (_, i) => take(i % 2 ? store : other)));
    expect(outcomes.every((o) => o.outcome === "saved")).toBe(true);
    const revisions = await chain();
    expect(revisions.map((r) => r.version)).toEqual(Array.from({ length: 60 }, (_, i) => i + 2));
    revisions.forEach((r, i) => expect([r.from, r.to]).toEqual([1000 - i, 999 - i]));
    expect((await store.access(recordId, "nobody"))?.record).toMatchObject({ version: 61, values: { stock: 940 } });
  });

  it("a burst's statement writes nothing once its collection is archived, or its fields or version moved on", async () => {
    const { recordId } = await scene();
    const { rows: at } = await db.pool.query<{ collectionId: string; fields: unknown; owner: string }>(
      `SELECT r."collectionId", c.fields, r."updatedById" AS owner FROM records r JOIN collections c ON c.id = r."collectionId" WHERE r.id = $1`,
      [recordId],
    );
    const { collectionId, fields, owner } = at[0]!;
    const ops = [1, 2].map((n) => ({
      n,
      actor: owner,
      patch: { stock: 1000 - n },
      changes: { stock: { from: 1001 - n, to: 1000 - n, add: -1 } },
      key: null,
      hash: null,
      status: 200,
    }));
    const burst = (version: number, withFields: unknown) =>
      db.pool.query(OPS_BURST_SQL, [recordId, version, JSON.stringify(withFields), WRITE, JSON.stringify(ops), JSON.stringify(ops[1]!.patch)]);
    expect((await burst(2, fields)).rows).toHaveLength(0); // the record is at version 1
    expect((await burst(1, [...FIELDS, { key: "x", label: "X", type: "text" }])).rows).toHaveLength(0);
    await db.pool.query(`UPDATE collections SET "archivedAt" = now() WHERE id = $1`, [collectionId]);
    expect((await burst(1, fields)).rows).toHaveLength(0);
    await db.pool.query(`UPDATE collections SET "archivedAt" = NULL WHERE id = $1`, [collectionId]);
    expect((await burst(1, fields)).rows.map((r) => r.version)).toEqual([2, 3]);
  });
});
