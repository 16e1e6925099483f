// A merge dialog that someone saved under again ("refreshed"): the dialog is rebuilt from what the
// user actually did (the form's base and edits) against the newest version, so it shows the same
// base and mine as before with the new theirs, and the choices already made carry over for every
// field whose conflict is still the same (carryChoices).
import { mergeRecord } from "@/lib/merge";
import type { FieldDef, RecordValues } from "@/lib/types";
import { carryChoices, initialChoices, type Choices } from "@/components/merge/merge-state";
import { changedValues } from "./edits";
import { formEdits, type FormBase } from "./live-merge";
import type { MergeSession } from "./save-flow";

export type DialogState = { session: MergeSession; choices: Choices; changedAgain: string[] };

/** The user's own edits against the session's current version, from the form's base. */
export function rebuildSession(fields: FieldDef[], form: { base: FormBase; edits: RecordValues }, session: MergeSession): MergeSession {
  const patch = changedValues(form.base.values, formEdits(fields, form.edits));
  const mine = { ...form.base.values, ...patch };
  return { ...session, result: mergeRecord(fields, form.base.values, mine, session.current.values) };
}

/** The dialog for a refused save: fresh when it first opens, carried over when it refreshes. */
export function nextDialog(fields: FieldDef[], form: { base: FormBase; edits: RecordValues }, incoming: MergeSession, previous: DialogState | null): DialogState {
  if (!previous) return { session: incoming, choices: initialChoices(incoming.result.conflicts), changedAgain: [] };
  const session = { ...rebuildSession(fields, form, incoming), isRefreshed: true };
  const carried = carryChoices(previous.session.result.conflicts, previous.choices, session.result.conflicts);
  return { session, ...carried };
}
