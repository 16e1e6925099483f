import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client.ts";

export type Db = InstanceType<typeof PrismaClient>;

// Next.js bundles route handlers separately from the custom server; the only state they share
// is globalThis, so the one client (and its connection pool) lives there.
const shared = globalThis as typeof globalThis & { __tandemPrisma?: Db };

export function getPrisma(): Db {
  if (!shared.__tandemPrisma) {
    const connectionString = process.env.DATABASE_URL;
    if (!connectionString) throw new Error("DATABASE_URL is not set");
    const max = Number(process.env.DATABASE_POOL_SIZE ?? 20);
    shared.__tandemPrisma = new PrismaClient({ adapter: new PrismaPg({ connectionString, max }) });
  }
  return shared.__tandemPrisma;
}

export async function disconnectPrisma(): Promise<void> {
  const client = shared.__tandemPrisma;
  shared.__tandemPrisma = undefined;
  await client?.$disconnect();
}
