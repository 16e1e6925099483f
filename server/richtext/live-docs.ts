// The live documents a process is editing, kept in memory so that each update can be checked
// against the record before it is stored: its shape (validate-update.ts) and the rich-text length
// limit. The database stays the truth: before each check the copy catches up with what other
// processes stored, and a copy that took an update which was then refused is dropped.
import * as Y from "yjs";
import { DEFAULT_MAX_LENGTH } from "@/lib/fields";
import type { FieldDef } from "@/lib/types";
import type { Db } from "@/server/persistence/prisma";
import { loadDocRows, loadUpdatesAfter } from "@/server/persistence/yjs-repo";
import { loadDocUpdate, richTextKeys, seedFromRecord } from "./live-doc";
import { findUpdateProblem, htmlLengthBound } from "./validate-update";

type Copy = { doc: Y.Doc; lastId: number; generation: number };

export type UpdateCheck = { ok: true } | { ok: false; code: "invalid" | "too_large"; message: string };

export type LiveDocs = {
  /** Applies the update to the record's copy and checks it; the caller stores it only when ok. */
  check(recordId: string, fields: FieldDef[], update: Uint8Array): Promise<UpdateCheck>;
  /** The update was not stored after all: the copy must not keep it. */
  forget(recordId: string): void;
  /** Runs `work` alone for this record (checks and stores in the order they arrive). */
  serially<T>(recordId: string, work: () => Promise<T>): Promise<T>;
};

const MAX_COPIES = 500;

export function createLiveDocs(db: Db): LiveDocs {
  const copies = new Map<string, Copy>();
  const queues = new Map<string, Promise<unknown>>();

  const load = async (recordId: string): Promise<Copy> => {
    await loadDocUpdate(db, recordId, seedFromRecord(db, recordId));
    const rows = await loadDocRows(db, recordId);
    const doc = new Y.Doc({ gc: true });
    Y.applyUpdate(doc, rows.updates.length ? Y.mergeUpdates([rows.state!, ...rows.updates]) : rows.state!);
    return { doc, lastId: Number(rows.lastUpdateId ?? 0), generation: rows.generation };
  };

  const current = async (recordId: string): Promise<Copy> => {
    let copy = copies.get(recordId);
    if (copy) {
      const after = await loadUpdatesAfter(db, recordId, copy.lastId);
      if (after.generation !== copy.generation) copy = undefined;
      else {
        for (const { id, update } of after.updates) {
          Y.applyUpdate(copy.doc, update);
          copy.lastId = Math.max(copy.lastId, id);
        }
      }
    }
    if (!copy) copy = await load(recordId);
    copies.delete(recordId);
    copies.set(recordId, copy);
    if (copies.size > MAX_COPIES) copies.delete(copies.keys().next().value!);
    return copy;
  };

  return {
    async check(recordId, fields, update) {
      const copy = await current(recordId);
      const keys = new Set(richTextKeys(fields));
      for (const key of keys) copy.doc.getXmlFragment(key);
      Y.applyUpdate(copy.doc, update);
      const problem = findUpdateProblem(copy.doc, update, keys);
      if (problem) {
        copies.delete(recordId);
        return { ok: false, code: "invalid", message: problem };
      }
      for (const def of fields) {
        if (def.type !== "richtext") continue;
        const max = def.options?.maxLength ?? DEFAULT_MAX_LENGTH.richtext;
        if (htmlLengthBound(copy.doc.getXmlFragment(def.key)) > max) {
          copies.delete(recordId);
          return { ok: false, code: "too_large", message: `${def.label} may hold at most ${max} characters; this change was not saved` };
        }
      }
      return { ok: true };
    },
    forget(recordId) {
      copies.delete(recordId);
    },
    serially(recordId, work) {
      const previous = queues.get(recordId) ?? Promise.resolve();
      const next = previous.catch(() => {}).then(work);
      queues.set(recordId, next);
      const settle = () => {
        if (queues.get(recordId) === next) queues.delete(recordId);
      };
      next.then(settle, settle);
      return next;
    },
  };
}
