// What the form does with a newer version of its record that arrived live (someone saved, or we
// caught up after a reconnect). Pure, so the rules are unit-tested:
//  L1 a field the viewer has not touched takes the new value (and is reported for a highlight);
//  L2 an edit equal to the new value is done: it is dropped, the field simply takes the new value;
//  L3 an edited field that changed underneath keeps the edit and the base value it started from,
//     so the save is refused (412) and goes through the merge, where base/mine/theirs are right;
//  L4 base and token move to the new version only when every remaining edit started from the new
//     value (no L3 field left): a save then needs no refusal and overwrites nothing unseen;
//  L5 rich text is live (Yjs), never a form edit: it always takes the new value, never highlighted;
//  L6 a version not newer than the one already known is ignored (late or duplicate events);
//  L7 while the token stays behind (L3), a field that took a newer value remembers that version
//     (base.fieldVersions), so a later edit of it is sent with it (lib/SPEC.md H10) and merged
//     against the value the user saw;
//  L8 a counter with a pending delta that changes underneath keeps its base, like an edit (L3):
//     whether the change was someone's delta (both apply) or a typed count (a conflict) is the
//     server's to tell (M5). The counter shows the newest value plus the delta meanwhile.
// While L3 holds, the base is composite: the old version's values for the edited-and-changed
// fields, the new values for the rest (what the viewer sees, so a later edit of those fields is
// relative to what they saw). The merge after the refusal uses this base, not the server's snapshot.
import { valuesEqual } from "@/lib/fields";
import type { FieldDef, FieldValue, RecordDto, RecordValues } from "@/lib/types";

/**
 * The values the form's edits are relative to. `fieldVersions`: fields whose base value came from a
 * later version than `version` (they took a newer value live while the token stayed behind); a
 * save names them (`bases`, lib/SPEC.md H10) so the server merges each edit against what was seen.
 */
export type FormBase = { version: number; values: RecordValues; fieldVersions?: Record<string, number> };
/** `ops`: counter deltas not saved yet (counter-ops.ts); a counter holding one is pinned (L8). */
export type LiveForm = { base: FormBase; etag: string; edits: RecordValues; latest: RecordDto; latestEtag: string; ops?: Record<string, number> };
export type FieldChange = { by: string; version: number };

export type Reconciled = {
  form: LiveForm;
  /** untouched fields that took a new value (L1) */
  updated: string[];
  /** edited fields whose value changed underneath (L3), newly or again */
  underneath: string[];
  /** who changed each field in this step, for "changed by Dana · v8" */
  changes: Record<string, FieldChange>;
};

const get = (values: RecordValues, key: string): FieldValue => values[key] ?? null;

export function isRichText(fields: FieldDef[], key: string): boolean {
  return fields.some((f) => f.key === key && f.type === "richtext");
}

/** The edits a structured save may send: never rich text (L5). */
export function formEdits(fields: FieldDef[], edits: RecordValues): RecordValues {
  return Object.fromEntries(Object.entries(edits).filter(([key]) => !isRichText(fields, key)));
}

/** Edited fields whose base is behind the latest value: they will meet the merge on save. */
export function pendingConflicts(fields: FieldDef[], form: LiveForm): string[] {
  return Object.keys(formEdits(fields, form.edits)).filter(
    (key) => !valuesEqual(get(form.base.values, key), get(form.latest.values, key)) && !valuesEqual(form.edits[key]!, get(form.latest.values, key)),
  );
}

export function reconcile(fields: FieldDef[], form: LiveForm, incoming: { record: RecordDto; etag: string }): Reconciled {
  const next = incoming.record;
  if (next.version <= form.latest.version) return { form, updated: [], underneath: [], changes: {} }; // L6
  const keys = new Set([...fields.map((f) => f.key), ...Object.keys(next.values)]);
  const baseValues: RecordValues = { ...form.base.values };
  const fieldVersions: Record<string, number> = { ...form.base.fieldVersions };
  const edits: RecordValues = { ...form.edits };
  const updated: string[] = [];
  const underneath: string[] = [];
  const changes: Record<string, FieldChange> = {};
  for (const key of keys) {
    const theirs = get(next.values, key);
    const hasChanged = !valuesEqual(get(form.latest.values, key), theirs);
    if (hasChanged) changes[key] = { by: next.updatedBy.name, version: next.version };
    const hasPendingOps = !!form.ops?.[key];
    const isEdited = Object.hasOwn(edits, key) && !isRichText(fields, key) && !valuesEqual(get(baseValues, key), edits[key]!);
    if (hasPendingOps && !isEdited) {
      if (hasChanged) underneath.push(key); // L8
    } else if (!isEdited || valuesEqual(edits[key]!, theirs)) {
      // L1, L2, L5: the field shows the new value and nothing of the viewer's is pending there.
      if (isEdited || (Object.hasOwn(edits, key) && isRichText(fields, key))) delete edits[key];
      else if (hasChanged && !isRichText(fields, key)) updated.push(key);
      if (!valuesEqual(get(baseValues, key), theirs)) fieldVersions[key] = next.version;
      baseValues[key] = theirs;
    } else if (hasChanged) {
      underneath.push(key); // L3: keep the edit and its base
    }
  }
  const latest = { record: next, etag: incoming.etag };
  const base: FormBase = { version: form.base.version, values: baseValues, fieldVersions };
  const form2 = rebaseIfSafe(fields, { base, etag: form.etag, edits, latest: next, latestEtag: latest.etag, ops: form.ops });
  return { form: form2, updated, underneath, changes };
}

/** L4: when no edit waits on an older value, the form's base and token become the latest version. */
export function rebaseIfSafe(fields: FieldDef[], form: LiveForm): LiveForm {
  if (form.base.version === form.latest.version && form.etag === form.latestEtag) return form;
  const isCaughtUp = [...new Set([...Object.keys(form.base.values), ...Object.keys(form.latest.values)])].every(
    (key) => isRichText(fields, key) || valuesEqual(get(form.base.values, key), get(form.latest.values, key)),
  );
  if (!isCaughtUp) return form;
  return { ...form, base: { version: form.latest.version, values: { ...form.latest.values } }, etag: form.latestEtag };
}

/** "Take theirs" on a field that changed underneath: the edit goes, the field shows the new value. */
export function takeTheirs(fields: FieldDef[], form: LiveForm, key: string): LiveForm {
  const edits = { ...form.edits };
  delete edits[key];
  const fieldVersions = { ...form.base.fieldVersions, [key]: form.latest.version };
  const base = { ...form.base, values: { ...form.base.values, [key]: get(form.latest.values, key) }, fieldVersions };
  return rebaseIfSafe(fields, { ...form, base, edits });
}
