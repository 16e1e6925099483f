// Restoring is an ordinary write of old values with the current token: it adds a version (kind
// restore) and never rewrites history.
import { validateValues } from "@/lib/fields";
import { rolesFor } from "@/lib/permissions";
import type { RecordValues } from "@/lib/types";
import { z } from "zod";
import { badRequest, invalid, notFound } from "@/server/errors";
import { assertAllowed, assertVersionExists, isUuid, readToken, refusal } from "./access";
import type { Actor, IdempotencyRequest, UseCaseDeps, WriteResult } from "./deps";
import { runIdempotent } from "./idempotency";
import { normalizeRichTextValues, richTextChanges } from "./rich-text-values";
import { staleError } from "./stale";

const FieldKey = z.string().min(1).max(63);

export const RestoreRevisionInput = z.strictObject({
  version: z.number().int().positive().max(2_147_483_647),
  fields: z.array(FieldKey).min(1).max(500).optional(),
});
export type RestoreRevisionInput = z.infer<typeof RestoreRevisionInput>;

export async function restoreRevision(
  deps: UseCaseDeps,
  actor: Actor,
  command: { recordId: string; ifMatch: string | null; body: RestoreRevisionInput; idempotency?: IdempotencyRequest },
): Promise<WriteResult> {
  if (!isUuid(command.recordId)) throw notFound();
  const allowed = assertAllowed(await deps.store.access(command.recordId, actor.id), "record.restore");
  const baseVersion = readToken(command.ifMatch, command.recordId, "restore it");
  assertVersionExists(baseVersion, allowed.record);
  const { fields, record } = allowed;
  const known = new Set(fields.map((f) => f.key));
  const unknown = (command.body.fields ?? []).filter((key) => !known.has(key));
  if (unknown.length > 0) throw badRequest(`Unknown field: ${unknown.slice(0, 10).join(", ")}`);
  const revision = await deps.store.revision(record.id, command.body.version);
  if (!revision?.snapshot) throw notFound(`Version ${command.body.version}`);
  const wanted = command.body.fields ?? fields.map((f) => f.key);
  const patch: RecordValues = {};
  for (const key of new Set(wanted)) if (Object.hasOwn(revision.snapshot, key)) patch[key] = revision.snapshot[key]!;
  const validation = validateValues(fields, patch, "patch");
  if (!validation.ok) throw invalid(validation.errors, "That version's values are not valid for the fields as they are now");
  const set = await normalizeRichTextValues(fields, validation.values);

  const result = await runIdempotent(deps, actor, command.idempotency, async () => {
    const outcome = await deps.store.write({
      recordId: record.id,
      actorId: actor.id,
      roles: rolesFor("record.restore"),
      expectedVersion: baseVersion,
      set,
      add: {},
      kind: "restore",
      // The meta names each restored field once, and only fields the record has (checked above).
      meta: { restoredFrom: revision.version, ...(command.body.fields ? { fields: [...new Set(command.body.fields)] } : {}) },
      idempotency: command.idempotency && { userId: actor.id, ...command.idempotency, status: 200 },
    });
    if (outcome.outcome === "stale") throw staleError(fields, outcome, { set, add: {}, theirs: {} });
    if (outcome.outcome === "unchanged") return { record: outcome.record, replayed: false, changedFields: [] };
    if (outcome.outcome !== "saved") throw refusal(outcome, "record.restore");
    return { record: outcome.record, replayed: false, changedFields: Object.keys(outcome.changes), richText: richTextChanges(fields, outcome.changes) };
  });
  if (!result.replayed && result.changedFields.length > 0) {
    deps.committed({ type: "saved", record: result.record, changedFields: result.changedFields, by: actor, richText: result.richText });
  }
  return result;
}
