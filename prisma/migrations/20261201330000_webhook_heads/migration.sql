-- Claiming webhook deliveries in O(batch), whatever the backlog (server/webhooks/queue.ts): a
-- delivery waiting on an earlier version of its record is no longer due ("nextAttemptAt" is
-- 'infinity' until that one is settled), the claim walks the due ones in order without sorting
-- them all, and the check for an earlier pending version reads only pending rows.
DROP INDEX "webhook_deliveries_state_nextAttemptAt_idx";
CREATE INDEX "webhook_deliveries_state_nextAttemptAt_id_idx" ON "webhook_deliveries"("state", "nextAttemptAt", "id");
DROP INDEX "webhook_deliveries_endpointId_recordId_version_idx";
CREATE INDEX "webhook_deliveries_endpointId_recordId_state_version_idx" ON "webhook_deliveries"("endpointId", "recordId", "state", "version");

-- Deliveries already waiting behind an earlier pending version of their record wait the new way.
UPDATE "webhook_deliveries" d SET "nextAttemptAt" = 'infinity'
WHERE d.state = 'pending' AND EXISTS (
  SELECT 1 FROM "webhook_deliveries" p
  WHERE p."endpointId" = d."endpointId" AND p."recordId" = d."recordId" AND p.state = 'pending' AND p.version < d.version);
