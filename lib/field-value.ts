// One value against one field definition. Pure; shared by validateValues and the merge,
// which re-checks values it computes itself (counter sums, tag sets, merged text).
import { unstorableText } from "./input-safety";
import type { FieldDef, FieldType, FieldValue } from "./types";

/** Length caps when a text-like field sets no options.maxLength. */
export const DEFAULT_MAX_LENGTH = {
  text: 1_000,
  longtext: 100_000,
  richtext: 1_000_000,
} as const satisfies Partial<Record<FieldType, number>>;

/** The value a field holds when nobody has filled it in. */
export function emptyValue(def: Pick<FieldDef, "type">): FieldValue {
  if (def.type === "checkbox") return false;
  if (def.type === "tags") return [];
  return null;
}

/** Empty in the sense of `required`: null, "" or []. A checkbox is never empty (false is an answer). */
export function isEmptyValue(value: FieldValue | undefined): boolean {
  return value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0);
}

/** Deep equality of two stored values; arrays (tags) compare in order. */
export function valuesEqual(a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => item === b[i]);
  }
  return (a ?? null) === (b ?? null);
}

/**
 * Checks one value: null when valid, otherwise a message for a person.
 * null (and, for tags and checkbox, their empty value) passes unless the field is required.
 */
export function validateFieldValue(def: FieldDef, value: unknown): string | null {
  if (value === null || value === undefined) {
    if (def.type === "checkbox") return "Must be true or false";
    if (def.type === "tags") return "Must be a list of choices";
    return def.required ? "Required" : null;
  }
  if (typeof value === "string") {
    const unstorable = unstorableText(value);
    if (unstorable) return unstorable;
  }
  const typeError = CHECKS[def.type](def, value);
  if (typeError) return typeError;
  if (def.required && isEmptyValue(value as FieldValue)) return "Required";
  return null;
}

type Check = (def: FieldDef, value: unknown) => string | null;

const CHECKS: Record<FieldType, Check> = {
  text: (def, v) => checkText(def, v, false),
  longtext: (def, v) => checkText(def, v, true),
  richtext: (def, v) => checkText(def, v, true),
  number: checkNumber,
  counter: checkCounter,
  select: checkSelect,
  tags: checkTags,
  date: checkDate,
  checkbox: (_def, v) => (typeof v === "boolean" ? null : "Must be true or false"),
  user: (_def, v) => (typeof v === "string" && v.length > 0 && v.length <= 200 ? null : "Must be a user id"),
};

/** The most characters a text-like field holds (its maxLength, else the type's default); null for other types. */
export function maxLengthOf(def: Pick<FieldDef, "type" | "options">): number | null {
  if (!(def.type in DEFAULT_MAX_LENGTH)) return null;
  return def.options?.maxLength ?? DEFAULT_MAX_LENGTH[def.type as keyof typeof DEFAULT_MAX_LENGTH];
}

function checkText(def: FieldDef, v: unknown, isMultiline: boolean): string | null {
  if (typeof v !== "string") return "Must be text";
  if (!isMultiline && /[\r\n]/.test(v)) return "Must be a single line";
  const max = maxLengthOf(def)!;
  // Count code points, as PostgreSQL does; v.length is an upper bound, so skip the walk when it fits.
  if (v.length > max && countCodePoints(v) > max) return `Must be at most ${max} characters`;
  return null;
}

/** Characters as a person (and PostgreSQL) counts them: an emoji is one, not two UTF-16 units. */
export function countCodePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function checkBounds(def: FieldDef, v: number): string | null {
  const { min, max } = def.options ?? {};
  if (min !== undefined && v < min) return `Must be at least ${min}`;
  if (max !== undefined && v > max) return `Must be at most ${max}`;
  return null;
}

function checkNumber(def: FieldDef, v: unknown): string | null {
  if (typeof v !== "number" || !Number.isFinite(v)) return "Must be a number";
  if (def.options?.integer && !Number.isInteger(v)) return "Must be a whole number";
  return checkBounds(def, v);
}

function checkCounter(def: FieldDef, v: unknown): string | null {
  if (typeof v !== "number" || !Number.isFinite(v)) return "Must be a number";
  if (!Number.isSafeInteger(v)) return "Must be a whole number";
  return checkBounds(def, v);
}

function checkSelect(def: FieldDef, v: unknown): string | null {
  if (typeof v !== "string") return "Must be one of the choices";
  return def.options?.choices?.includes(v) ? null : `"${v}" is not one of the choices`;
}

function checkTags(def: FieldDef, v: unknown): string | null {
  if (!Array.isArray(v)) return "Must be a list of choices";
  const seen = new Set<string>();
  for (const tag of v) {
    if (typeof tag !== "string") return "Must be a list of choices";
    if (!def.options?.choices?.includes(tag)) return `"${tag}" is not one of the choices`;
    if (seen.has(tag)) return `"${tag}" appears twice`;
    seen.add(tag);
  }
  return null;
}

function checkDate(_def: FieldDef, v: unknown): string | null {
  const match = typeof v === "string" ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(v) : null;
  if (!match) return "Must be a date (YYYY-MM-DD)";
  const [year, month, day] = match.slice(1).map(Number);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return `${v} is not a real date`;
  }
  return null;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
