import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import type { ServerConfig } from "@/server/config";
import { PrismaClient } from "./generated/client.ts";

export type PrismaDb = InstanceType<typeof PrismaClient>;

/**
 * The database as persistence functions receive it: Prisma for most queries, and the same
 * connection pool as plain `pg` for the statements on the hot path (the writer, the record read),
 * where Prisma's per-query interpretation shows.
 */
export type Db = { prisma: PrismaDb; pool: pg.Pool };

export function createDb(url: string, options: ServerConfig["database"]): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize,
    connectionTimeoutMillis: options.connectTimeoutMs,
    statement_timeout: options.statementTimeoutMs,
    lock_timeout: options.lockTimeoutMs,
    idle_in_transaction_session_timeout: options.statementTimeoutMs,
    // The timeouts above are the server's to enforce; a frozen or unreachable server enforces
    // nothing, so the client gives up on its own too (the request answers 503, not a hang).
    query_timeout: options.queryTimeoutMs,
  });
  pool.on("error", (error: Error & { code?: string }) => {
    // 57P01: the database is shutting down (Ctrl-C reaches the embedded one too); not news.
    if (error.code === "57P01") return;
    console.error("idle database connection failed", error);
  });
  return { pool, prisma: new PrismaClient({ adapter: new PrismaPg(pool) }) };
}

export async function closeDb(db: Db): Promise<void> {
  await db.prisma.$disconnect();
  await db.pool.end().catch(() => {});
}
