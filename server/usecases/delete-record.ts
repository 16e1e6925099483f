// Soft delete and undelete: the record leaves (or comes back to) lists; its history stays, with
// each as a version of its own.
import { rolesFor, type Action } from "@/lib/permissions";
import { notFound } from "@/server/errors";
import { assertAllowed, assertVersionExists, isUuid, readToken, refusal } from "./access";
import type { Actor, IdempotencyRequest, UseCaseDeps, WriteResult } from "./deps";
import { replayIdempotent, runIdempotent } from "./idempotency";
import { staleError } from "./stale";

type LifecycleCommand = { recordId: string; ifMatch: string | null; idempotency?: IdempotencyRequest };

export async function deleteRecord(deps: UseCaseDeps, actor: Actor, command: LifecycleCommand): Promise<WriteResult> {
  const result = await changeLifecycle(deps, actor, command, "delete");
  if (!result.replayed) deps.committed({ type: "deleted", record: result.record, by: actor });
  return result;
}

export async function undeleteRecord(deps: UseCaseDeps, actor: Actor, command: LifecycleCommand): Promise<WriteResult> {
  const result = await changeLifecycle(deps, actor, command, "undelete");
  if (!result.replayed) deps.committed({ type: "created", record: result.record, by: actor });
  return result;
}

async function changeLifecycle(deps: UseCaseDeps, actor: Actor, command: LifecycleCommand, lifecycle: "delete" | "undelete"): Promise<WriteResult> {
  const action: Action = lifecycle === "delete" ? "record.delete" : "record.undelete";
  if (!isUuid(command.recordId)) throw notFound();
  // A retry of a delete (or undelete) that went through gets its answer again, not the 410 (or 409) it caused.
  const earlier = await replayIdempotent(deps, actor, command.idempotency);
  if (earlier) return earlier;
  const access = await deps.store.access(command.recordId, actor.id);
  // Access is checked first in any case, so a token error never tells an outsider the record exists.
  const allowed = assertAllowed(access, action, lifecycle === "undelete");
  const baseVersion = readToken(command.ifMatch, command.recordId, lifecycle === "delete" ? "delete it" : "bring it back");
  assertVersionExists(baseVersion, allowed.record);
  return runIdempotent(deps, actor, command.idempotency, async () => {
    const outcome = await deps.store.write({
      recordId: command.recordId,
      actorId: actor.id,
      roles: rolesFor(action),
      expectedVersion: baseVersion,
      set: {},
      add: {},
      lifecycle,
      kind: lifecycle,
      meta: null,
      idempotency: command.idempotency && { userId: actor.id, ...command.idempotency, status: 200 },
    });
    if (outcome.outcome === "stale") throw staleError(allowed.fields, outcome, { set: {}, add: {}, theirs: {} });
    if (outcome.outcome !== "saved") throw refusal(outcome as Exclude<typeof outcome, { outcome: "unchanged" }>, action);
    return { record: outcome.record, replayed: false, changedFields: [] };
  });
}
