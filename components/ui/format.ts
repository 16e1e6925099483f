import type { FieldDef, FieldValue } from "@/lib/types";
import { formatNumber } from "@/lib/number-format";
import { richTextToPlain } from "@/lib/rich-text-plain";

export type UserNames = Record<string, string>;

/** The browser's locale for numbers and dates (undefined on the server: the runtime's default). */
export function userLocale(): string | undefined {
  if (typeof navigator === "undefined") return undefined;
  return navigator.languages?.[0] ?? navigator.language ?? undefined;
}

/**
 * A stored value as a person reads it: numbers by the field's display format in the user's locale,
 * choices as-is, users by name, rich text as its words, empty as an em dash. The table, the form,
 * history and the merge dialog all show values through here.
 */
export function formatValue(def: FieldDef | undefined, value: FieldValue | undefined, users: UserNames = {}, locale = userLocale()): string {
  if (value === null || value === undefined || value === "") return "—";
  if (Array.isArray(value)) return value.length ? value.join(", ") : "—";
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (typeof value === "number") return formatNumber(value, def?.options?.format, locale);
  if (def?.type === "user") return users[value] ?? "Unknown user";
  if (def?.type === "richtext") return richTextToPlain(value) || "—";
  if (def?.type === "date") {
    const date = new Date(`${value}T00:00:00`);
    return Number.isNaN(date.getTime()) ? value : date.toLocaleDateString(locale, { year: "numeric", month: "short", day: "numeric" });
  }
  return value;
}

export function formatTime(iso: string): string {
  const date = new Date(iso);
  return date.toLocaleString(userLocale(), { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

export function formatRelative(iso: string, now = Date.now()): string {
  const seconds = Math.round((now - new Date(iso).getTime()) / 1000);
  if (seconds < 45) return "just now";
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)} h ago`;
  return formatTime(iso);
}
