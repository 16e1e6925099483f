import { diffValues } from "@/lib/diff";
import { validateValues } from "@/lib/fields";
import type { RecordValues } from "@/lib/types";
import { z } from "zod";
import { badRequest, invalid, notFound } from "@/server/errors";
import { writeRecordVersion } from "@/server/persistence/records-repo";
import { findRevision } from "@/server/persistence/revisions-repo";
import { withTransientRetry } from "@/server/persistence/retry";
import { loadForWrite } from "./access";
import type { Actor, IdempotencyRequest, UseCaseDeps, WriteResult } from "./deps";
import { runIdempotent } from "./idempotency";
import { buildStaleError } from "./stale";
import { normalizeRichTextValues, richTextChanges } from "./rich-text-values";

export const RestoreRevisionInput = z
  .object({ version: z.number().int().positive(), fields: z.array(z.string()).min(1).optional() })
  .strict();
export type RestoreRevisionInput = z.infer<typeof RestoreRevisionInput>;

/**
 * Restoring is an ordinary save of old values with the current token: it adds a version
 * (kind restore) and never rewrites history.
 */
export async function restoreRevision(
  deps: UseCaseDeps,
  actor: Actor,
  command: { recordId: string; ifMatch: string | null; body: RestoreRevisionInput; idempotency?: IdempotencyRequest },
): Promise<WriteResult> {
  const { record, fields, baseVersion } = await loadForWrite(deps, actor, command.recordId, command.ifMatch);
  const revision = await findRevision(deps.db, record.id, command.body.version);
  if (!revision?.snapshot) throw notFound(`Version ${command.body.version}`);
  const known = new Set(fields.map((f) => f.key));
  const wanted = command.body.fields ?? fields.map((f) => f.key);
  const unknown = wanted.filter((key) => !known.has(key));
  if (unknown.length > 0) throw badRequest(`Unknown field: ${unknown.join(", ")}`);
  const patch: RecordValues = {};
  for (const key of wanted) if (key in revision.snapshot) patch[key] = revision.snapshot[key];
  const validation = validateValues(fields, patch, "patch");
  if (!validation.ok) throw invalid(validation.errors);

  const result = await runIdempotent(deps, actor, command.idempotency, async () => {
    if (baseVersion !== record.version) throw await buildStaleError(deps, actor, record.id, baseVersion, patch, record);
    const values = { ...record.values, ...normalizeRichTextValues(fields, validation.values) };
    const changes = diffValues(record.values, values);
    const restored = await withTransientRetry(() =>
      writeRecordVersion(deps.db, {
        recordId: record.id,
        expectedVersion: baseVersion,
        values,
        changes,
        kind: "restore",
        authorId: actor.id,
        meta: { restoredFrom: revision.version, ...(command.body.fields ? { fields: command.body.fields } : {}) },
        idempotency: command.idempotency && { userId: actor.id, ...command.idempotency, status: 200 },
      }),
    );
    if (!restored) throw await buildStaleError(deps, actor, record.id, baseVersion, patch);
    return { record: restored, replayed: false, changedFields: Object.keys(changes), richText: richTextChanges(fields, changes) };
  });
  if (!result.replayed) {
    deps.publish({ type: "saved", record: result.record, changedFields: result.changedFields, by: actor, richText: result.richText });
  }
  return result;
}
