import type { FieldDef, FieldValue } from "@/lib/types";
import { countCodePoints, maxLengthOf } from "@/lib/fields";

/** The share of a text field's limit from which its character count shows. */
export const COUNT_FROM = 0.8;

/** "185 / 200" near the limit, "205 / 200 · 5 too many" over it; null while far from it. */
export function lengthCount(def: Pick<FieldDef, "type" | "options">, value: FieldValue): { text: string; isOver: boolean } | null {
  const max = maxLengthOf(def);
  if (max === null || typeof value !== "string") return null;
  const length = countCodePoints(value);
  if (length < max * COUNT_FROM) return null;
  const over = length - max;
  return { text: over > 0 ? `${length} / ${max} · ${over} too many` : `${length} / ${max}`, isOver: over > 0 };
}
