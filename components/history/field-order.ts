import type { FieldDef } from "@/lib/types";

/** Keys in the order the form shows its fields; keys without a field (removed since) come last, as given. */
export function inFormOrder(fields: FieldDef[], keys: Iterable<string>): string[] {
  const wanted = new Set(keys);
  const known = fields.map((f) => f.key).filter((key) => wanted.has(key));
  const defined = new Set(fields.map((f) => f.key));
  return [...known, ...[...wanted].filter((key) => !defined.has(key))];
}
