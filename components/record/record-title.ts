import type { FieldDef } from "@/lib/types";

/** A record's name for headings and titles: its first non-empty text field. */
export function recordTitle(fields: FieldDef[], values: Record<string, unknown>): string {
  const first = fields.find((f) => f.type === "text" && typeof values[f.key] === "string" && values[f.key]);
  return first ? String(values[first.key]) : "Untitled record";
}
