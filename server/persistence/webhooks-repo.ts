// Webhook endpoints and their delivery log, as owners manage and read them.
import type { DeliveryDto, DeliveryState, WebhookDto, WebhookEvent } from "@/lib/webhooks";
import type { Role } from "@/lib/types";
import type { Db } from "./prisma";

type EndpointRow = {
  id: string;
  workspaceId: string;
  collectionId: string | null;
  url: string;
  description: string;
  events: string[];
  createdAt: Date;
  createdById: string;
  createdByName: string;
  disabledAt: Date | null;
  disabledReason: string | null;
  previousSecretUntil: Date | null;
  pending: string;
  delivered: string;
  failed: string;
  lastState: DeliveryState | null;
  lastStatus: number | null;
  lastAt: Date | null;
  lastError: string | null;
};

const ENDPOINT_SELECT = `
  SELECT e.id, e."workspaceId", e."collectionId", e.url, e.description, e.events, e."createdAt", e."createdById", u.name AS "createdByName",
         e."disabledAt", e."disabledReason", e."previousSecretUntil",
         (SELECT count(*) FROM webhook_deliveries d WHERE d."endpointId" = e.id AND d.state = 'pending') AS pending,
         (SELECT count(*) FROM webhook_deliveries d WHERE d."endpointId" = e.id AND d.state = 'delivered') AS delivered,
         (SELECT count(*) FROM webhook_deliveries d WHERE d."endpointId" = e.id AND d.state = 'failed') AS failed,
         l.state AS "lastState", l."lastStatus", l."lastAttemptAt" AS "lastAt", l."lastError"
  FROM webhook_endpoints e
  JOIN users u ON u.id = e."createdById"
  LEFT JOIN LATERAL (SELECT state, "lastStatus", "lastAttemptAt", "lastError" FROM webhook_deliveries d
                     WHERE d."endpointId" = e.id AND d."lastAttemptAt" IS NOT NULL ORDER BY d."lastAttemptAt" DESC LIMIT 1) l ON true`;

const toDto = (row: EndpointRow): WebhookDto => ({
  id: row.id,
  workspaceId: row.workspaceId,
  collectionId: row.collectionId,
  url: row.url,
  description: row.description,
  events: row.events as WebhookEvent[],
  createdAt: row.createdAt.toISOString(),
  createdBy: { id: row.createdById, name: row.createdByName },
  isEnabled: row.disabledAt === null,
  disabledAt: row.disabledAt?.toISOString() ?? null,
  disabledReason: row.disabledReason,
  previousSecretUntil: row.previousSecretUntil && row.previousSecretUntil > new Date() ? row.previousSecretUntil.toISOString() : null,
  counts: { pending: Number(row.pending), delivered: Number(row.delivered), failed: Number(row.failed) },
  lastDelivery: row.lastState ? { state: row.lastState, status: row.lastStatus, at: row.lastAt?.toISOString() ?? null, error: row.lastError } : null,
});

export async function listEndpoints(db: Db, workspaceId: string): Promise<WebhookDto[]> {
  const { rows } = await db.pool.query<EndpointRow>(`${ENDPOINT_SELECT} WHERE e."workspaceId" = $1::uuid ORDER BY e."createdAt", e.id`, [workspaceId]);
  return rows.map(toDto);
}

export async function findEndpoint(db: Db, id: string): Promise<WebhookDto | null> {
  const { rows } = await db.pool.query<EndpointRow>(`${ENDPOINT_SELECT} WHERE e.id = $1::uuid`, [id]);
  return rows[0] ? toDto(rows[0]) : null;
}

export async function countEndpoints(db: Db, workspaceId: string): Promise<number> {
  const { rows } = await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM webhook_endpoints WHERE "workspaceId" = $1::uuid`, [workspaceId]);
  return Number(rows[0]!.n);
}

/** The actor's role in a workspace, or null. */
export async function workspaceRole(db: Db, workspaceId: string, userId: string): Promise<Role | null> {
  const { rows } = await db.pool.query<{ role: Role }>(`SELECT role FROM memberships WHERE "workspaceId" = $1::uuid AND "userId" = $2`, [workspaceId, userId]);
  return rows[0]?.role ?? null;
}

export async function collectionInWorkspace(db: Db, collectionId: string, workspaceId: string): Promise<boolean> {
  const { rows } = await db.pool.query(`SELECT 1 FROM collections WHERE id = $1::uuid AND "workspaceId" = $2::uuid`, [collectionId, workspaceId]);
  return rows.length > 0;
}

export async function insertEndpoint(
  db: Db,
  input: { workspaceId: string; collectionId: string | null; url: string; description: string; events: string[]; secret: string; createdById: string },
): Promise<string> {
  const { rows } = await db.pool.query<{ id: string }>(
    `INSERT INTO webhook_endpoints ("workspaceId", "collectionId", url, description, events, secret, "createdById")
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [input.workspaceId, input.collectionId, input.url, input.description, input.events, input.secret, input.createdById],
  );
  return rows[0]!.id;
}

export async function updateEndpoint(
  db: Db,
  id: string,
  patch: { url?: string; description?: string; events?: string[]; collectionId?: string | null; isEnabled?: boolean },
): Promise<void> {
  const client = await db.pool.connect();
  try {
    await client.query("BEGIN");
    await client.query(
      `UPDATE webhook_endpoints SET
         url = COALESCE($2, url), description = COALESCE($3, description), events = COALESCE($4, events),
         "collectionId" = CASE WHEN $5::boolean THEN $6::uuid ELSE "collectionId" END,
         "disabledAt" = CASE WHEN $7::boolean IS NULL THEN "disabledAt" WHEN $7 THEN NULL ELSE COALESCE("disabledAt", now()) END,
         "disabledReason" = CASE WHEN $7::boolean IS NULL THEN "disabledReason" WHEN $7 THEN NULL ELSE COALESCE("disabledReason", 'Disabled by an owner') END,
         "updatedAt" = now()
       WHERE id = $1::uuid`,
      [
        id,
        patch.url ?? null,
        patch.description ?? null,
        patch.events ?? null,
        patch.collectionId !== undefined,
        patch.collectionId ?? null,
        patch.isEnabled ?? null,
      ],
    );
    // Enabled again: what failed for good is tried again, in order, so nothing is skipped.
    if (patch.isEnabled === true) {
      await client.query(
        `UPDATE webhook_deliveries SET state = 'pending', attempts = 0, "nextAttemptAt" = now(), "leaseUntil" = NULL WHERE "endpointId" = $1::uuid AND state = 'failed'`,
        [id],
      );
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

export async function deleteEndpoint(db: Db, id: string): Promise<void> {
  await db.pool.query(`DELETE FROM webhook_endpoints WHERE id = $1::uuid`, [id]);
}

/** The new sealed secret; the old one is kept for signing until `until`. */
export async function rotateSecret(db: Db, id: string, sealed: string, until: Date): Promise<void> {
  await db.pool.query(
    `UPDATE webhook_endpoints SET "previousSecret" = secret, "previousSecretUntil" = $3, secret = $2, "updatedAt" = now() WHERE id = $1::uuid`,
    [id, sealed, until],
  );
}

type DeliveryRow = Omit<DeliveryDto, "lastAttemptAt" | "nextAttemptAt" | "deliveredAt" | "createdAt"> & {
  lastAttemptAt: Date | null;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
  createdAt: Date;
};

/** Newest first; `before` pages back (a delivery id). */
export async function listDeliveries(db: Db, endpointId: string, options: { before?: string; limit: number; state?: DeliveryState }): Promise<DeliveryDto[]> {
  const { rows } = await db.pool.query<DeliveryRow>(
    `SELECT id::text, "eventId", type, "recordId", version, state, attempts, "lastStatus", "lastDurationMs", "lastError", "lastAttemptAt",
            NULLIF("nextAttemptAt", 'infinity') AS "nextAttemptAt", "nextAttemptAt" = 'infinity' AS "isBehindEarlier", "deliveredAt", "createdAt"
     FROM webhook_deliveries
     WHERE "endpointId" = $1::uuid AND ($2::bigint IS NULL OR id < $2::bigint) AND ($4::text IS NULL OR state = $4)
     ORDER BY id DESC LIMIT $3`,
    [endpointId, options.before ?? null, options.limit, options.state ?? null],
  );
  return rows.map((r) => ({
    ...r,
    lastAttemptAt: r.lastAttemptAt?.toISOString() ?? null,
    nextAttemptAt: r.state === "pending" ? (r.nextAttemptAt?.toISOString() ?? null) : null,
    isBehindEarlier: r.state === "pending" && r.isBehindEarlier,
    deliveredAt: r.deliveredAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
  }));
}

/** Sends a delivery again from its first attempt, whatever became of it; false when there is no such delivery. */
export async function redeliver(db: Db, endpointId: string, deliveryId: string): Promise<boolean> {
  const result = await db.pool.query(
    `UPDATE webhook_deliveries SET state = 'pending', attempts = 0, "nextAttemptAt" = now(), "leaseUntil" = NULL, "deliveredAt" = NULL
     WHERE id = $2::bigint AND "endpointId" = $1::uuid`,
    [endpointId, deliveryId],
  );
  return (result.rowCount ?? 0) > 0;
}
