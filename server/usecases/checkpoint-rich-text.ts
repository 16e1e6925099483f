import type { Person } from "@/lib/realtime";
import type { UseCaseDeps } from "./deps";

/**
 * Writes the live rich text into the record's values and history (a "save" revision marked as a
 * checkpoint, naming everyone who typed). Rich text never conflicts, so it applies to whatever
 * version is current; nothing is written when the text is what the record already holds. The
 * edits were authorised one by one as they arrived, so the write needs no role of its own.
 */
export async function checkpointRichText(
  deps: UseCaseDeps,
  input: { recordId: string; values: Record<string, string>; author: Person; editors: Person[] },
): Promise<number | null> {
  const outcome = await deps.store.write({
    recordId: input.recordId,
    actorId: input.author.id,
    roles: null,
    expectedVersion: null,
    set: input.values,
    add: {},
    kind: "save",
    meta: { checkpoint: true, editors: input.editors },
  });
  if (outcome.outcome !== "saved") return null;
  deps.committed({ type: "saved", record: outcome.record, changedFields: Object.keys(outcome.changes), by: input.author, origin: "live" });
  return outcome.record.version;
}
