import { AppError } from "@/server/errors";
import { findIdempotencyKey } from "@/server/persistence/idempotency-repo";
import { getPgConstraint, getPgErrorCode, UNIQUE_VIOLATION } from "@/server/persistence/pg-errors";
import { findRecordAtVersion } from "@/server/persistence/records-repo";
import type { Actor, IdempotencyRequest, UseCaseDeps, WriteResult } from "./deps";

/**
 * The first answer to a request with this key, rebuilt from the revision it wrote, or null when
 * the key is new. The same key with another body is refused: it is a client bug, not a retry.
 */
export async function replayIdempotent(
  deps: UseCaseDeps,
  actor: Actor,
  request: IdempotencyRequest | undefined,
): Promise<WriteResult | null> {
  if (!request) return null;
  const stored = await findIdempotencyKey(deps.db, actor.id, request.key);
  if (!stored) return null;
  if (stored.requestHash !== request.requestHash) {
    throw new AppError("idempotency_mismatch", "This Idempotency-Key was already used for a different request");
  }
  const record = await findRecordAtVersion(deps.db, stored.body.recordId, stored.body.version);
  if (!record) throw new AppError("not_found", "The record this request created or saved no longer exists");
  return { record, replayed: true, changedFields: [] };
}

export function isIdempotencyCollision(error: unknown): boolean {
  return getPgErrorCode(error) === UNIQUE_VIOLATION && getPgConstraint(error) === "idempotency_keys_pkey";
}

/** Runs a write; if a concurrent request with the same key won the race, answers with its result. */
export async function runIdempotent(
  deps: UseCaseDeps,
  actor: Actor,
  request: IdempotencyRequest | undefined,
  write: () => Promise<WriteResult>,
): Promise<WriteResult> {
  const earlier = await replayIdempotent(deps, actor, request);
  if (earlier) return earlier;
  try {
    return await write();
  } catch (error) {
    if (request && (isIdempotencyCollision(error) || (error instanceof AppError && error.code === "stale"))) {
      const replay = await replayIdempotent(deps, actor, request);
      if (replay) return replay;
    }
    throw error;
  }
}
