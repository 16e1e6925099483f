// A record's Y.Doc, kept in PostgreSQL (state + appended updates), with no copy held in memory:
// every process reads the same rows, so several processes agree without a shared cache.
import * as Y from "yjs";
import type { FieldDef, RecordValues } from "@/lib/types";
import { AppError } from "@/server/errors";
import type { Db } from "@/server/persistence/prisma";
import { findRecordById } from "@/server/persistence/records-repo";
import { appendDocUpdate, compactDoc, countDocUpdates, insertInitialDocState, loadDocRows } from "@/server/persistence/yjs-repo";
import { fragmentToHtml, replaceFragment } from "./fragments";

const COMPACT_AFTER = 200;

/** A record's fields and stored values: what a Y.Doc that was never created starts from. */
export const seedFromRecord = (db: Db, recordId: string) => async () => {
  const found = await findRecordById(db, recordId);
  if (!found) throw new AppError("not_found", "Record not found");
  return { fields: found.fields, values: found.record.values };
};

export const richTextKeys = (fields: FieldDef[]) => fields.filter((f) => f.type === "richtext").map((f) => f.key);

/**
 * The document as one merged update. A record that never had a Y.Doc gets one built from its
 * stored values, inserted only if no other process did so first. A read failure throws: a
 * document that failed to load is never treated as empty.
 */
export async function loadDocUpdate(db: Db, recordId: string, seed: () => Promise<{ fields: FieldDef[]; values: RecordValues }>): Promise<Uint8Array> {
  let rows = await loadDocRows(db, recordId);
  if (!rows.state) {
    const { fields, values } = await seed();
    const doc = new Y.Doc();
    for (const key of richTextKeys(fields)) {
      const value = values[key];
      await replaceFragment(doc, key, typeof value === "string" ? value : null);
    }
    await insertInitialDocState(db, recordId, Y.encodeStateAsUpdate(doc));
    rows = await loadDocRows(db, recordId);
    if (!rows.state) throw new Error(`Y.Doc of record ${recordId} could not be stored`);
  }
  return rows.updates.length ? Y.mergeUpdates([rows.state, ...rows.updates]) : rows.state;
}

export function loadDoc(update: Uint8Array): Y.Doc {
  const doc = new Y.Doc({ gc: true });
  Y.applyUpdate(doc, update);
  return doc;
}

/**
 * Stores one update (the caller has checked it) if `access` still allows it, and compacts now and
 * then. False when refused: the record was deleted or the user lost the right to edit.
 */
export async function appendUpdate(db: Db, recordId: string, update: Uint8Array, access: { userId: string; roles: string[] } | null = null): Promise<boolean> {
  const id = await appendDocUpdate(db, { recordId, update, userId: access?.userId ?? null, roles: access?.roles ?? null });
  if (id === null) return false;
  if (id % 50 === 0 && (await countDocUpdates(db, recordId)) > COMPACT_AFTER) {
    await compactDoc(db, recordId, (parts) => Y.mergeUpdates(parts)).catch((error: unknown) => console.error("yjs compaction failed", { recordId, error }));
  }
  return true;
}

/** HTML of every richtext field, for checkpoints into the record's values and history. */
export function readRichText(doc: Y.Doc, keys: string[]): Record<string, string> {
  return Object.fromEntries(keys.map((key) => [key, fragmentToHtml(doc, key)]));
}

/**
 * An HTTP write set richtext fields: the same change goes into the Y.Doc as one update, so live
 * editors converge on it. Returns the update to broadcast, or null when nothing changed.
 */
export async function replaceRichText(
  db: Db,
  recordId: string,
  values: Record<string, string | null>,
  seed: () => Promise<{ fields: FieldDef[]; values: RecordValues }>,
): Promise<Uint8Array | null> {
  const doc = loadDoc(await loadDocUpdate(db, recordId, seed));
  // A fragment that cannot be read (damaged by an update an older server let through) is simply
  // replaced: an HTTP write is how such a field is repaired.
  const readable = (key: string) => {
    try {
      return fragmentToHtml(doc, key);
    } catch {
      return null;
    }
  };
  const changed = Object.entries(values).filter(([key, value]) => readable(key) !== (value ?? ""));
  if (changed.length === 0) return null;
  const before = Y.encodeStateVector(doc);
  for (const [key, value] of changed) await replaceFragment(doc, key, value);
  const update = Y.encodeStateAsUpdate(doc, before);
  await appendUpdate(db, recordId, update);
  return update;
}
