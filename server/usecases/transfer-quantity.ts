// POST /api/collections/:id/transfer: quantity moved from one record to another in one write
// (both records, a revision each, or nothing; rows locked in a fixed order). Retries of
// serialization failures and deadlocks are the store's; the user never sees one.
import { z } from "zod";
import { can, rolesFor } from "@/lib/permissions";
import { AppError, archived, forbidden, invalid, notFound } from "@/server/errors";
import { IdempotencyConflict } from "@/server/persistence/record-store";
import { findCollectionForUser } from "@/server/persistence/collections-repo";
import { isUuid, limitError } from "./access";
import type { Actor, IdempotencyRequest, UseCaseDeps } from "./deps";
import type { RecordDto } from "@/lib/types";

export const TransferInput = z.strictObject({
  field: z.string().min(1).max(63),
  from: z.string().refine(isUuid, "must be a record id"),
  to: z.string().refine(isUuid, "must be a record id"),
  amount: z.number().refine((n) => Number.isSafeInteger(n) && n > 0, "must be a whole number above 0"),
});
export type TransferInput = z.infer<typeof TransferInput>;

export type TransferResult = { from: RecordDto; to: RecordDto; replayed: boolean };

export async function transferQuantity(
  deps: UseCaseDeps,
  actor: Actor,
  command: { collectionId: string; body: TransferInput; idempotency?: IdempotencyRequest },
): Promise<TransferResult> {
  if (!isUuid(command.collectionId)) throw notFound("Collection");
  const earlier = await replayTransfer(deps, actor, command.idempotency);
  if (earlier) return earlier;
  const collection = await findCollectionForUser(deps.db, command.collectionId, actor.id);
  if (!collection) throw notFound("Collection");
  if (!can(collection.role, "record.write")) throw forbidden("Viewers cannot move quantities");
  if (collection.archivedAt) throw archived();
  const { field, from, to, amount } = command.body;
  const def = collection.fields.find((f) => f.key === field);
  if (!def) throw invalid({ field: `${collection.name} has no field "${field}"` });
  if (def.type !== "counter") throw invalid({ field: "Only a counter's quantity can be moved" });
  if (from === to) throw invalid({ to: "Choose another record to move to" });
  const outcome = await deps.store
    .transfer({
      collectionId: collection.id,
      field,
      fromId: from,
      toId: to,
      amount,
      actorId: actor.id,
      roles: rolesFor("record.write"),
      idempotency: command.idempotency && { userId: actor.id, ...command.idempotency, status: 200 },
    })
    .catch(async (error: unknown) => {
      // A twin request with the same key committed first: its answer is ours.
      const replay = error instanceof IdempotencyConflict ? await replayTransfer(deps, actor, command.idempotency) : null;
      if (replay) return { outcome: "replayed" as const, replay };
      throw error;
    });
  if (outcome.outcome === "replayed") return outcome.replay;
  if (outcome.outcome === "not_found") throw new AppError("not_found", "Both records must be live records of this collection");
  if (outcome.outcome === "forbidden") throw forbidden("Viewers cannot move quantities");
  if (outcome.outcome === "archived") throw archived();
  if (outcome.outcome === "limit") throw limitError(outcome.refusal);
  for (const record of [outcome.from, outcome.to]) {
    deps.committed({ type: "saved", record, changedFields: [field], by: actor });
  }
  return { from: outcome.from, to: outcome.to, replayed: false };
}

async function replayTransfer(deps: UseCaseDeps, actor: Actor, request: IdempotencyRequest | undefined): Promise<TransferResult | null> {
  if (!request) return null;
  const stored = await deps.store.findIdempotency(actor.id, request.key);
  if (!stored) return null;
  if (stored.requestHash !== request.requestHash || !stored.body.also) {
    throw new AppError("idempotency_mismatch", "This Idempotency-Key was already used for a different request");
  }
  const [from, to] = await Promise.all([
    deps.store.recordAt(stored.body.recordId, stored.body.version),
    deps.store.recordAt(stored.body.also.recordId, stored.body.also.version),
  ]);
  if (!from || !to) throw notFound("The records this transfer moved");
  return { from, to, replayed: true };
}
