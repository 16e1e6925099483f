import { diffValues } from "@/lib/diff";
import { validateValues } from "@/lib/fields";
import { RESOLUTIONS, type MergeMeta, type RecordValues } from "@/lib/types";
import { z } from "zod";
import { AppError, invalid } from "@/server/errors";
import { writeRecordVersion } from "@/server/persistence/records-repo";
import { withTransientRetry } from "@/server/persistence/retry";
import { loadForWrite } from "./access";
import type { Actor, IdempotencyRequest, UseCaseDeps, WriteResult } from "./deps";
import { runIdempotent } from "./idempotency";
import { checkUserFields } from "./user-fields";
import { buildStaleError } from "./stale";
import { normalizeRichTextValues, richTextChanges } from "./rich-text-values";

export const SaveRecordInput = z.object({
  values: z.unknown(),
  /** present when the client resolved a refused save: how each field was settled */
  merge: z
    .object({ baseVersion: z.number().int().positive(), fields: z.record(z.string(), z.enum(RESOLUTIONS)) })
    .strict()
    .optional(),
}).strict();
export type SaveRecordInput = z.infer<typeof SaveRecordInput>;

export type SaveRecordCommand = {
  recordId: string;
  ifMatch: string | null;
  body: SaveRecordInput;
  idempotency?: IdempotencyRequest;
};

/** Saves the changed fields of a record if the client's version is still current; else refuses with 412. */
export async function saveRecord(deps: UseCaseDeps, actor: Actor, command: SaveRecordCommand): Promise<WriteResult> {
  const started = performance.now();
  const { record, fields, workspaceId, baseVersion } = await loadForWrite(deps, actor, command.recordId, command.ifMatch);
  const validation = validateValues(fields, command.body.values, "patch");
  if (!validation.ok) {
    deps.metrics.observeSave?.("invalid", (performance.now() - started) / 1000, record.collectionId);
    throw invalid(validation.errors);
  }
  const patch: RecordValues = normalizeRichTextValues(fields, validation.values);
  await checkUserFields(deps, workspaceId, fields, patch);

  const result = await runIdempotent(deps, actor, command.idempotency, async () => {
    if (baseVersion !== record.version) {
      throw await buildStaleError(deps, actor, record.id, baseVersion, patch, record);
    }
    const values = { ...record.values, ...patch };
    const changes = diffValues(record.values, values);
    if (Object.keys(changes).length === 0 && !command.idempotency) {
      return { record, replayed: false, changedFields: [] };
    }
    const merge = command.body.merge;
    const meta: MergeMeta | null = merge ? { baseVersion: merge.baseVersion, overrodeVersion: baseVersion, fields: merge.fields } : null;
    const saved = await withTransientRetry(
      () =>
        writeRecordVersion(deps.db, {
          recordId: record.id,
          expectedVersion: baseVersion,
          values,
          changes,
          kind: merge ? "merge" : "save",
          authorId: actor.id,
          meta,
          idempotency: command.idempotency && { userId: actor.id, ...command.idempotency, status: 200 },
        }),
      { onRetry: (code) => deps.metrics.countRetry?.(code) },
    );
    if (!saved) throw await buildStaleError(deps, actor, record.id, baseVersion, patch);
    return { record: saved, replayed: false, changedFields: Object.keys(changes), richText: richTextChanges(fields, changes) };
  }).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "stale") {
      deps.metrics.observeSave?.("stale", (performance.now() - started) / 1000, record.collectionId);
    }
    throw error;
  });

  deps.metrics.observeSave?.("ok", (performance.now() - started) / 1000, record.collectionId);
  if (!result.replayed && result.changedFields.length > 0) {
    deps.publish({ type: "saved", record: result.record, changedFields: result.changedFields, by: actor, richText: result.richText });
  }
  return result;
}
