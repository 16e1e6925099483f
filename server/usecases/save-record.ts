import { diffValues } from "@/lib/diff";
import { parseIfMatch } from "@/lib/etag";
import { validateValues } from "@/lib/fields";
import { RESOLUTIONS, type FieldDef, type MergeMeta, type RecordValues } from "@/lib/types";
import { z } from "zod";
import { invalid } from "@/server/errors";
import { getRecordShape } from "@/server/persistence/record-shapes";
import { writeRecordVersion } from "@/server/persistence/records-repo";
import { withTransientRetry } from "@/server/persistence/retry";
import { savePatchIfCurrent } from "@/server/persistence/save-statement";
import { isUuid, loadForWrite } from "./access";
import type { Actor, IdempotencyRequest, UseCaseDeps, WriteResult } from "./deps";
import { runIdempotent } from "./idempotency";
import { normalizeRichTextValues, richTextChanges } from "./rich-text-values";
import { buildStaleError, refuse } from "./stale";
import { checkUserFields } from "./user-fields";

export const SaveRecordInput = z
  .object({
    values: z.unknown(),
    /** present when the client resolved a refused save: how each field was settled */
    merge: z
      .object({ baseVersion: z.number().int().positive(), fields: z.record(z.string(), z.enum(RESOLUTIONS)) })
      .strict()
      .optional(),
  })
  .strict();
export type SaveRecordInput = z.infer<typeof SaveRecordInput>;

export type SaveRecordCommand = {
  recordId: string;
  ifMatch: string | null;
  body: SaveRecordInput;
  idempotency?: IdempotencyRequest;
};

/**
 * Saves the changed fields of a record if the client's version is still current; else refuses
 * with 412. The common case is one statement (savePatchIfCurrent); whenever it does not save,
 * the checked path below works out why and answers in the contract's order: 404, 403, 410,
 * 428/400, 422, 412.
 */
export async function saveRecord(deps: UseCaseDeps, actor: Actor, command: SaveRecordCommand): Promise<WriteResult> {
  const result = await runIdempotent(deps, actor, command.idempotency, async () => {
    const fast = await saveInOneStatement(deps, actor, command);
    return fast ?? saveChecked(deps, actor, command);
  });
  if (!result.replayed && result.changedFields.length > 0) {
    deps.publish({ type: "saved", record: result.record, changedFields: result.changedFields, by: actor, richText: result.richText });
  }
  return result;
}

function mergeMeta(command: SaveRecordCommand, baseVersion: number): MergeMeta | null {
  const merge = command.body.merge;
  return merge ? { baseVersion: merge.baseVersion, overrodeVersion: baseVersion, fields: merge.fields } : null;
}

const hasUserField = (fields: FieldDef[], patch: RecordValues) => fields.some((f) => f.type === "user" && f.key in patch);

/** The happy path in one round trip, or null to fall back to the checked path. */
async function saveInOneStatement(deps: UseCaseDeps, actor: Actor, command: SaveRecordCommand): Promise<WriteResult | null> {
  if (!isUuid(command.recordId)) return null;
  const token = parseIfMatch(command.ifMatch, command.recordId);
  if (!token.ok) return null;
  const shape = await getRecordShape(deps.db, command.recordId);
  if (!shape) return null;
  const validation = validateValues(shape.fields, command.body.values, "patch");
  // Invalid input and user fields (which need a membership lookup) take the checked path, so an
  // outsider learns nothing about a record from the order of the errors.
  if (!validation.ok || hasUserField(shape.fields, validation.values)) return null;
  const patch = normalizeRichTextValues(shape.fields, validation.values);
  const meta = mergeMeta(command, token.version);
  const saved = await withTransientRetry(
    () =>
      savePatchIfCurrent(deps.db, {
        recordId: command.recordId,
        workspaceId: shape.workspaceId,
        expectedVersion: token.version,
        patch,
        kind: meta ? "merge" : "save",
        authorId: actor.id,
        meta,
        idempotency: command.idempotency && { userId: actor.id, ...command.idempotency, status: 200 },
      }),
  );
  if (saved.outcome === "stale") throw refuse(deps, saved.current, token.version, saved.baseValues, patch);
  if (saved.outcome !== "saved") return null;
  return { record: saved.record, replayed: false, changedFields: Object.keys(saved.changes), richText: richTextChanges(shape.fields, saved.changes) };
}

/** Every check in order, then the conditional write; used whenever the one-statement save did not save. */
async function saveChecked(deps: UseCaseDeps, actor: Actor, command: SaveRecordCommand): Promise<WriteResult> {
  const { record, fields, workspaceId, baseVersion } = await loadForWrite(deps, actor, command.recordId, command.ifMatch);
  const validation = validateValues(fields, command.body.values, "patch");
  if (!validation.ok) throw invalid(validation.errors);
  await checkUserFields(deps, workspaceId, fields, validation.values);
  const patch: RecordValues = normalizeRichTextValues(fields, validation.values);
  if (baseVersion !== record.version) throw await buildStaleError(deps, actor, record.id, baseVersion, patch, record);
  const values = { ...record.values, ...patch };
  const changes = diffValues(record.values, values);
  if (Object.keys(changes).length === 0 && !command.idempotency) return { record, replayed: false, changedFields: [] };
  const meta = mergeMeta(command, baseVersion);
  const saved = await withTransientRetry(
    () =>
      writeRecordVersion(deps.db, {
        recordId: record.id,
        expectedVersion: baseVersion,
        values,
        changes,
        kind: meta ? "merge" : "save",
        authorId: actor.id,
        meta,
        idempotency: command.idempotency && { userId: actor.id, ...command.idempotency, status: 200 },
      }),
  );
  if (!saved) throw await buildStaleError(deps, actor, record.id, baseVersion, patch);
  return { record: saved, replayed: false, changedFields: Object.keys(changes), richText: richTextChanges(fields, changes) };
}
