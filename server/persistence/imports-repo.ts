// CSV import jobs: one per (user, Idempotency-Key), with progress, counts and the rows refused.
import type { Db } from "./prisma";

export type ImportFailure = { row: number; fields: Record<string, string> };

export type ImportJob = {
  id: string;
  collectionId: string;
  userId: string;
  requestHash: string;
  status: "running" | "done" | "failed";
  totalRows: number;
  processedRows: number;
  created: number;
  failedCount: number;
  failed: ImportFailure[];
  error: string | null;
  createdAt: string;
  updatedAt: string;
};

type Row = Omit<ImportJob, "createdAt" | "updatedAt" | "created"> & { createdCount: number; createdAt: Date; updatedAt: Date };

const COLUMNS = `id, "collectionId", "userId", "requestHash", status, "totalRows", "processedRows", "createdCount", "failedCount", failed, error, "createdAt", "updatedAt"`;

const toJob = (row: Row): ImportJob => {
  const { createdCount, createdAt, updatedAt, ...rest } = row;
  return { ...rest, created: createdCount, createdAt: createdAt.toISOString(), updatedAt: updatedAt.toISOString() };
};

export async function findImportByKey(db: Db, userId: string, key: string): Promise<ImportJob | null> {
  const { rows } = await db.pool.query<Row>(`SELECT ${COLUMNS} FROM imports WHERE "userId" = $1 AND key = $2`, [userId, key]);
  return rows[0] ? toJob(rows[0]) : null;
}

export async function findImport(db: Db, id: string): Promise<ImportJob | null> {
  const { rows } = await db.pool.query<Row>(`SELECT ${COLUMNS} FROM imports WHERE id = $1::uuid`, [id]);
  return rows[0] ? toJob(rows[0]) : null;
}

/** A new running job; null when another request holds this key already. */
export async function insertImport(
  db: Db,
  input: { collectionId: string; userId: string; key: string; requestHash: string; totalRows: number },
): Promise<ImportJob | null> {
  const { rows } = await db.pool.query<Row>(
    `INSERT INTO imports ("collectionId", "userId", key, "requestHash", status, "totalRows")
     VALUES ($1::uuid, $2, $3, $4, 'running', $5::int)
     ON CONFLICT ("userId", key) DO NOTHING RETURNING ${COLUMNS}`,
    [input.collectionId, input.userId, input.key, input.requestHash, input.totalRows],
  );
  return rows[0] ? toJob(rows[0]) : null;
}

export async function updateImport(
  db: Db,
  id: string,
  progress: { processedRows: number; created: number; failedCount: number; failed?: ImportFailure[]; status?: ImportJob["status"]; error?: string },
): Promise<void> {
  await db.pool.query(
    `UPDATE imports SET "processedRows" = $2::int, "createdCount" = $3::int, "failedCount" = $4::int,
            failed = COALESCE($5::jsonb, failed), status = COALESCE($6::text, status), error = COALESCE($7::text, error), "updatedAt" = now()
     WHERE id = $1::uuid`,
    [
      id,
      progress.processedRows,
      progress.created,
      progress.failedCount,
      progress.failed ? JSON.stringify(progress.failed) : null,
      progress.status ?? null,
      progress.error ?? null,
    ],
  );
}
