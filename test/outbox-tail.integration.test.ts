// The live outbox reader while nobody listens (no socket connected to this process): it moves its
// cursor on with the events' numbers only and hands nothing over; once someone listens, the next
// versions come whole; and someone arriving while a numbers-only read is in flight gets that
// read's events, because the reader reads them again, whole, before its cursor moves.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { startOutboxTail, type OutboxTail } from "@/server/outbox/tail";
import type { OutboxEvent } from "@/server/outbox/read";
import { uniqueId } from "./factories";
import { useTestPool } from "./db";
import { eventually } from "./socket-client";

let pool: pg.Pool;
let recordId: string;
const userId = `tail-${uniqueId()}`;

beforeAll(async () => {
  pool = useTestPool();
  await pool.query(`INSERT INTO users (id, name, email) VALUES ($1, 'Tail', $2)`, [userId, `${userId}@example.com`]);
  const workspaceId = (await pool.query<{ id: string }>(`INSERT INTO workspaces (name) VALUES ('Tail') RETURNING id`)).rows[0]!.id;
  const collectionId = (
    await pool.query<{ id: string }>(`INSERT INTO collections ("workspaceId", name, fields) VALUES ($1, 'Tail', '[]') RETURNING id`, [workspaceId])
  ).rows[0]!.id;
  recordId = (
    await pool.query<{ id: string }>(`INSERT INTO records ("collectionId", "values", version, "updatedById") VALUES ($1, '{}', 1, $2) RETURNING id`, [
      collectionId,
      userId,
    ])
  ).rows[0]!.id;
});

/** A committed version of the record (its revision's trigger writes the outbox row); its outbox number. */
async function commitVersion(version: number): Promise<bigint> {
  await pool.query(`UPDATE records SET version = $2, "values" = jsonb_build_object('n', $2::int) WHERE id = $1`, [recordId, version]);
  const revision = await pool.query<{ id: string }>(
    `INSERT INTO revisions ("recordId", version, kind, "authorId", changes, snapshot)
     VALUES ($1, $2, 'save', $3, jsonb_build_object('n', jsonb_build_object('from', $2::int - 1, 'to', $2::int)), jsonb_build_object('n', $2::int))
     RETURNING id`,
    [recordId, version, userId],
  );
  // the revision's statement-level trigger wrote the outbox row, visible once that statement is done
  const { rows } = await pool.query<{ seq: string }>(`SELECT seq::text AS seq FROM outbox WHERE "revisionId" = $1`, [revision.rows[0]!.id]);
  return BigInt(rows[0]!.seq);
}

describe("the live outbox reader with nobody listening", () => {
  let tail: OutboxTail;
  let isListened = false;
  /** the next read finds nobody at its start, and someone at its end (a socket came while it ran) */
  let arrivesDuringRead = false;
  const handed: OutboxEvent[] = [];
  const versionsHanded = () => handed.filter((e) => e.recordId === recordId).map((e) => e.version);

  beforeAll(async () => {
    tail = await startOutboxTail({
      pool,
      start: "now",
      // reads happen only when woken, so each step below decides what one read sees
      pollMs: 600_000,
      onEvents: (events) => {
        handed.push(...events);
      },
      isWanted: () => {
        if (!arrivesDuringRead) return isListened;
        arrivesDuringRead = false;
        isListened = true;
        return false;
      },
      log: () => {},
    });
  });
  afterAll(() => tail?.close());

  it("moves past what nobody hears, hands over what someone does, and re-reads for whoever came during a read", async () => {
    const unheard = await commitVersion(2);
    tail.wake();
    await eventually(() => expect(tail.position()).toBeGreaterThanOrEqual(unheard));
    expect(versionsHanded()).toEqual([]);

    isListened = true;
    await commitVersion(3);
    tail.wake();
    await eventually(() => expect(versionsHanded()).toEqual([3]));

    isListened = false;
    const during = await commitVersion(4);
    arrivesDuringRead = true;
    tail.wake();
    await eventually(() => expect(versionsHanded()).toEqual([3, 4]));
    expect(tail.position()).toBeGreaterThanOrEqual(during);
    const whole = handed.find((e) => e.recordId === recordId && e.version === 4)!;
    expect(whole.snapshot).toEqual({ n: 4 });
    expect(whole.author).toEqual({ id: userId, name: "Tail" });
  });
});
