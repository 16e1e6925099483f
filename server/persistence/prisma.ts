import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/client.ts";

export type PrismaDb = InstanceType<typeof PrismaClient>;

/**
 * The database as persistence functions receive it: Prisma for most queries, and the same
 * connection pool as plain `pg` for the few statements on the hot path (the save, the record
 * read), where Prisma's per-query interpretation shows.
 */
export type Db = { prisma: PrismaDb; pool: pg.Pool };

// Next.js bundles route handlers separately from the custom server; the only state they share
// is globalThis, so the one client (and its connection pool) lives there.
const shared = globalThis as typeof globalThis & { __tandemDb?: Db };

export function getDb(): Db {
  if (!shared.__tandemDb) {
    const connectionString = process.env.DATABASE_URL;
    if (!connectionString) throw new Error("DATABASE_URL is not set");
    const max = Number(process.env.DATABASE_POOL_SIZE ?? 20);
    const pool = new pg.Pool({ connectionString, max });
    pool.on("error", (error: Error & { code?: string }) => {
      // 57P01: the database is shutting down (Ctrl-C reaches the embedded one too); not news.
      if (error.code === "57P01") return;
      console.error("idle database connection failed", error);
    });
    shared.__tandemDb = { pool, prisma: new PrismaClient({ adapter: new PrismaPg(pool) }) };
  }
  return shared.__tandemDb;
}

export function getPrisma(): PrismaDb {
  return getDb().prisma;
}

export async function disconnectPrisma(): Promise<void> {
  const db = shared.__tandemDb;
  shared.__tandemDb = undefined;
  await db?.prisma.$disconnect();
  await db?.pool.end().catch(() => {});
}
