import type { FieldChanges, FieldDef, RecordValues } from "@/lib/types";
import { normalizeRichText } from "@/server/richtext/html";

/**
 * Rich text written over HTTP is stored as the editor would store it, so it compares equal to the
 * live doc. Costly (HTML parsing): call it only once the writer is known to be allowed.
 */
export async function normalizeRichTextValues(fields: FieldDef[], values: RecordValues): Promise<RecordValues> {
  const out = { ...values };
  for (const field of fields) {
    const value = out[field.key];
    if (field.type === "richtext" && typeof value === "string") out[field.key] = await normalizeRichText(value);
  }
  return out;
}

/** The richtext fields a write changed, for the live document to take the same change. */
export function richTextChanges(fields: FieldDef[], changes: FieldChanges): Record<string, string | null> | undefined {
  const entries = fields.filter((f) => f.type === "richtext" && f.key in changes).map((f) => [f.key, (changes[f.key]!.to as string | null) ?? null] as const);
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}
