// Pure bookkeeping of a form's edits against the version they started from.
import { valuesEqual } from "@/lib/fields";
import type { FieldValue, RecordValues } from "@/lib/types";

/** The fields of `edits` whose value differs from `base`: exactly what a save sends. */
export function changedValues(base: RecordValues, edits: RecordValues): RecordValues {
  const out: [string, FieldValue][] = [];
  for (const [key, value] of Object.entries(edits)) {
    if (!valuesEqual(base[key] ?? null, value)) out.push([key, value]);
  }
  return Object.fromEntries(out);
}

/** Sets one field; a value equal to base drops the edit, so typing back the old value is "no change". */
export function setEdit(base: RecordValues, edits: RecordValues, key: string, value: FieldValue): RecordValues {
  const next = { ...edits };
  if (valuesEqual(base[key] ?? null, value)) delete next[key];
  else next[key] = value;
  return next;
}

/**
 * After a save that started from the edits `sent` lands as `saved` (possibly merged): keep only
 * the edits the user made while the request was in flight.
 */
export function editsAfterSave(current: RecordValues, sent: RecordValues, saved: RecordValues): RecordValues {
  const out: [string, FieldValue][] = [];
  for (const [key, value] of Object.entries(current)) {
    const wasSent = Object.hasOwn(sent, key) && valuesEqual(sent[key], value);
    if (!wasSent && !valuesEqual(saved[key] ?? null, value)) out.push([key, value]);
  }
  return Object.fromEntries(out);
}

export function hasEdits(base: RecordValues, edits: RecordValues): boolean {
  return Object.keys(changedValues(base, edits)).length > 0;
}
