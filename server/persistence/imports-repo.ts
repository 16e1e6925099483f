// CSV import jobs: one per (user, Idempotency-Key), with progress, counts, the rows refused and the
// lease of the process working on it. Progress is stored by the statements that write the rows
// (the record writer's ImportCheckpoint); these are the job's other moves: start, take over,
// heartbeat, finish, and hand back when it stops on an error it may get past when sent again.
import type { ImportFailure, ImportOptions } from "@/lib/import";
import type { Db } from "./prisma";

export type { ImportFailure, ImportOptions } from "@/lib/import";

export type ImportJob = {
  id: string;
  collectionId: string;
  userId: string;
  key: string;
  requestHash: string;
  status: "running" | "done" | "failed";
  totalRows: number;
  processedRows: number;
  created: number;
  failedCount: number;
  failed: ImportFailure[];
  error: string | null;
  attempts: number;
  options: ImportOptions;
  /** running, but no process holds it any more (its lease ran out, by the database's clock) */
  isInterrupted: boolean;
  createdAt: string;
  updatedAt: string;
};

type Row = Omit<ImportJob, "createdAt" | "updatedAt" | "created" | "options"> & {
  createdCount: number;
  options: ImportOptions | null;
  createdAt: Date;
  updatedAt: Date;
};

const COLUMNS = `id, "collectionId", "userId", key, "requestHash", status, "totalRows", "processedRows", "createdCount", "failedCount", failed, error,
  attempts, options, status = 'running' AND ("leaseUntil" IS NULL OR "leaseUntil" <= now()) AS "isInterrupted", "createdAt", "updatedAt"`;

const toJob = (row: Row): ImportJob => {
  const { createdCount, createdAt, updatedAt, options, ...rest } = row;
  return { ...rest, created: createdCount, options: options ?? {}, createdAt: createdAt.toISOString(), updatedAt: updatedAt.toISOString() };
};

const lease = (ms: number) => `now() + ${Math.round(ms)} * interval '1 millisecond'`;

export async function findImportByKey(db: Db, userId: string, key: string): Promise<ImportJob | null> {
  const { rows } = await db.pool.query<Row>(`SELECT ${COLUMNS} FROM imports WHERE "userId" = $1 AND key = $2`, [userId, key]);
  return rows[0] ? toJob(rows[0]) : null;
}

export async function findImport(db: Db, id: string): Promise<ImportJob | null> {
  const { rows } = await db.pool.query<Row>(`SELECT ${COLUMNS} FROM imports WHERE id = $1::uuid`, [id]);
  return rows[0] ? toJob(rows[0]) : null;
}

/** A user's imports into a collection, newest first. */
export async function listImports(db: Db, userId: string, collectionId: string, limit: number): Promise<ImportJob[]> {
  const { rows } = await db.pool.query<Row>(
    `SELECT ${COLUMNS} FROM imports WHERE "userId" = $1 AND "collectionId" = $2::uuid ORDER BY "createdAt" DESC, id LIMIT $3::int`,
    [userId, collectionId, limit],
  );
  return rows.map(toJob);
}

/** A new running job holding the lease `leaseToken`; null when another request holds this key already. */
export async function insertImport(
  db: Db,
  input: {
    collectionId: string;
    userId: string;
    key: string;
    requestHash: string;
    totalRows: number;
    options: ImportOptions;
    leaseToken: string;
    leaseMs: number;
  },
): Promise<ImportJob | null> {
  const { rows } = await db.pool.query<Row>(
    `INSERT INTO imports ("collectionId", "userId", key, "requestHash", status, "totalRows", options, "leaseToken", "leaseUntil")
     VALUES ($1::uuid, $2, $3, $4, 'running', $5::int, $6::jsonb, $7, ${lease(input.leaseMs)})
     ON CONFLICT ("userId", key) DO NOTHING RETURNING ${COLUMNS}`,
    [input.collectionId, input.userId, input.key, input.requestHash, input.totalRows, JSON.stringify(input.options), input.leaseToken],
  );
  return rows[0] ? toJob(rows[0]) : null;
}

/**
 * Takes over an interrupted job (running, its lease run out) with a new lease: exactly one of two
 * requests doing so at once gets it. Its stored progress says where to go on from. Null when it is
 * not interrupted (any more).
 */
export async function claimImport(db: Db, id: string, leaseToken: string, leaseMs: number): Promise<ImportJob | null> {
  const { rows } = await db.pool.query<Row>(
    `UPDATE imports SET "leaseToken" = $2, "leaseUntil" = ${lease(leaseMs)}, attempts = attempts + 1, error = NULL, "updatedAt" = now()
     WHERE id = $1::uuid AND status = 'running' AND ("leaseUntil" IS NULL OR "leaseUntil" <= now())
     RETURNING ${COLUMNS}`,
    [id, leaseToken],
  );
  return rows[0] ? toJob(rows[0]) : null;
}

/** The heartbeat: the lease goes on while it is still this process's. False: another took the job over. */
export async function renewLease(db: Db, id: string, leaseToken: string, leaseMs: number): Promise<boolean> {
  const { rowCount } = await db.pool.query(
    `UPDATE imports SET "leaseUntil" = ${lease(leaseMs)} WHERE id = $1::uuid AND "leaseToken" = $2 AND status = 'running'`,
    [id, leaseToken],
  );
  return (rowCount ?? 0) > 0;
}

export type ImportProgress = { processedRows: number; created: number; failedCount: number; failed: ImportFailure[] };

/** The job's end (done, or failed for good), with its last counts; only while this process holds it. */
export async function finishImport(
  db: Db,
  id: string,
  leaseToken: string,
  end: ImportProgress & { status: "done" | "failed"; error?: string },
): Promise<boolean> {
  const { rowCount } = await db.pool.query(
    `UPDATE imports SET "processedRows" = $3::int, "createdCount" = $4::int, "failedCount" = $5::int, failed = $6::jsonb, status = $7,
            error = $8, "leaseToken" = NULL, "leaseUntil" = NULL, "updatedAt" = now()
     WHERE id = $1::uuid AND "leaseToken" = $2 AND status = 'running'`,
    [id, leaseToken, end.processedRows, end.created, end.failedCount, JSON.stringify(end.failed), end.status, end.error ?? null],
  );
  return (rowCount ?? 0) > 0;
}

/**
 * The job stopped on an error it may get past when it is sent again (the database went away, say):
 * its lease ends now, so it reads as interrupted and the same file and key take it over. Its
 * progress stays as its last write stored it.
 */
export async function releaseImport(db: Db, id: string, leaseToken: string, error: string): Promise<void> {
  await db.pool.query(
    `UPDATE imports SET "leaseUntil" = now(), error = $3, "updatedAt" = now() WHERE id = $1::uuid AND "leaseToken" = $2 AND status = 'running'`,
    [id, leaseToken, error],
  );
}
