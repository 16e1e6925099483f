// The refusal of a stale write (412): the record as it is now, the version the client started
// from, the fields both sides changed, and the server's own three-way merge of them (H5), so any
// client can offer a way forward instead of a dead end. Counters are merged by intent (M5): the
// client's operations and typed values, and what the versions since its base did to each.
import { conflictingKeys, mergeRecord } from "@/lib/merge";
import type { CounterIntent, FieldDef, MergeResult, RecordDto, RecordValues } from "@/lib/types";
import { StaleError } from "@/server/errors";
import type { UseCaseDeps } from "./deps";

export type StaleSide = { current: RecordDto; base: { version: number; values: RecordValues } };

/** What the client sent, and how the versions since its base changed the counters it touches. */
export type MergeInput = { set: RecordValues; add: Record<string, number>; theirs: Record<string, CounterIntent> };

/**
 * How theirs changed each counter this save touches: since the version that field's edit started
 * from (`bases`, H10 — a delta made after seeing a newer value is relative to it), else since the
 * token's.
 */
export async function mergeInput(
  deps: UseCaseDeps,
  fields: FieldDef[],
  stale: StaleSide,
  plan: { set: RecordValues; add: Record<string, number> },
  bases: Record<string, number> = {},
): Promise<MergeInput> {
  const counters = new Set(fields.filter((f) => f.type === "counter").map((f) => f.key));
  const keys = [...new Set([...Object.keys(plan.set), ...Object.keys(plan.add)])].filter((key) => counters.has(key));
  const bySince = new Map<number, string[]>();
  for (const key of keys) {
    const since = Math.max(stale.base.version, bases[key] ?? 0);
    bySince.set(since, [...(bySince.get(since) ?? []), key]);
  }
  const theirs: Record<string, CounterIntent> = {};
  for (const [since, group] of bySince) Object.assign(theirs, await deps.store.counterIntents(stale.current.id, since, stale.current.version, group));
  return { ...plan, theirs };
}

/** Mine as values: base, the values set, and each delta applied to base. */
function mineValues(stale: StaleSide, input: MergeInput): RecordValues {
  const mine: RecordValues = { ...stale.base.values, ...input.set };
  for (const [key, delta] of Object.entries(input.add)) {
    const before = stale.base.values[key];
    mine[key] = (typeof before === "number" ? before : 0) + delta;
  }
  return mine;
}

/** The fields this save changes, whether by value or by operation. */
export const touchedKeys = (input: Pick<MergeInput, "set" | "add">) => [...new Set([...Object.keys(input.set), ...Object.keys(input.add)])];

export function mergeStale(fields: FieldDef[], stale: StaleSide, input: MergeInput): MergeResult {
  const counters = new Set(fields.filter((f) => f.type === "counter").map((f) => f.key));
  const mineIntents: Record<string, CounterIntent> = {};
  for (const [key, value] of Object.entries(input.set)) if (counters.has(key)) mineIntents[key] = { set: typeof value === "number" ? value : null };
  for (const [key, delta] of Object.entries(input.add)) mineIntents[key] = { add: delta };
  return mergeRecord(fields, stale.base.values, mineValues(stale, input), stale.current.values, { mine: mineIntents, theirs: input.theirs });
}

export function staleError(fields: FieldDef[], stale: StaleSide, input: MergeInput, merged = mergeStale(fields, stale, input)): StaleError {
  const conflicts = conflictingKeys(stale.base.values, mineValues(stale, input), stale.current.values, touchedKeys(input));
  return new StaleError(stale.current, stale.base, conflicts, {
    conflicts: merged.conflicts,
    autoMerged: merged.autoMerged,
    merged: merged.merged,
  });
}
