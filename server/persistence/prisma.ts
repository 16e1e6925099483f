import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/client.ts";

export type Db = InstanceType<typeof PrismaClient>;

type Shared = { prisma: Db; pool: pg.Pool };

// Next.js bundles route handlers separately from the custom server; the only state they share
// is globalThis, so the one client (and its connection pool) lives there.
const shared = globalThis as typeof globalThis & { __tandemDb?: Shared };

function connect(): Shared {
  if (!shared.__tandemDb) {
    const connectionString = process.env.DATABASE_URL;
    if (!connectionString) throw new Error("DATABASE_URL is not set");
    const max = Number(process.env.DATABASE_POOL_SIZE ?? 20);
    // One pool for both: Prisma for most queries, and plain `pg` for the few statements on the
    // hot path (the save, the record read), where Prisma's per-query interpretation shows.
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

export function getPrisma(): Db {
  return connect().prisma;
}

export function getPool(): pg.Pool {
  return connect().pool;
}

export async function disconnectPrisma(): Promise<void> {
  const db = shared.__tandemDb;
  shared.__tandemDb = undefined;
  await db?.prisma.$disconnect();
  await db?.pool.end().catch(() => {});
}
