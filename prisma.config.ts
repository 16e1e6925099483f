// Prisma's CLI fetches a native schema engine for every command; `prisma generate` does not need it,
// and migrations are applied by our own runner (server/db/migrate.ts), so point it at a no-op binary.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= "/bin/false";

import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost/unused" },
});
