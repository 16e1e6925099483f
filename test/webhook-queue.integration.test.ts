// The webhook delivery queue on its own, against PostgreSQL: a record's versions are due one at
// a time (a later one waits until the earlier one is delivered), and a version enqueued while the
// one before it is being settled is never left waiting, whichever of the two commits first.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OutboxEvent } from "@/server/outbox/read";
import { claimDeliveries, enqueueDeliveries, markDelivered, releaseStranded } from "@/server/webhooks/queue";
import { applyMigrations } from "@/server/db/migrate";
import { newDatabase } from "./db";

let pool: pg.Pool;
let dropDatabase: () => Promise<void>;
let workspaceId: string;
const collectionId = randomUUID();

beforeAll(async () => {
  const db = await newDatabase();
  dropDatabase = db.drop;
  await applyMigrations(db.url);
  pool = new pg.Pool({ connectionString: db.url, max: 8 });
  await pool.query(`INSERT INTO users (id, name, email) VALUES ('queue-owner', 'Owner', 'queue-owner@example.com')`);
  workspaceId = (await pool.query<{ id: string }>(`INSERT INTO workspaces (name) VALUES ('Queue') RETURNING id`)).rows[0]!.id;
  await pool.query(
    `INSERT INTO webhook_endpoints ("workspaceId", url, events, secret, "createdById", "createdAt")
     VALUES ($1, 'http://127.0.0.1:9/hook', '{record.saved}', 'sealed', 'queue-owner', now() - interval '1 minute')`,
    [workspaceId],
  );
});
afterAll(async () => {
  await pool?.end();
  await dropDatabase?.();
});

let seq = 0n;
const event = (recordId: string, version: number): OutboxEvent => ({
  seq: ++seq,
  eventId: randomUUID(),
  recordId,
  collectionId,
  workspaceId,
  version,
  kind: "save",
  author: { id: "queue-owner", name: "Owner" },
  changes: { n: { from: version - 1, to: version } },
  snapshot: { n: version },
  meta: null,
  createdAt: new Date().toISOString(),
});

const claim = async () => (await claimDeliveries(pool, 50, 60_000)).map((c) => c.recordId);
const versionsOf = async (ids: string[]) =>
  (await pool.query<{ version: number }>(`SELECT version FROM webhook_deliveries WHERE id = ANY ($1::bigint[]) ORDER BY version`, [ids])).rows.map(
    (r) => r.version,
  );

describe("the delivery queue", () => {
  it("a record's later versions wait behind the first pending one and become due as each is delivered", async () => {
    const record = randomUUID();
    expect(await enqueueDeliveries(pool, [event(record, 2), event(record, 3), event(record, 4)])).toBe(3);
    const { rows } = await pool.query<{ version: number; waiting: boolean }>(
      `SELECT version, "nextAttemptAt" = 'infinity' AS waiting FROM webhook_deliveries WHERE "recordId" = $1 ORDER BY version`,
      [record],
    );
    expect(rows).toEqual([
      { version: 2, waiting: false },
      { version: 3, waiting: true },
      { version: 4, waiting: true },
    ]);
    for (const expected of [2, 3, 4]) {
      const claimed = await claimDeliveries(pool, 50, 60_000);
      expect(await versionsOf(claimed.map((c) => c.id))).toEqual([expected]);
      await markDelivered(
        pool,
        claimed.map((c) => ({ id: c.id, status: 200, durationMs: 1 })),
      );
    }
    expect(await claim()).toEqual([]);
    // A version enqueued after the others were delivered is due at once.
    await enqueueDeliveries(pool, [event(record, 5)]);
    expect(await claim()).toEqual([record]);
  });

  it("a version enqueued while the one before it is settled is never left waiting, whichever commits first", async () => {
    const records = Array.from({ length: 40 }, () => randomUUID());
    for (const record of records) await enqueueDeliveries(pool, [event(record, 2)]);
    const heads = await claimDeliveries(pool, 100, 60_000);
    expect(heads).toHaveLength(records.length);
    // Each record's delivered settlement races the enqueue of its next version.
    await Promise.all(
      heads.map((head) =>
        Promise.all([markDelivered(pool, [{ id: head.id, status: 200, durationMs: 1 }]), enqueueDeliveries(pool, [event(head.recordId, 3)])]),
      ),
    );
    const { rows } = await pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM webhook_deliveries WHERE "recordId" = ANY ($1::uuid[]) AND version = 3 AND "nextAttemptAt" = 'infinity'`,
      [records],
    );
    expect(Number(rows[0]!.n)).toBe(0);
    expect((await claim()).sort()).toEqual([...records].sort());
    expect(await releaseStranded(pool)).toBe(0);
  });

  it("a settlement that runs while the next version's enqueue is uncommitted waits for it, and then makes it due", async () => {
    const record = randomUUID();
    await enqueueDeliveries(pool, [event(record, 2)]);
    const head = (await claimDeliveries(pool, 100, 60_000)).find((c) => c.recordId === record)!;
    const held = await pool.connect();
    try {
      await held.query("BEGIN");
      expect(await enqueueDeliveries(held, [event(record, 3)])).toBe(1);
      let isSettled = false;
      const settling = markDelivered(pool, [{ id: head.id, status: 200, durationMs: 1 }]).then(() => (isSettled = true));
      // Until the settlement has either finished or is waiting on the enqueue's lock.
      for (let i = 0; i < 200 && !isSettled; i++) {
        const { rows } = await pool.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
        if (rows.length > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await held.query("COMMIT");
      await settling;
    } finally {
      held.release();
    }
    expect((await claimDeliveries(pool, 100, 60_000)).map((c) => c.recordId)).toContain(record);
  });
});
