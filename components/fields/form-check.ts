// Checks a form's values in the browser before anything is sent, with the same rules the server
// applies (lib/fields), plus the one thing only the browser knows: number text that means no
// number in the user's locale. Then focus goes to the first field in trouble.
import type { FieldDef, RecordValues } from "@/lib/types";
import { validateValues, type ValidationMode } from "@/lib/fields";
import { parseNumber } from "@/lib/number-format";

const isNumeric = (def: FieldDef | undefined) => def?.type === "number" || def?.type === "counter";

/** Errors by field key ("_" for the form), empty when the values may be sent. */
export function formErrors(fields: FieldDef[], values: RecordValues, mode: ValidationMode, locale?: string): Record<string, string> {
  const defs = new Map(fields.map((f) => [f.key, f]));
  const errors: Record<string, string> = {};
  const rest: RecordValues = {};
  for (const [key, value] of Object.entries(values)) {
    const def = defs.get(key);
    if (isNumeric(def) && typeof value === "string") {
      const parsed = parseNumber(value, locale, def?.options?.format?.currency);
      errors[key] = parsed.ok ? "Must be a number" : parsed.message;
    } else rest[key] = value;
  }
  const hasRest = Object.keys(rest).length > 0 || mode === "create";
  const checked = hasRest ? validateValues(fields, rest, mode) : { ok: true as const };
  return checked.ok ? errors : { ...checked.errors, ...errors };
}

/** The first field with an error, in form order. */
export function firstErrorKey(fields: FieldDef[], errors: Record<string, string>): string | null {
  return fields.find((f) => Object.hasOwn(errors, f.key))?.key ?? null;
}

/** Moves focus to a field's input (or the first control inside a group such as tags). */
export function focusField(id: string): void {
  const element = document.getElementById(id);
  if (!element) return;
  const target = element.matches("input, select, textarea, button, [contenteditable=true], [tabindex]")
    ? element
    : element.querySelector<HTMLElement>("input, select, textarea, button, [contenteditable=true]");
  (target ?? element).focus();
  (target ?? element).scrollIntoView?.({ block: "center" });
}
