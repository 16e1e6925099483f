// The delivery queue in PostgreSQL: deliveries enqueued from outbox events (once per endpoint
// and event, whoever enqueues), claimed with a lease by any process (FOR UPDATE SKIP LOCKED, and
// never a version while an older one of the same record is still pending for that endpoint, so a
// receiver gets each record's versions in order), and settled after each attempt. A delivery
// behind an earlier pending one is not due until that one is delivered, so a claim reads only
// what it takes, however long a failing endpoint's or a busy record's backlog has grown.
import type pg from "pg";
import { disabledReason, webhookBody } from "@/lib/webhooks";
import type { OutboxEvent } from "@/server/outbox/read";

/** Enqueues the events for every endpoint that wants them; returns how many deliveries were added. */
export async function enqueueDeliveries(pool: pg.Pool | pg.PoolClient, events: OutboxEvent[]): Promise<number> {
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
        createdAt: e.createdAt,
        body: JSON.stringify(body),
      };
    });
  if (items.length === 0) return 0;
  const result = await pool.query(ENQUEUE_SQL, [JSON.stringify(items)]);
  return result.rowCount ?? 0;
}

// A delivery is due at once when it is the first pending one of its record for its endpoint;
// behind an earlier one it waits ('infinity') until that one is settled (markDelivered moves it
// up). The latest earlier pending delivery is locked while this decides, so a settlement
// running at the same time either waits for this insert (and then sees it) or is seen done here.
const ENQUEUE_SQL = `
  WITH x AS (
    SELECT e.id AS "endpointId", x."eventId", x.type, x."recordId", x.version, x.body,
           row_number() OVER (PARTITION BY e.id, x."recordId" ORDER BY x.version) AS nth
    FROM jsonb_to_recordset($1::jsonb) AS x("eventId" uuid, type text, "recordId" uuid, version int, "workspaceId" uuid, "collectionId" uuid, "createdAt" timestamptz, body text)
    -- An endpoint gets the versions saved after it was registered, not the history before it.
    JOIN webhook_endpoints e ON e."workspaceId" = x."workspaceId" AND (e."collectionId" IS NULL OR e."collectionId" = x."collectionId") AND x.type = ANY (e.events)
                            AND e."createdAt" <= x."createdAt"
    -- Offered again (a restarted enqueuer): already there, and not counted as an earlier one below.
    WHERE NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d."endpointId" = e.id AND d."eventId" = x."eventId"))
  INSERT INTO webhook_deliveries ("endpointId", "eventId", type, "recordId", version, body, "nextAttemptAt")
  SELECT x."endpointId", x."eventId", x.type, x."recordId", x.version, x.body,
         CASE WHEN x.nth > 1 OR earlier.id IS NOT NULL THEN 'infinity'::timestamptz ELSE now() END
  FROM x LEFT JOIN LATERAL (
    SELECT p.id FROM webhook_deliveries p
    WHERE x.nth = 1 AND p."endpointId" = x."endpointId" AND p."recordId" = x."recordId" AND p.state = 'pending' AND p.version < x.version
    ORDER BY p.version DESC LIMIT 1
    FOR SHARE) earlier ON true
  ORDER BY x."endpointId", x."recordId", x.version
  ON CONFLICT ("endpointId", "eventId") DO NOTHING`;

export type Claimed = {
  id: string;
  recordId: string;
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
    -- In the order of the (state, "nextAttemptAt", id) index, so the scan stops at the limit.
    WHERE d.state = 'pending' AND d."nextAttemptAt" <= now() AND (d."leaseUntil" IS NULL OR d."leaseUntil" < now())
      AND e."disabledAt" IS NULL
      AND NOT EXISTS (SELECT 1 FROM webhook_deliveries p
                      WHERE p."endpointId" = d."endpointId" AND p."recordId" = d."recordId" AND p.state = 'pending' AND p.version < d.version)
    ORDER BY d.state, d."nextAttemptAt", d.id
    LIMIT $1
    FOR UPDATE OF d SKIP LOCKED
  )
  UPDATE webhook_deliveries d SET "leaseUntil" = now() + make_interval(secs => $2::int / 1000.0), attempts = d.attempts + 1, "lastAttemptAt" = now()
  FROM due, webhook_endpoints e
  WHERE d.id = due.id AND e.id = d."endpointId"
  RETURNING d.id::text, d."recordId", d."eventId", d.type, d.body, d.attempts, d."endpointId", e.url, e.secret, e."previousSecret", e."previousSecretUntil"`;

export async function claimDeliveries(pool: pg.Pool, limit: number, leaseMs: number): Promise<Claimed[]> {
  const { rows } = await pool.query<Claimed>({ name: "webhook_claim", text: CLAIM_SQL, values: [limit, leaseMs] });
  return rows;
}

/**
 * Settles delivered attempts, many in one statement (the worker gathers those that finish
 * together), then makes each record's next pending delivery due (a statement of its own, so that
 * it sees a delivery enqueued while the first one waited on a lock it holds).
 */
export async function markDelivered(pool: pg.Pool, delivered: { id: string; status: number; durationMs: number }[]): Promise<void> {
  if (delivered.length === 0) return;
  const { rows } = await pool.query<{ endpointId: string; recordId: string }>(
    `WITH locked AS (SELECT d.id FROM webhook_deliveries d WHERE d.id = ANY ($1::bigint[]) ORDER BY d."endpointId", d."recordId", d.id FOR UPDATE)
     UPDATE webhook_deliveries d SET state = 'delivered', "deliveredAt" = now(), "leaseUntil" = NULL, "lastStatus" = x.status, "lastDurationMs" = x.ms, "lastError" = NULL
     FROM unnest($1::bigint[], $2::int[], $3::int[]) AS x(id, status, ms), locked
     WHERE d.id = x.id AND locked.id = x.id
     RETURNING d."endpointId", d."recordId"`,
    [delivered.map((d) => d.id), delivered.map((d) => d.status), delivered.map((d) => Math.round(d.durationMs))],
  );
  await makeNextDue(pool, rows);
}

/** The first pending delivery of each (endpoint, record), if it was waiting, is due now. */
async function makeNextDue(pool: pg.Pool, keys: { endpointId: string; recordId: string }[]): Promise<void> {
  if (keys.length === 0) return;
  await pool.query(
    `UPDATE webhook_deliveries d SET "nextAttemptAt" = now()
     FROM (SELECT DISTINCT "endpointId", "recordId" FROM unnest($1::uuid[], $2::uuid[]) AS k("endpointId", "recordId")) k
     CROSS JOIN LATERAL (
       SELECT p.id, p."nextAttemptAt" FROM webhook_deliveries p
       WHERE p."endpointId" = k."endpointId" AND p."recordId" = k."recordId" AND p.state = 'pending'
       ORDER BY p.version LIMIT 1) first
     WHERE d.id = first.id AND first."nextAttemptAt" = 'infinity'`,
    [keys.map((k) => k.endpointId), keys.map((k) => k.recordId)],
  );
}

/**
 * A safety net, on a slow timer: a delivery left waiting with no earlier pending one (a path
 * not foreseen above) is made due. The claim checks the order anyway; this only ends a wait.
 */
export async function releaseStranded(pool: pg.Pool): Promise<number> {
  const result = await pool.query(
    `UPDATE webhook_deliveries d SET "nextAttemptAt" = now()
     WHERE d.id IN (
       SELECT s.id FROM webhook_deliveries s
       WHERE s.state = 'pending' AND s."nextAttemptAt" = 'infinity'
         AND NOT EXISTS (SELECT 1 FROM webhook_deliveries p
                         WHERE p."endpointId" = s."endpointId" AND p."recordId" = s."recordId" AND p.state = 'pending' AND p.version < s.version)
       LIMIT 10000)`,
  );
  return result.rowCount ?? 0;
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
