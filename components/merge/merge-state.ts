// The merge dialog's state, without any React: what the user chose per conflicting field (and
// per line hunk of a long text), and the values and history notes that a "Save merged" sends.
import { applyBoth, resolveHunks, type HunkChoice } from "@/lib/merge";
import type { MergeChoice } from "@/lib/merge-choices";
import { valuesEqual } from "@/lib/fields";
import type { AutoMergeHow, FieldConflict, FieldDef, FieldValue, MergeResult, RecordValues, Resolution, TextHunk } from "@/lib/types";

export type FieldChoice =
  { kind: "mine" } | { kind: "theirs" } | { kind: "both" } | { kind: "edit"; value: FieldValue } | { kind: "hunks"; choices: (HunkChoice | undefined)[] };

export type Choices = Record<string, FieldChoice | undefined>;

export function conflictHunkCount(hunks: TextHunk[] | undefined): number {
  return hunks?.filter((hunk) => hunk.kind === "conflict").length ?? 0;
}

/** Long texts start hunk by hunk (the non-overlapping ones are already merged); others start unchosen. */
export function initialChoices(conflicts: FieldConflict[]): Choices {
  const choices: Choices = {};
  for (const conflict of conflicts) {
    const count = conflictHunkCount(conflict.hunks);
    choices[conflict.key] = count > 0 ? { kind: "hunks", choices: Array.from({ length: count }, () => undefined) } : undefined;
  }
  return choices;
}

export function canApplyBoth(def: FieldDef | undefined, conflict: FieldConflict): boolean {
  const isNumeric = def?.type === "number" || def?.type === "counter";
  const isNumberOrNull = (v: FieldValue) => v === null || typeof v === "number";
  return isNumeric && isNumberOrNull(conflict.base) && isNumberOrNull(conflict.mine) && isNumberOrNull(conflict.theirs);
}

export function bothValue(conflict: FieldConflict): number {
  const num = (v: FieldValue) => (typeof v === "number" ? v : null);
  return applyBoth(num(conflict.base), num(conflict.mine), num(conflict.theirs));
}

/** The value a choice gives, or undefined while it is incomplete (a hunk still unchosen). */
export function choiceValue(conflict: FieldConflict, choice: FieldChoice | undefined): FieldValue | undefined {
  if (!choice) return undefined;
  switch (choice.kind) {
    case "mine":
      return conflict.mine;
    case "theirs":
      return conflict.theirs;
    case "both":
      return bothValue(conflict);
    case "edit":
      return choice.value;
    case "hunks": {
      if (!conflict.hunks || choice.choices.some((c) => c === undefined)) return undefined;
      const text = resolveHunks(conflict.hunks, choice.choices as HunkChoice[]);
      return text === "" ? null : text;
    }
  }
}

/**
 * How the history should describe the choice (RESOLUTIONS): lines typed by hand are an edit;
 * mine everywhere is mine, theirs everywhere theirs; "Keep both" or a mix of sides keeps both.
 */
export function resolutionOf(choice: FieldChoice): Resolution {
  if (choice.kind !== "hunks") return choice.kind;
  if (choice.choices.some((c) => Array.isArray(c))) return "edit";
  if (choice.choices.every((c) => c === "mine")) return "mine";
  if (choice.choices.every((c) => c === "theirs")) return "theirs";
  return "both";
}

const sameConflict = (a: FieldConflict, b: FieldConflict) => valuesEqual(a.base, b.base) && valuesEqual(a.mine, b.mine) && valuesEqual(a.theirs, b.theirs);

/**
 * A dialog refreshed because someone saved again: the choices made for fields whose conflict is
 * still the same carry over; a field whose value changed again starts unchosen (what was chosen
 * was chosen against a value that is gone) and is listed in `changedAgain`. A hand-typed value is
 * kept even then, so nothing typed is lost; the field is still marked.
 */
export function carryChoices(previous: FieldConflict[], choices: Choices, next: FieldConflict[]): { choices: Choices; changedAgain: string[] } {
  const before = new Map(previous.map((c) => [c.key, c]));
  const fresh = initialChoices(next);
  const carried: Choices = {};
  const changedAgain: string[] = [];
  for (const conflict of next) {
    const old = before.get(conflict.key);
    const choice = choices[conflict.key];
    if (old && sameConflict(old, conflict)) {
      carried[conflict.key] = choice ?? fresh[conflict.key];
      continue;
    }
    if (old) changedAgain.push(conflict.key);
    carried[conflict.key] = choice?.kind === "edit" ? choice : fresh[conflict.key];
  }
  return { choices: carried, changedAgain };
}

export function setHunkChoice(choice: FieldChoice | undefined, count: number, index: number, value: HunkChoice): FieldChoice {
  const current = choice?.kind === "hunks" ? choice.choices : Array.from({ length: count }, () => undefined);
  const next = current.slice();
  next[index] = value;
  return { kind: "hunks", choices: next };
}

export function autoResolution(how: AutoMergeHow): Resolution {
  return how === "mine" ? "mine" : how === "theirs" ? "theirs" : "auto";
}

export type MergeOutcome = { values: RecordValues; resolutions: Record<string, Resolution>; unresolved: string[] };

/** Every field's value after the user's choices, how each changed field was settled, and what is still open. */
export function buildMerge(result: MergeResult, choices: Choices): MergeOutcome {
  const values: RecordValues = { ...result.merged };
  const resolutions: Record<string, Resolution> = {};
  const unresolved: string[] = [];
  for (const { key, how } of result.autoMerged) resolutions[key] = autoResolution(how);
  for (const conflict of result.conflicts) {
    const choice = choices[conflict.key];
    const value = choiceValue(conflict, choice);
    if (value === undefined || !choice) {
      unresolved.push(conflict.key);
      continue;
    }
    values[conflict.key] = value;
    resolutions[conflict.key] = resolutionOf(choice);
  }
  return { values, resolutions, unresolved };
}

/** The choices as the server takes them (lib/merge-choices.ts); incomplete ones are left out. */
export function toServerChoices(choices: Choices): Record<string, MergeChoice> {
  const out: [string, MergeChoice][] = [];
  for (const [key, choice] of Object.entries(choices)) {
    if (!choice) continue;
    if (choice.kind === "edit") out.push([key, { edit: choice.value }]);
    else if (choice.kind === "hunks") {
      if (choice.choices.every((c) => c !== undefined)) out.push([key, { hunks: choice.choices as HunkChoice[] }]);
    } else out.push([key, choice.kind]);
  }
  return Object.fromEntries(out);
}
