// A PATCH body read into what the writer needs: the values to set and the counter deltas, each
// checked against the collection's fields. Pure and linear in the body's size: nothing here
// parses rich text or reads the database, so it may run before authorization.
import { z } from "zod";
import { validateValues } from "@/lib/fields";
import { MergeChoiceSchema } from "@/lib/merge-choices";
import type { FieldDef, RecordValues } from "@/lib/types";

const INT4_MAX = 2_147_483_647;
const MAX_BASE_VERSIONS = 20;

const OpSchema = z.strictObject({
  add: z.number().refine((n) => Number.isSafeInteger(n) && n !== 0, "add must be a whole number other than 0"),
});

export const SaveRecordInput = z.strictObject({
  values: z.unknown().optional(),
  /** counter operations: deltas that commute, applied to the current value (lib/SPEC.md H7) */
  ops: z.record(z.string(), OpSchema).optional(),
  /**
   * H10: per edited field, a later version than If-Match's that the edit started from (a live form
   * whose untouched fields moved on underneath it); used only when the save is stale.
   */
  bases: z.record(z.string(), z.number().int().positive().max(INT4_MAX)).optional(),
  /** the merge dialog's choices, against the version of theirs it showed (H7) */
  merge: z
    .strictObject({
      theirsVersion: z.number().int().positive().max(INT4_MAX),
      choices: z.record(z.string(), MergeChoiceSchema),
    })
    .optional(),
});
export type SaveRecordInput = z.infer<typeof SaveRecordInput>;

export type SavePlan = { set: RecordValues; add: Record<string, number> };
export type PlanResult = { ok: true; plan: SavePlan } | { ok: false; errors: Record<string, string> };

/** Validates values (patch mode) and operations; an operation only applies to a counter, and not beside a value for it. */
export function planSave(fields: FieldDef[], body: SaveRecordInput): PlanResult {
  const hasValues = body.values !== undefined;
  const ops = body.ops ?? {};
  if (!hasValues && Object.keys(ops).length === 0) return { ok: false, errors: { _: "Nothing to save: send values or ops" } };
  const errors: [string, string][] = [];
  let set: RecordValues = {};
  if (hasValues) {
    const validation = validateValues(fields, body.values, "patch");
    if (validation.ok) set = validation.values;
    else if (!(Object.keys(ops).length > 0 && isEmptyObject(body.values))) errors.push(...Object.entries(validation.errors));
  }
  const defs = new Map(fields.map((def) => [def.key, def]));
  const add: [string, number][] = [];
  for (const [key, op] of Object.entries(ops)) {
    const def = defs.get(key);
    if (!def) errors.push([key, "Unknown field"]);
    else if (def.type !== "counter") errors.push([key, "Only a counter changes by operations; send a value instead"]);
    else if (Object.hasOwn(set, key)) errors.push([key, "Send either a value or an operation for a field, not both"]);
    else add.push([key, op.add]);
  }
  for (const key of Object.keys(body.bases ?? {})) {
    if (!Object.hasOwn(set, key) && !Object.hasOwn(ops, key)) errors.push([key, "bases names a field this save does not change"]);
  }
  if (new Set(Object.values(body.bases ?? {})).size > MAX_BASE_VERSIONS) errors.push(["_", `bases may name at most ${MAX_BASE_VERSIONS} versions`]);
  if (errors.length > 0) return { ok: false, errors: Object.fromEntries(errors) };
  return { ok: true, plan: { set, add: Object.fromEntries(add) } };
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}

export const hasFieldOfType = (fields: FieldDef[], values: RecordValues, type: FieldDef["type"]) =>
  fields.some((def) => def.type === type && Object.hasOwn(values, def.key));
