// The refusal of a stale write (412): the record as it is now, the version the client started
// from, the fields both sides changed, and the server's own three-way merge of them (H5), so any
// client can offer a way forward instead of a dead end.
import { conflictingKeys, mergeRecord } from "@/lib/merge";
import type { FieldDef, MergeResult, RecordDto, RecordValues } from "@/lib/types";
import { StaleError } from "@/server/errors";

export type StaleSide = { current: RecordDto; base: { version: number; values: RecordValues } };

/** mine = base + the client's patch; theirs = the current values. */
export function mergeStale(fields: FieldDef[], stale: StaleSide, patch: RecordValues): MergeResult {
  return mergeRecord(fields, stale.base.values, { ...stale.base.values, ...patch }, stale.current.values);
}

export function staleError(fields: FieldDef[], stale: StaleSide, patch: RecordValues, merged = mergeStale(fields, stale, patch)): StaleError {
  const mine = { ...stale.base.values, ...patch };
  const conflicts = conflictingKeys(stale.base.values, mine, stale.current.values, Object.keys(patch));
  return new StaleError(stale.current, stale.base, conflicts, {
    conflicts: merged.conflicts,
    autoMerged: merged.autoMerged,
    merged: merged.merged,
  });
}
