import { diffValues } from "@/lib/diff";
import type { RecordValues } from "@/lib/types";
import { findRecordById, writeRecordVersion } from "@/server/persistence/records-repo";
import type { Actor, UseCaseDeps } from "./deps";

const MAX_ATTEMPTS = 5;

/**
 * Writes the live rich text into the record's values and history (a "save" revision marked as a
 * checkpoint). Rich text never conflicts, so a concurrent save is not a refusal: read again and
 * reapply. Nothing is written when the text is what the record already holds.
 */
export async function checkpointRichText(
  deps: UseCaseDeps,
  input: { recordId: string; values: Record<string, string>; author: Actor; editors: Actor[] },
): Promise<number | null> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const found = await findRecordById(deps.db, input.recordId);
    if (!found || found.record.deletedAt) return null;
    const current = found.record;
    const values: RecordValues = { ...current.values, ...input.values };
    const changes = diffValues(current.values, values);
    if (Object.keys(changes).length === 0) return null;
    const saved = await writeRecordVersion(deps.db, {
      recordId: current.id,
      expectedVersion: current.version,
      values,
      changes,
      kind: "save",
      authorId: input.author.id,
      meta: { checkpoint: true, editors: input.editors },
    });
    if (saved) {
      deps.publish({ type: "saved", record: saved, changedFields: Object.keys(changes), by: input.author, origin: "live" });
      return saved.version;
    }
  }
  throw new Error(`rich text checkpoint of ${input.recordId} lost ${MAX_ATTEMPTS} races in a row`);
}
