// A merge dialog that someone saved under again ("refreshed"): the server's new 412 carries the
// merge of the same base and edits against the newest version, so the dialog shows the same base
// and mine with the new theirs, and the choices already made carry over for every field whose
// conflict is still the same (carryChoices); the others are marked.
import { carryChoices, initialChoices, type Choices } from "@/components/merge/merge-state";
import type { MergeSession } from "./save-flow";

export type DialogState = { session: MergeSession; choices: Choices; changedAgain: string[] };

/** The dialog for a refused save: fresh when it first opens, carried over when it refreshes. */
export function nextDialog(incoming: MergeSession, previous: DialogState | null): DialogState {
  if (!previous) return { session: incoming, choices: initialChoices(incoming.result.conflicts), changedAgain: [] };
  const session = { ...incoming, isRefreshed: true };
  const carried = carryChoices(previous.session.result.conflicts, previous.choices, session.result.conflicts);
  return { session, ...carried };
}
