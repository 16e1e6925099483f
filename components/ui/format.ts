import type { FieldDef, FieldValue } from "@/lib/types";

export type UserNames = Record<string, string>;

/** A stored value as a person reads it: choices as-is, users by name, empty as an em dash. */
export function formatValue(def: FieldDef | undefined, value: FieldValue | undefined, users: UserNames = {}): string {
  if (value === null || value === undefined || value === "") return "—";
  if (Array.isArray(value)) return value.length ? value.join(", ") : "—";
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (def?.type === "user" && typeof value === "string") return users[value] ?? "Unknown user";
  if (def?.type === "date" && typeof value === "string") {
    const date = new Date(`${value}T00:00:00`);
    return Number.isNaN(date.getTime()) ? value : date.toLocaleDateString([], { year: "numeric", month: "short", day: "numeric" });
  }
  return String(value);
}

export function formatTime(iso: string): string {
  const date = new Date(iso);
  return date.toLocaleString([], { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

export function formatRelative(iso: string, now = Date.now()): string {
  const seconds = Math.round((now - new Date(iso).getTime()) / 1000);
  if (seconds < 45) return "just now";
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)} h ago`;
  return formatTime(iso);
}
