import type { Db } from "./prisma";

export type StoredIdempotency = { requestHash: string; status: number; body: { recordId: string; version: number } };

export async function findIdempotencyKey(db: Db, userId: string, key: string): Promise<StoredIdempotency | null> {
  const rows = await db.prisma.$queryRaw<StoredIdempotency[]>`
    SELECT "requestHash", status, body FROM idempotency_keys WHERE "userId" = ${userId}::text AND key = ${key}::text`;
  return rows[0] ?? null;
}

/** Keys are kept a day, as Stripe does: long enough for any client retry. */
export async function purgeIdempotencyKeys(db: Db, olderThanHours = 24): Promise<number> {
  return db.prisma.$executeRaw`DELETE FROM idempotency_keys WHERE "createdAt" < now() - make_interval(hours => ${olderThanHours}::int)`;
}
