// The editor state's live transitions: each takes the state and returns what changes, using the
// pure rules of live-merge.ts on the form part of the state.
import type { Permissions } from "@/lib/permissions";
import type { FieldValue } from "@/lib/types";
import type { Versioned } from "@/components/api/client";
import { setEdit } from "./edits";
import { withoutOps } from "./counter-ops";
import { rebaseIfSafe, reconcile, takeTheirs, type LiveForm } from "./live-merge";
import type { EditorState } from "./use-record-editor";

function formOf(s: EditorState): LiveForm | null {
  if (!s.record) return null;
  return { base: s.base, etag: s.etag, edits: s.edits, latest: s.record, latestEtag: s.latestEtag, ops: s.ops };
}

const fromForm = (form: LiveForm): Partial<EditorState> => ({
  base: form.base,
  etag: form.etag,
  edits: form.edits,
  record: form.latest,
  latestEtag: form.latestEtag,
});

export function applyIncoming(s: EditorState, incoming: Versioned): Partial<EditorState> {
  const form = formOf(s);
  if (!form || !s.collection || incoming.record.version <= form.latest.version) return {};
  const out = reconcile(s.collection.fields, form, incoming);
  const at = Date.now();
  const flashes = { ...s.flashes };
  for (const key of out.updated) flashes[key] = { ...out.changes[key]!, at };
  return { ...fromForm(out.form), fieldChanges: { ...s.fieldChanges, ...out.changes }, flashes };
}

export function applyTakeTheirs(s: EditorState, key: string): Partial<EditorState> {
  const form = formOf(s);
  if (!form || !s.collection) return {};
  // Taking theirs on a counter also drops its pending delta.
  return { ...fromForm(takeTheirs(s.collection.fields, { ...form, ops: withoutOps(s.ops, key) }, key)), ops: withoutOps(s.ops, key) };
}

/**
 * A typed value. When it drops the edit (typed back to the base value) on a field that changed
 * underneath, the field is untouched again and shows the newest value, like any untouched field.
 */
export function applyEdit(s: EditorState, key: string, value: FieldValue): Partial<EditorState> {
  const edits = setEdit(s.base.values, s.edits, key, value);
  const form = formOf(s);
  if (!form || !s.collection) return { edits };
  if (Object.hasOwn(edits, key)) return fromForm(rebaseIfSafe(s.collection.fields, { ...form, edits }));
  return fromForm(takeTheirs(s.collection.fields, { ...form, edits }, key));
}

export function markDeleted(s: EditorState, by: string): Partial<EditorState> {
  if (s.deletedBy) return {};
  return { deletedBy: by, session: null };
}

/**
 * Access changed while the page was open (a demotion, a removal): the form follows what the server
 * now allows. The edits stay on screen (and in the draft) so nothing typed is lost.
 */
export function applyAccess(s: EditorState, permissions: Permissions | null): Partial<EditorState> {
  if (!s.collection) return {};
  if (!permissions) {
    const none = Object.fromEntries(Object.keys(s.collection.permissions).map((key) => [key, false])) as Permissions;
    return {
      collection: { ...s.collection, permissions: none },
      session: null,
      notice: { tone: "error", text: "You no longer have access to this record. Your unsaved changes are still shown so you can copy them." },
    };
  }
  const isSame = Object.entries(permissions).every(([key, value]) => s.collection!.permissions[key as keyof Permissions] === value);
  if (isSame) return {};
  const canWrite = permissions["record.write"];
  return {
    collection: { ...s.collection, permissions },
    ...(canWrite
      ? {}
      : {
          session: null,
          notice: { tone: "warning", text: "Your access changed: you can view this record but no longer edit it. Your unsaved changes are still shown." },
        }),
  };
}
