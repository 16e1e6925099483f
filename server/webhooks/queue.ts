// The delivery queue in PostgreSQL: deliveries enqueued from outbox events (once per endpoint
// and event, whoever enqueues), claimed with a lease by any process (FOR UPDATE SKIP LOCKED, and
// never a version while an older one of the same record is still pending for that endpoint, so a
// receiver gets each record's versions in order), and settled after each attempt.
import type pg from "pg";
import { disabledReason, webhookBody } from "@/lib/webhooks";
import type { OutboxEvent } from "@/server/outbox/read";

/** Enqueues the events for every endpoint that wants them; returns how many deliveries were added. */
export async function enqueueDeliveries(pool: pg.Pool, events: OutboxEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  const workspaces = [...new Set(events.map((e) => e.workspaceId))];
  const { rows } = await pool.query<{ workspaceId: string }>(`SELECT DISTINCT "workspaceId" FROM webhook_endpoints WHERE "workspaceId" = ANY ($1::uuid[])`, [
    workspaces,
  ]);
  const wanted = new Set(rows.map((r) => r.workspaceId));
  const items = events
    .filter((e) => wanted.has(e.workspaceId))
    .map((e) => {
      const body = webhookBody(e);
      return {
        eventId: e.eventId,
        type: body.type,
        recordId: e.recordId,
        version: e.version,
        workspaceId: e.workspaceId,
        collectionId: e.collectionId,
        body: JSON.stringify(body),
      };
    });
  if (items.length === 0) return 0;
  const result = await pool.query(
    `INSERT INTO webhook_deliveries ("endpointId", "eventId", type, "recordId", version, body)
     SELECT e.id, x."eventId", x.type, x."recordId", x.version, x.body
     FROM jsonb_to_recordset($1::jsonb) AS x("eventId" uuid, type text, "recordId" uuid, version int, "workspaceId" uuid, "collectionId" uuid, body text)
     JOIN webhook_endpoints e ON e."workspaceId" = x."workspaceId" AND (e."collectionId" IS NULL OR e."collectionId" = x."collectionId") AND x.type = ANY (e.events)
     ORDER BY x."recordId", x.version
     ON CONFLICT ("endpointId", "eventId") DO NOTHING`,
    [JSON.stringify(items)],
  );
  return result.rowCount ?? 0;
}

export type Claimed = {
  id: string;
  eventId: string;
  type: string;
  body: string;
  attempts: number;
  endpointId: string;
  url: string;
  secret: string;
  previousSecret: string | null;
  previousSecretUntil: Date | null;
};

const CLAIM_SQL = `
  WITH due AS (
    SELECT d.id FROM webhook_deliveries d
    JOIN webhook_endpoints e ON e.id = d."endpointId"
    WHERE d.state = 'pending' AND d."nextAttemptAt" <= now() AND (d."leaseUntil" IS NULL OR d."leaseUntil" < now())
      AND e."disabledAt" IS NULL
      AND NOT EXISTS (SELECT 1 FROM webhook_deliveries p
                      WHERE p."endpointId" = d."endpointId" AND p."recordId" = d."recordId" AND p.state = 'pending' AND p.version < d.version)
    ORDER BY d."nextAttemptAt", d.id
    LIMIT $1
    FOR UPDATE OF d SKIP LOCKED
  )
  UPDATE webhook_deliveries d SET "leaseUntil" = now() + make_interval(secs => $2::int / 1000.0), attempts = d.attempts + 1, "lastAttemptAt" = now()
  FROM due, webhook_endpoints e
  WHERE d.id = due.id AND e.id = d."endpointId"
  RETURNING d.id::text, d."eventId", d.type, d.body, d.attempts, d."endpointId", e.url, e.secret, e."previousSecret", e."previousSecretUntil"`;

export async function claimDeliveries(pool: pg.Pool, limit: number, leaseMs: number): Promise<Claimed[]> {
  const { rows } = await pool.query<Claimed>({ name: "webhook_claim", text: CLAIM_SQL, values: [limit, leaseMs] });
  return rows;
}

export async function markDelivered(pool: pg.Pool, id: string, status: number, durationMs: number): Promise<void> {
  await pool.query(
    `UPDATE webhook_deliveries SET state = 'delivered', "deliveredAt" = now(), "leaseUntil" = NULL, "lastStatus" = $2, "lastDurationMs" = $3, "lastError" = NULL
     WHERE id = $1::bigint`,
    [id, status, durationMs],
  );
}

/** A failed attempt: tried again after `retryInMs`, or (null) failed for good, which disables its endpoint. */
export async function markFailed(
  pool: pg.Pool,
  claimed: Pick<Claimed, "id" | "endpointId" | "attempts">,
  attempt: { status: number | null; durationMs: number; error: string | null },
  retryInMs: number | null,
): Promise<void> {
  if (retryInMs !== null) {
    await pool.query(
      `UPDATE webhook_deliveries SET "nextAttemptAt" = now() + make_interval(secs => $2::bigint / 1000.0), "leaseUntil" = NULL,
              "lastStatus" = $3, "lastDurationMs" = $4, "lastError" = $5
       WHERE id = $1::bigint`,
      [claimed.id, retryInMs, attempt.status, attempt.durationMs, attempt.error],
    );
    return;
  }
  await pool.query(
    `WITH failed AS (
       UPDATE webhook_deliveries SET state = 'failed', "leaseUntil" = NULL, "lastStatus" = $3, "lastDurationMs" = $4, "lastError" = $5
       WHERE id = $1::bigint RETURNING "endpointId")
     UPDATE webhook_endpoints SET "disabledAt" = now(), "disabledReason" = $6, "updatedAt" = now()
     WHERE id = $2::uuid AND "disabledAt" IS NULL AND EXISTS (SELECT 1 FROM failed)`,
    [claimed.id, claimed.endpointId, attempt.status, attempt.durationMs, attempt.error, disabledReason(claimed.attempts, attempt.error)],
  );
}

/** Old rows go: outbox events every durable reader has passed, after an hour; settled deliveries after 30 days. */
export async function pruneEvents(pool: pg.Pool): Promise<{ outbox: number; deliveries: number }> {
  // In batches, so that no statement holds locks or runs long however much piled up.
  const inBatches = async (sql: string) => {
    let total = 0;
    for (;;) {
      const deleted = (await pool.query(sql)).rowCount ?? 0;
      total += deleted;
      if (deleted < PRUNE_BATCH) return total;
    }
  };
  const outbox = await inBatches(
    `DELETE FROM outbox WHERE seq IN (
       SELECT seq FROM outbox WHERE "createdAt" < now() - interval '1 hour' AND seq <= (SELECT COALESCE(min(seq), 0) FROM outbox_cursors)
       ORDER BY seq LIMIT ${PRUNE_BATCH})`,
  );
  const deliveries = await inBatches(
    `DELETE FROM webhook_deliveries WHERE id IN (
       SELECT id FROM webhook_deliveries WHERE state <> 'pending' AND "createdAt" < now() - interval '30 days' LIMIT ${PRUNE_BATCH})`,
  );
  return { outbox, deliveries };
}

const PRUNE_BATCH = 10_000;
