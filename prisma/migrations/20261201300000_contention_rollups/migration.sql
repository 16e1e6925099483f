-- Contention counted per record, per field ("" for the record's own counts) and per minute, added
-- to in batches by every server process (INSERT … ON CONFLICT DO UPDATE adds), read by the
-- workspace owners' contention page (lib/contention.ts) and pruned after the retention period.
-- No foreign keys: a key check would take FOR KEY SHARE on the record's row, which the writer locks
-- FOR UPDATE, so a batch of counts would wait for saves and saves for it. The batch reads the
-- record's collection and workspace itself; rows of records deleted since go with the retention.
CREATE TABLE "contention_rollups" (
    "workspaceId" UUID NOT NULL,
    "collectionId" UUID NOT NULL,
    "recordId" UUID NOT NULL,
    "field" TEXT NOT NULL,
    "minute" TIMESTAMPTZ(3) NOT NULL,
    "saves" INTEGER NOT NULL DEFAULT 0,
    "refused" INTEGER NOT NULL DEFAULT 0,
    "autoMerged" INTEGER NOT NULL DEFAULT 0,
    "limited" INTEGER NOT NULL DEFAULT 0,
    "numberChanges" INTEGER NOT NULL DEFAULT 0,
    "unitChanges" INTEGER NOT NULL DEFAULT 0,
    "retries" INTEGER NOT NULL DEFAULT 0,
    "lockWaits" INTEGER NOT NULL DEFAULT 0,
    "lockWaitMs" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "latency" INTEGER[] NOT NULL,
    CONSTRAINT "contention_rollups_pkey" PRIMARY KEY ("workspaceId", "collectionId", "recordId", "field", "minute")
);
CREATE INDEX "contention_rollups_workspaceId_minute_idx" ON "contention_rollups"("workspaceId", "minute");
CREATE INDEX "contention_rollups_minute_idx" ON "contention_rollups"("minute");
