// Rich text reaches the history as checkpoints: after a pause in typing, and when the last
// person leaves the record. Each process checkpoints the documents its own clients edited.
import type { Person } from "@/lib/realtime";
import { findRecordById } from "@/server/persistence/records-repo";
import { checkpointRichText } from "@/server/usecases/checkpoint-rich-text";
import type { UseCaseDeps } from "@/server/usecases/deps";
import { validateFieldValue } from "@/lib/fields";
import { loadDoc, loadDocUpdate, readRichText } from "@/server/richtext/live-doc";

export type Checkpoints = {
  touch: (recordId: string, editor: Person) => void;
  flush: (recordId: string) => Promise<void>;
  flushAll: () => Promise<void>;
};

/** A field whose live text could not be checkpointed: said to everyone on the record, never silently stuck. */
export type CheckpointProblem = { recordId: string; field: string; message: string };

export function createCheckpoints(deps: UseCaseDeps, pauseMs: number, report: (problem: CheckpointProblem) => void): Checkpoints {
  const pending = new Map<string, { timer: NodeJS.Timeout; editors: Map<string, Person>; last: Person }>();

  async function write(recordId: string, editors: Person[], last: Person) {
    const found = await findRecordById(deps.db, recordId);
    if (!found || found.record.deletedAt) return;
    const defs = found.fields.filter((f) => f.type === "richtext");
    if (defs.length === 0) return;
    const update = await loadDocUpdate(deps.db, recordId, async () => ({ fields: found.fields, values: found.record.values }));
    const doc = loadDoc(update);
    const values: Record<string, string> = {};
    for (const def of defs) {
      // Each field on its own: one that cannot be read or is over its limit does not hold back the others.
      let html: string;
      try {
        html = readRichText(doc, [def.key])[def.key]!;
      } catch (error) {
        console.error("rich text checkpoint: the live text cannot be read", { recordId, field: def.key, error });
        report({ recordId, field: def.key, message: `${def.label} could not be saved from the live document; reload the page` });
        continue;
      }
      const problem = validateFieldValue(def, html === "" ? null : html);
      if (problem) {
        console.warn("rich text checkpoint refused", { recordId, field: def.key, problem });
        report({ recordId, field: def.key, message: `${def.label} is not saved: ${problem}` });
        continue;
      }
      values[def.key] = html;
    }
    if (Object.keys(values).length > 0) await checkpointRichText(deps, { recordId, values, author: last, editors });
  }

  const flush = async (recordId: string) => {
    const entry = pending.get(recordId);
    if (!entry) return;
    clearTimeout(entry.timer);
    pending.delete(recordId);
    await write(recordId, [...entry.editors.values()], entry.last).catch((error: unknown) => console.error("rich text checkpoint failed", { recordId, error }));
  };

  return {
    touch(recordId, editor) {
      const entry = pending.get(recordId);
      if (entry) clearTimeout(entry.timer);
      const editors = entry?.editors ?? new Map<string, Person>();
      editors.set(editor.id, editor);
      const timer = setTimeout(() => void flush(recordId), pauseMs);
      timer.unref();
      pending.set(recordId, { timer, editors, last: editor });
    },
    flush,
    flushAll: async () => {
      await Promise.all([...pending.keys()].map(flush));
    },
  };
}
