// Rich text reaches the history as checkpoints: after a pause in typing, and when the last
// person leaves the record. Each process checkpoints the documents its own clients edited.
import type { Person } from "@/lib/realtime";
import { findRecordById } from "@/server/persistence/records-repo";
import { checkpointRichText } from "@/server/usecases/checkpoint-rich-text";
import type { UseCaseDeps } from "@/server/usecases/deps";
import { loadDoc, loadDocUpdate, readRichText, richTextKeys } from "@/server/richtext/live-doc";

export type Checkpoints = {
  touch: (recordId: string, editor: Person) => void;
  flush: (recordId: string) => Promise<void>;
  flushAll: () => Promise<void>;
};

export function createCheckpoints(deps: UseCaseDeps, pauseMs: number): Checkpoints {
  const pending = new Map<string, { timer: NodeJS.Timeout; editors: Map<string, Person>; last: Person }>();

  async function write(recordId: string, editors: Person[], last: Person) {
    const found = await findRecordById(deps.db, recordId);
    if (!found) return;
    const keys = richTextKeys(found.fields);
    if (keys.length === 0) return;
    const update = await loadDocUpdate(deps.db, recordId, async () => ({ fields: found.fields, values: found.record.values }));
    const values = readRichText(loadDoc(update), keys);
    await checkpointRichText(deps, { recordId, values, author: last, editors });
  }

  const flush = async (recordId: string) => {
    const entry = pending.get(recordId);
    if (!entry) return;
    clearTimeout(entry.timer);
    pending.delete(recordId);
    await write(recordId, [...entry.editors.values()], entry.last).catch((error: unknown) =>
      console.error("rich text checkpoint failed", { recordId, error }),
    );
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
