-- The schema is a shared record too: collections carry a version (the ETag of PATCH
-- /api/collections/:id), every version is kept, removed fields are kept (hidden, restorable), and
-- a collection can be archived.
ALTER TABLE "collections" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 1;
ALTER TABLE "collections" ADD COLUMN "removedFields" JSONB NOT NULL DEFAULT '[]';
ALTER TABLE "collections" ADD COLUMN "archivedAt" TIMESTAMPTZ(3);

-- One row per version of a collection's schema: what it was, who made it and what changed.
CREATE TABLE "collection_versions" (
    "collectionId" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "fields" JSONB NOT NULL,
    "removedFields" JSONB NOT NULL,
    "archived" BOOLEAN NOT NULL,
    "authorId" TEXT NOT NULL,
    "changes" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "collection_versions_pkey" PRIMARY KEY ("collectionId", "version")
);
ALTER TABLE "collection_versions" ADD CONSTRAINT "collection_versions_collectionId_fkey" FOREIGN KEY ("collectionId") REFERENCES "collections"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "collection_versions" ADD CONSTRAINT "collection_versions_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Every existing collection starts its history at version 1.
INSERT INTO "collection_versions" ("collectionId", "version", "name", "fields", "removedFields", "archived", "authorId", "changes", "createdAt")
SELECT c.id, 1, c.name, c.fields, '[]'::jsonb, false, u.id, '{}'::jsonb, c."createdAt"
FROM "collections" c
CROSS JOIN LATERAL (
  SELECT m."userId" AS id FROM "memberships" m WHERE m."workspaceId" = c."workspaceId"
  ORDER BY (m.role = 'owner') DESC, m."createdAt" LIMIT 1
) u;

-- CSV imports: one job per (user, Idempotency-Key), its progress and its per-row report.
CREATE TABLE "imports" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "collectionId" UUID NOT NULL,
    "userId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "totalRows" INTEGER NOT NULL DEFAULT 0,
    "processedRows" INTEGER NOT NULL DEFAULT 0,
    "createdCount" INTEGER NOT NULL DEFAULT 0,
    "failedCount" INTEGER NOT NULL DEFAULT 0,
    "failed" JSONB NOT NULL DEFAULT '[]',
    "error" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "imports_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "imports_status_check" CHECK ("status" IN ('running', 'done', 'failed'))
);
CREATE UNIQUE INDEX "imports_userId_key_key" ON "imports"("userId", "key");
CREATE INDEX "imports_collectionId_idx" ON "imports"("collectionId");
ALTER TABLE "imports" ADD CONSTRAINT "imports_collectionId_fkey" FOREIGN KEY ("collectionId") REFERENCES "collections"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "imports" ADD CONSTRAINT "imports_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
