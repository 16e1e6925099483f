// A counter's pending operations on the record page (lib/SPEC.md H9, M5): "−", "+" and "adjust by"
// record deltas, which the save sends as `ops` and the server applies to whatever the value is
// then; typing a number is a set, which replaces the deltas. Pure, so the rules are unit-tested.
import type { FieldDef, FieldValue, RecordValues } from "@/lib/types";

export type CounterOps = Record<string, number>;

/**
 * One adjustment of a counter: onto the typed value when there is one (it stays a set), else onto
 * the pending delta (which is dropped when it comes back to 0).
 */
export function adjustCounter(edits: RecordValues, ops: CounterOps, key: string, delta: number): { edits: RecordValues; ops: CounterOps } {
  const typed = Object.hasOwn(edits, key) ? edits[key] : undefined;
  if (typeof typed === "number") return { edits: { ...edits, [key]: typed + delta }, ops };
  const next = { ...ops };
  const sum = (next[key] ?? 0) + delta;
  if (sum === 0) delete next[key];
  else next[key] = sum;
  return { edits, ops: next };
}

/** Typing a value into a counter sets it: its pending deltas go. */
export function withoutOps(ops: CounterOps, key: string): CounterOps {
  if (!Object.hasOwn(ops, key)) return ops;
  const next = { ...ops };
  delete next[key];
  return next;
}

/** What the counter shows: the typed value, else the value it has now plus what is pending. */
export function counterValue(def: FieldDef, current: FieldValue, edits: RecordValues, ops: CounterOps): FieldValue {
  if (Object.hasOwn(edits, def.key)) return edits[def.key]!;
  const delta = ops[def.key];
  if (!delta) return current;
  return (typeof current === "number" ? current : 0) + delta;
}

/** After a save that sent `sent`, what is still pending: the adjustments made while it was in flight. */
export function opsAfterSave(current: CounterOps, sent: CounterOps): CounterOps {
  const next: CounterOps = {};
  for (const [key, delta] of Object.entries(current)) {
    const rest = delta - (sent[key] ?? 0);
    if (rest !== 0) next[key] = rest;
  }
  return next;
}

export const toOpsBody = (ops: CounterOps) => Object.fromEntries(Object.entries(ops).map(([key, add]) => [key, { add }]));
