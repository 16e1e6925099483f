// Field definitions (zod) and validation of the values a client sends.
import { z } from "zod";
import { emptyValue, validateFieldValue } from "./field-value";
import { unstorableText } from "./input-safety";
import { isKnownCurrency } from "./number-format";
import { FIELD_TYPES, type FieldDef, type FieldType, type FieldValue, type RecordValues } from "./types";

export { countCodePoints, DEFAULT_MAX_LENGTH, emptyValue, isEmptyValue, maxLengthOf, validateFieldValue, valuesEqual } from "./field-value";

export const FIELD_KEY_PATTERN = /^[a-z][a-zA-Z0-9_]{0,62}$/;

/** Which option applies to which type; any other option is refused so that typos surface. */
const OPTION_TYPES: Record<string, readonly FieldType[]> = {
  choices: ["select", "tags"],
  min: ["number", "counter"],
  max: ["number", "counter"],
  integer: ["number"],
  maxLength: ["text", "longtext", "richtext"],
  format: ["number", "counter"],
};

/** Text a schema holds (labels, choices): storable by PostgreSQL (S1). */
const SchemaText = z.string().refine((text) => unstorableText(text) === null, "Must not contain NUL or broken characters");
const NumberFormatSchema = z.strictObject({
  decimals: z.int("decimals must be a whole number").min(0, "decimals must be 0 to 10").max(10, "decimals must be 0 to 10").optional(),
  thousands: z.boolean().optional(),
  currency: z.string().refine(isKnownCurrency, "currency must be an ISO 4217 code such as USD or EUR").optional(),
});

const FieldOptionsSchema = z.strictObject({
  choices: z.array(SchemaText.min(1, "A choice may not be empty").max(200)).max(1000).optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  integer: z.boolean().optional(),
  maxLength: z.int().positive().max(10_000_000).optional(),
  format: NumberFormatSchema.optional(),
});

export const FieldDefSchema = z
  .strictObject({
    key: z.string().regex(FIELD_KEY_PATTERN, "Key must start with a-z and use only letters, digits and _ (at most 63)"),
    label: SchemaText.min(1, "Label is required").max(200),
    type: z.enum(FIELD_TYPES),
    required: z.boolean().optional(),
    options: FieldOptionsSchema.optional(),
    alwaysAsk: z.boolean().optional(),
  })
  .superRefine((def, ctx) => {
    for (const message of checkOptions(def)) {
      ctx.addIssue({ code: "custom", message: message.text, path: ["options", ...message.path] });
    }
  });

export const FieldDefsSchema = z
  .array(FieldDefSchema)
  .max(500)
  .superRefine((defs, ctx) => {
    const seen = new Set<string>();
    defs.forEach((def, i) => {
      if (seen.has(def.key)) ctx.addIssue({ code: "custom", message: `Duplicate key "${def.key}"`, path: [i, "key"] });
      seen.add(def.key);
    });
  });

export type FieldDefInput = z.input<typeof FieldDefSchema>;

function checkOptions(def: FieldDef): { path: string[]; text: string }[] {
  const problems: { path: string[]; text: string }[] = [];
  const options = def.options ?? {};
  for (const [name, value] of Object.entries(options)) {
    if (value !== undefined && !OPTION_TYPES[name]?.includes(def.type)) {
      problems.push({ path: [name], text: `"${name}" does not apply to a ${def.type} field` });
    }
  }
  if (def.type === "select" || def.type === "tags") {
    const choices = options.choices ?? [];
    if (choices.length === 0) problems.push({ path: ["choices"], text: "Needs at least one choice" });
    if (new Set(choices).size !== choices.length) problems.push({ path: ["choices"], text: "Choices must be unique" });
  }
  if (options.min !== undefined && options.max !== undefined && options.min > options.max) {
    problems.push({ path: ["min"], text: "min must not be greater than max" });
  }
  const decimals = options.format?.decimals ?? 0;
  if (decimals > 0 && (def.type === "counter" || options.integer)) {
    problems.push({ path: ["format", "decimals"], text: "A whole-number field shows no decimals: decimals must be 0" });
  }
  if (def.type === "counter") {
    for (const name of ["min", "max"] as const) {
      const bound = options[name];
      if (bound !== undefined && !Number.isSafeInteger(bound)) {
        problems.push({ path: [name], text: `A counter's ${name} must be a whole number` });
      }
    }
  }
  return problems;
}

export type ValidationMode = "create" | "patch";
export type ValidationResult = { ok: true; values: RecordValues } | { ok: false; errors: Record<string, string> };

/**
 * Validates a client's `values` body. "create": missing fields get their empty value, missing
 * required fields are errors. "patch": only the given keys are checked and returned.
 * Strings are kept verbatim: no trimming, no escaping (HTML or SQL in a text is data).
 * Errors are keyed by field key; "_" is the body as a whole.
 */
export function validateValues(fields: FieldDef[], input: unknown, mode: ValidationMode): ValidationResult {
  if (!isPlainObject(input)) return { ok: false, errors: { _: "values must be an object" } };
  const defs = new Map(fields.map((def) => [def.key, def]));
  const inputKeys = Object.keys(input);
  if (mode === "patch" && inputKeys.length === 0) return { ok: false, errors: { _: "Nothing to save" } };

  // Entries plus Object.fromEntries keep a key such as "__proto__" an ordinary own property.
  const errors: [string, string][] = [];
  const values: [string, FieldValue][] = [];
  for (const key of inputKeys) {
    const def = defs.get(key);
    if (!def) {
      errors.push([key, "Unknown field"]);
      continue;
    }
    const value = clearToEmpty(def, input[key]);
    const message = validateFieldValue(def, value);
    if (message) errors.push([key, message]);
    else values.push([key, value as FieldValue]);
  }
  if (mode === "create") {
    for (const def of fields) {
      if (Object.hasOwn(input, def.key)) continue;
      if (def.required) errors.push([def.key, "Required"]);
      else values.push([def.key, emptyValue(def)]);
    }
  }
  if (errors.length > 0) return { ok: false, errors: Object.fromEntries(errors) };
  return { ok: true, values: Object.fromEntries(values) };
}

/** null clears a field; tags and checkbox store their empty value ([] / false) instead of null. */
function clearToEmpty(def: FieldDef, value: unknown): unknown {
  return value === null ? emptyValue(def) : value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Every defined field gets a value: missing keys (a field added after the record was written)
 * get the empty value, null tags/checkbox become []/false. Keys of fields no longer defined
 * are kept as they are, so that nothing stored is dropped by a read-modify-write.
 */
export function normalizeRecordValues(fields: FieldDef[], values: RecordValues): RecordValues {
  const out: [string, FieldValue][] = Object.entries(values);
  const index = new Map(out.map(([key], i) => [key, i]));
  for (const def of fields) {
    const i = index.get(def.key);
    const current = i === undefined ? undefined : out[i][1];
    const value = current === undefined || current === null ? emptyValue(def) : current;
    if (i === undefined) out.push([def.key, value]);
    else out[i] = [def.key, value];
  }
  return Object.fromEntries(out);
}
