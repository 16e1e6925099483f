import { validateValues } from "@/lib/fields";
import { can, rolesFor } from "@/lib/permissions";
import { archived, forbidden, invalid, notFound } from "@/server/errors";
import { findCollectionForUser } from "@/server/persistence/collections-repo";
import { isUuid, limitError } from "./access";
import type { Actor, IdempotencyRequest, UseCaseDeps, WriteResult } from "./deps";
import { runIdempotent } from "./idempotency";
import { normalizeRichTextValues } from "./rich-text-values";
import { checkUserFields } from "./user-fields";

export type CreateRecordCommand = { collectionId: string; values: unknown; idempotency?: IdempotencyRequest };

export async function createRecord(deps: UseCaseDeps, actor: Actor, command: CreateRecordCommand): Promise<WriteResult> {
  if (!isUuid(command.collectionId)) throw notFound("Collection");
  const collection = await findCollectionForUser(deps.db, command.collectionId, actor.id);
  if (!collection) throw notFound("Collection");
  if (!can(collection.role, "record.create")) throw forbidden("Viewers cannot create records");
  if (collection.archivedAt) throw archived();
  const validation = validateValues(collection.fields, command.values ?? {}, "create");
  if (!validation.ok) throw invalid(validation.errors);
  await checkUserFields(deps, collection.workspaceId, collection.fields, validation.values);
  const values = await normalizeRichTextValues(collection.fields, validation.values);

  const result = await runIdempotent(deps, actor, command.idempotency, async () => {
    const outcome = await deps.store.create({
      collectionId: collection.id,
      actorId: actor.id,
      roles: rolesFor("record.create"),
      values,
      idempotency: command.idempotency && { userId: actor.id, ...command.idempotency, status: 201 },
    });
    if (outcome.outcome === "not_found") throw notFound("Collection");
    if (outcome.outcome === "forbidden") throw forbidden("Viewers cannot create records");
    if (outcome.outcome === "archived") throw archived();
    if (outcome.outcome === "superseded") throw new Error("a create that is not an import cannot lose an import's lease");
    if (outcome.outcome === "limit") throw limitError(outcome.refusal);
    return { record: outcome.record, replayed: false, changedFields: Object.keys(outcome.changes) };
  });
  if (!result.replayed) deps.committed({ type: "created", record: result.record, by: actor });
  return result;
}
