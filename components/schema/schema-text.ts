// What a schema version changed, in words for its history.
import type { SchemaChanges } from "@/lib/schema";

export function describeSchemaChanges(changes: SchemaChanges): string {
  const parts: string[] = [];
  if (changes.name) parts.push(`renamed “${changes.name.from}” to “${changes.name.to}”`);
  if (changes.archived) parts.push(changes.archived.to ? "archived" : "unarchived");
  for (const [key, what] of Object.entries(changes.fields ?? {})) parts.push(`${what} ${key}`);
  if (changes.order) parts.push("reordered fields");
  for (const [field, { from, to }] of Object.entries(changes.limits ?? {})) {
    if (from === null) parts.push(`limited ${field} to ${to}`);
    else if (to === null) parts.push(`removed the limit on ${field}`);
    else parts.push(`changed the limit on ${field} from ${from} to ${to}`);
  }
  return parts.length > 0 ? parts.join(", ") : "created";
}
