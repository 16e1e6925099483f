import { writeRecordVersion } from "@/server/persistence/records-repo";
import { withTransientRetry } from "@/server/persistence/retry";
import { loadForWrite } from "./access";
import type { Actor, IdempotencyRequest, UseCaseDeps, WriteResult } from "./deps";
import { runIdempotent } from "./idempotency";
import { buildStaleError } from "./stale";

/** Soft delete: the record leaves lists but its history stays, with the deletion as the last version. */
export async function deleteRecord(
  deps: UseCaseDeps,
  actor: Actor,
  command: { recordId: string; ifMatch: string | null; idempotency?: IdempotencyRequest },
): Promise<WriteResult> {
  const { record, baseVersion } = await loadForWrite(deps, actor, command.recordId, command.ifMatch);
  const result = await runIdempotent(deps, actor, command.idempotency, async () => {
    if (baseVersion !== record.version) throw await buildStaleError(deps, actor, record.id, baseVersion, {}, record);
    const deleted = await withTransientRetry(() =>
      writeRecordVersion(deps.db, {
        recordId: record.id,
        expectedVersion: baseVersion,
        values: record.values,
        changes: {},
        kind: "delete",
        authorId: actor.id,
        meta: null,
        idempotency: command.idempotency && { userId: actor.id, ...command.idempotency, status: 200 },
      }),
    );
    if (!deleted) throw await buildStaleError(deps, actor, record.id, baseVersion, {});
    return { record: deleted, replayed: false, changedFields: [] };
  });
  if (!result.replayed) deps.publish({ type: "deleted", record: result.record, by: actor });
  return result;
}
