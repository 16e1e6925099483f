// What the merge dialog's choices turn a server merge into: the values to save and the notes the
// history keeps, both computed here from the server's own merge (rules R1–R7 in lib/SPEC.md).
// The client sends only its choices; it never tells the server what was kept.
import { z } from "zod";
import { emptyValue, validateFieldValue, valuesEqual } from "./field-value";
import { applyBoth, mergeTags } from "./merge";
import { resolveHunks, type HunkChoice } from "./text-merge";
import type { FieldConflict, FieldDef, FieldValue, MergeResult, RecordValues, Resolution } from "./types";

const FieldValueSchema: z.ZodType<FieldValue> = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]);
const HunkChoiceSchema = z.union([z.enum(["mine", "theirs", "base", "both"]), z.array(z.string()).max(100_000)]);

/** One field's choice in the dialog. */
export const MergeChoiceSchema = z.union([
  z.enum(["mine", "theirs", "both"]),
  z.strictObject({ edit: FieldValueSchema }),
  z.strictObject({ hunks: z.array(HunkChoiceSchema).max(10_000) }),
]);
export type MergeChoice = z.infer<typeof MergeChoiceSchema>;

export type ResolvedMerge =
  { ok: true; values: RecordValues; notes: Record<string, Resolution> } | { ok: false; unresolved: string[]; invalid: Record<string, string> };

/**
 * Applies the dialog's choices to a merge (R1–R7). `mineKeys` are the fields the user edited, whose
 * settlement the notes record. Every problem is reported at once: choices for fields that did not
 * conflict (R2), malformed or inapplicable choices (R3–R5), invalid hand edits (R6), and conflicts
 * left without a choice (R1).
 */
export function resolveMergeChoices(fields: FieldDef[], result: MergeResult, mineKeys: string[], choices: Record<string, MergeChoice>): ResolvedMerge {
  const defs = new Map(fields.map((def) => [def.key, def]));
  const conflicts = new Map(result.conflicts.map((conflict) => [conflict.key, conflict]));
  const invalid: [string, string][] = [];
  const unresolved: string[] = [];
  for (const key of Object.keys(choices)) {
    if (!conflicts.has(key)) invalid.push([key, "This field did not conflict: there is nothing to choose"]);
  }
  const values: [string, FieldValue][] = Object.entries(result.merged);
  const notes: [string, Resolution][] = [];
  const mine = new Set(mineKeys);
  for (const { key, how } of result.autoMerged) {
    if (!mine.has(key) || how === "theirs" || how === "same") continue;
    notes.push([key, how === "mine" ? "mine" : "auto"]);
  }
  for (const conflict of result.conflicts) {
    const choice = Object.hasOwn(choices, conflict.key) ? choices[conflict.key] : undefined;
    if (choice === undefined) {
      unresolved.push(conflict.key);
      continue;
    }
    const settled = settle(defs.get(conflict.key), conflict, choice);
    if ("error" in settled) {
      invalid.push([conflict.key, settled.error]);
      continue;
    }
    values.push([conflict.key, settled.value]);
    notes.push([conflict.key, settled.resolution]);
  }
  if (invalid.length > 0 || unresolved.length > 0) return { ok: false, unresolved, invalid: Object.fromEntries(invalid) };
  // Later entries win in fromEntries, so a chosen value replaces the placeholder (theirs) of M11.
  return { ok: true, values: Object.fromEntries(values), notes: Object.fromEntries(notes) };
}

type Settled = { value: FieldValue; resolution: Resolution } | { error: string };

function settle(def: FieldDef | undefined, conflict: FieldConflict, choice: MergeChoice): Settled {
  if (choice === "mine") return { value: conflict.mine, resolution: "mine" };
  if (choice === "theirs") return { value: conflict.theirs, resolution: "theirs" };
  if (choice === "both") return settleBoth(def, conflict);
  if ("edit" in choice) {
    // R6: a hand edit is any value the field accepts, validated like a save.
    if (!def) return { error: "This field no longer exists: keep mine or take theirs" };
    const value = choice.edit === null ? emptyValue(def) : choice.edit;
    const problem = validateFieldValue(def, value);
    return problem ? { error: problem } : { value, resolution: "edit" };
  }
  return settleHunks(def, conflict, choice.hunks);
}

/** R4: "both" exists for numbers (both deltas), tags (both sets of changes) and long text (all hunks, mine first). */
function settleBoth(def: FieldDef | undefined, conflict: FieldConflict): Settled {
  const { base, mine, theirs } = conflict;
  const isNumeric = (v: FieldValue) => v === null || typeof v === "number";
  let value: FieldValue;
  if ((def?.type === "number" || def?.type === "counter") && [base, mine, theirs].every(isNumeric)) {
    value = applyBoth(base as number | null, mine as number | null, theirs as number | null);
  } else if (def?.type === "tags" && [base, mine, theirs].every((v) => Array.isArray(v))) {
    value = mergeTags(base as string[], mine as string[], theirs as string[]);
  } else if (def?.type === "longtext" && conflict.hunks) {
    return settleHunks(
      def,
      conflict,
      conflict.hunks.filter((h) => h.kind === "conflict").map(() => "both"),
    );
  } else {
    return { error: `"Apply both" does not apply to this field; keep mine, take theirs or edit it` };
  }
  const problem = def ? validateFieldValue(def, value) : null;
  return problem ? { error: `Both changes together give an invalid value: ${problem}` } : { value, resolution: "both" };
}

/** R5: one choice per conflicting hunk of a long text; the notes say what was kept overall. */
function settleHunks(def: FieldDef | undefined, conflict: FieldConflict, hunkChoices: HunkChoice[]): Settled {
  const count = conflict.hunks?.filter((h) => h.kind === "conflict").length ?? 0;
  if (!conflict.hunks || count === 0) return { error: "This field has no line hunks to choose from" };
  if (hunkChoices.length !== count) return { error: `Choose each of the ${count} conflicting blocks of lines (got ${hunkChoices.length})` };
  const text = resolveHunks(conflict.hunks, hunkChoices);
  const value = text === "" ? null : text;
  const problem = def ? validateFieldValue(def, value) : null;
  if (problem) return { error: problem };
  return { value, resolution: hunkResolution(hunkChoices, conflict, value) };
}

function hunkResolution(choices: HunkChoice[], conflict: FieldConflict, value: FieldValue): Resolution {
  if (choices.some((c) => Array.isArray(c))) return "edit";
  if (choices.every((c) => c === "mine") || valuesEqual(value, conflict.mine)) return "mine";
  if (choices.every((c) => c === "theirs") || valuesEqual(value, conflict.theirs)) return "theirs";
  return "both";
}
