// Counter operations that arrive together on one record, applied one after another to a known
// version of it (SPEC Q1–Q4). The record store uses this to write a burst of "+1"/"−1" on a hot
// record as one statement, guarded by that version: the row lock is then held once for the
// burst, not once per operation. Only what is certain is planned here; anything else goes to the
// one-operation writer, which decides it in its own statement.
import type { FieldChanges, FieldDef, RecordValues } from "./types";

export type PlannedOperation =
  /** applies on top of the operations before it: the values after it and its changes */
  | { isPlanned: true; after: RecordValues; changes: FieldChanges }
  /** not decided here (it would cross a bound, or is not a plain whole-number delta): written alone */
  | { isPlanned: false };

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/**
 * Q1 Operations are applied in the order given, each to the values the ones before it left.
 * Q2 One is planned only when every delta is a non-zero whole number on a counter field whose
 * value is a whole number (or absent, counting as 0), and every result stays within the field's
 * min and max and within ±2^53−1. Q3 One that is not planned changes nothing for the ones after
 * it. Q4 The changes of a planned one are, per field, from the value before it (null when
 * absent) to the value after it, with its delta as `add`.
 */
export function planOperations(values: RecordValues, fields: FieldDef[], operations: Record<string, number>[]): PlannedOperation[] {
  const counters = new Map(fields.filter((f) => f.type === "counter").map((f) => [f.key, f]));
  let current = values;
  return operations.map((add) => {
    const entries = Object.entries(add);
    if (entries.length === 0) return { isPlanned: false };
    const after: RecordValues = { ...current };
    const changes: FieldChanges = {};
    for (const [key, delta] of entries) {
      const field = counters.get(key);
      const before = current[key] ?? null;
      if (!field || !Number.isSafeInteger(delta) || delta === 0) return { isPlanned: false };
      if (before !== null && !Number.isSafeInteger(before)) return { isPlanned: false };
      const next = ((before as number | null) ?? 0) + delta;
      const options = field.options as { min?: number; max?: number } | undefined;
      if (Math.abs(next) > MAX_SAFE || (options?.min !== undefined && next < options.min) || (options?.max !== undefined && next > options.max)) {
        return { isPlanned: false };
      }
      after[key] = next;
      changes[key] = { from: before, to: next, add: delta };
    }
    current = after;
    return { isPlanned: true, after, changes };
  });
}
