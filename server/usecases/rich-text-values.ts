import type { FieldChanges, FieldDef, RecordValues } from "@/lib/types";
import { normalizeRichText } from "@/server/realtime/rich-text-html";

/** Rich text written over HTTP is stored as the editor would store it, so it compares equal to the live doc. */
export function normalizeRichTextValues(fields: FieldDef[], values: RecordValues): RecordValues {
  const out = { ...values };
  for (const field of fields) {
    const value = out[field.key];
    if (field.type === "richtext" && typeof value === "string") out[field.key] = normalizeRichText(value);
  }
  return out;
}

/** The richtext fields a write changed, for the live document to take the same change. */
export function richTextChanges(fields: FieldDef[], changes: FieldChanges): Record<string, string | null> | undefined {
  const entries = fields
    .filter((f) => f.type === "richtext" && f.key in changes)
    .map((f) => [f.key, (changes[f.key]!.to as string | null) ?? null] as const);
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}
