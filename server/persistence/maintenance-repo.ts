// Scheduled housekeeping of the database.
import type { Db } from "./prisma";

/** Idempotency keys are kept a day, as Stripe does: long enough for any client retry. */
export async function purgeIdempotencyKeys(db: Db, olderThanHours = 24): Promise<number> {
  return db.prisma.$executeRaw`DELETE FROM idempotency_keys WHERE "createdAt" < now() - make_interval(hours => ${olderThanHours}::int)`;
}
