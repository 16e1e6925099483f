import { diffValues } from "@/lib/diff";
import { validateValues } from "@/lib/fields";
import type { RecordValues } from "@/lib/types";
import { forbidden, invalid, notFound } from "@/server/errors";
import { findCollectionForUser } from "@/server/persistence/collections-repo";
import { insertRecord } from "@/server/persistence/records-repo";
import { withTransientRetry } from "@/server/persistence/retry";
import { canWrite, isUuid } from "./access";
import type { Actor, IdempotencyRequest, UseCaseDeps, WriteResult } from "./deps";
import { runIdempotent } from "./idempotency";
import { checkUserFields } from "./user-fields";
import { normalizeRichTextValues } from "./rich-text-values";

export type CreateRecordCommand = { collectionId: string; values: unknown; idempotency?: IdempotencyRequest };

export async function createRecord(deps: UseCaseDeps, actor: Actor, command: CreateRecordCommand): Promise<WriteResult> {
  if (!isUuid(command.collectionId)) throw notFound("Collection");
  const collection = await findCollectionForUser(deps.db, command.collectionId, actor.id);
  if (!collection) throw notFound("Collection");
  if (!canWrite(collection.role)) throw forbidden("Viewers cannot create records");
  const validation = validateValues(collection.fields, command.values ?? {}, "create");
  if (!validation.ok) throw invalid(validation.errors);
  await checkUserFields(deps, collection.workspaceId, collection.fields, validation.values);

  const result = await runIdempotent(deps, actor, command.idempotency, async () => {
    const values = normalizeRichTextValues(collection.fields, validation.values);
    const empty: RecordValues = {};
    const record = await withTransientRetry(() =>
      insertRecord(deps.db, {
        collectionId: collection.id,
        values,
        changes: diffValues(empty, values),
        authorId: actor.id,
        idempotency: command.idempotency && { userId: actor.id, ...command.idempotency, status: 201 },
      }),
    );
    return { record, replayed: false, changedFields: Object.keys(values) };
  });
  if (!result.replayed) deps.publish({ type: "created", record: result.record, by: actor });
  return result;
}
