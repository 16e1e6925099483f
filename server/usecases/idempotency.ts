// Idempotency-Key: a retried request gets the first answer again, rebuilt from the version the
// first one wrote; the same key with another body is a client bug, refused with 422.
import { AppError } from "@/server/errors";
import { IdempotencyConflict } from "@/server/persistence/record-store";
import type { Actor, IdempotencyRequest, UseCaseDeps, WriteResult } from "./deps";

export async function replayIdempotent(deps: UseCaseDeps, actor: Actor, request: IdempotencyRequest | undefined): Promise<WriteResult | null> {
  if (!request) return null;
  const stored = await deps.store.findIdempotency(actor.id, request.key);
  if (!stored) return null;
  if (stored.requestHash !== request.requestHash) {
    throw new AppError("idempotency_mismatch", "This Idempotency-Key was already used for a different request");
  }
  const { recordId, version } = stored.body;
  const [record, revision] = await Promise.all([deps.store.recordAt(recordId, version), deps.store.revision(recordId, version)]);
  if (!record) throw new AppError("not_found", "The record this request created or saved no longer exists");
  const meta = revision?.kind === "merge" && revision.meta && "overrodeVersion" in revision.meta ? revision.meta : undefined;
  return { record, replayed: true, changedFields: [], ...(meta ? { merge: meta } : {}) };
}

/**
 * Runs a write; if an earlier or concurrent request with the same key won, answers with its result.
 * `isLookedUpFirst: false` (the save, the hot path) spares the look-up before the write: the write
 * stores the key in its own statement, so a retry collides there (or is stale) and is replayed
 * then, and a key never written twice is never written at all.
 */
export async function runIdempotent(
  deps: UseCaseDeps,
  actor: Actor,
  request: IdempotencyRequest | undefined,
  write: () => Promise<WriteResult>,
  { isLookedUpFirst = true }: { isLookedUpFirst?: boolean } = {},
): Promise<WriteResult> {
  if (isLookedUpFirst) {
    const earlier = await replayIdempotent(deps, actor, request);
    if (earlier) return earlier;
  }
  try {
    return await write();
  } catch (error) {
    // The twin request committed first: its write made ours collide on the key, or stale.
    if (request && (error instanceof IdempotencyConflict || (error instanceof AppError && error.code === "stale"))) {
      const replay = await replayIdempotent(deps, actor, request);
      if (replay) return replay;
    }
    throw error;
  }
}
