-- A CSV import holds a lease while its process works on it: renewed by every batch it writes and
-- by a heartbeat, so a job whose process died is one whose lease ran out. Sending the same file
-- with the same Idempotency-Key again takes such a job over (a new token) and goes on after the
-- rows it had written, whose progress was stored by the very statements that wrote them.
ALTER TABLE "imports" ADD COLUMN "leaseToken" TEXT;
ALTER TABLE "imports" ADD COLUMN "leaseUntil" TIMESTAMPTZ(3);
-- How many times the job was started (1, then one more per takeover).
ALTER TABLE "imports" ADD COLUMN "attempts" INTEGER NOT NULL DEFAULT 1;
-- The mapping and createFields it was started with, so the page can offer to resume it.
ALTER TABLE "imports" ADD COLUMN "options" JSONB;

-- A job left running by an earlier version stored its progress after its batches, not with them:
-- it cannot be resumed exactly, so it is closed with what it wrote.
UPDATE "imports" SET "status" = 'failed',
  "error" = 'The import was interrupted (the server stopped); rows written so far are kept'
WHERE "status" = 'running';
