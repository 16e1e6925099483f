// A collection's schema as a shared record (SPEC F): three-way merge of schema edits per field,
// what changed between two versions, and converting values when a field's type changes.
// Pure: no I/O.
import { emptyValue, validateFieldValue, valuesEqual } from "./field-value";
import type { CollectionLimit, FieldDef, FieldType, FieldValue } from "./types";

/**
 * Everything a schema edit can change. `removed`: fields taken out of the form, their data kept.
 * `limits`: the collection's limits (sum of a field ≤ max), one per field at most.
 */
export type SchemaState = { name: string; archived: boolean; fields: FieldDef[]; removed: FieldDef[]; limits: CollectionLimit[] };

/** The part a collection limit on a field is (F10). */
export const limitPart = (field: string) => `_limit.${field}`;

/**
 * A part of the schema both sides changed differently: "_name", "_archived", "_order", a limit
 * ("_limit.<field>"; field keys never start with "_") or a field key.
 */
export type SchemaConflict = {
  part: string;
  base: unknown;
  mine: unknown;
  theirs: unknown;
};

export type SchemaMerge = { merged: SchemaState; conflicts: SchemaConflict[]; autoMerged: string[] };

type FieldState = { def: FieldDef; removed: boolean } | null;

function fieldStates(state: SchemaState): Map<string, FieldState> {
  const out = new Map<string, FieldState>();
  for (const def of state.removed) out.set(def.key, { def, removed: true });
  for (const def of state.fields) out.set(def.key, { def, removed: false });
  return out;
}

/** Deep equality of plain JSON (object key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  const ak = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const bk = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** The order of the keys that are active on all three sides, as one side has them. */
function commonOrder(side: FieldDef[], keep: Set<string>): string[] {
  return side.map((def) => def.key).filter((key) => keep.has(key));
}

/**
 * F1–F4: merges two edits of one schema. `base` is the version both started from, `mine` the edit
 * being saved, `theirs` the current version.
 */
export function mergeSchema(base: SchemaState, mine: SchemaState, theirs: SchemaState): SchemaMerge {
  const conflicts: SchemaConflict[] = [];
  const autoMerged: string[] = [];
  const pick = <T>(part: string, b: T, m: T, t: T): T => {
    const mineChanged = !jsonEqual(b, m);
    const theirsChanged = !jsonEqual(b, t);
    if (mineChanged && theirsChanged && !jsonEqual(m, t)) {
      conflicts.push({ part, base: b, mine: m, theirs: t });
      return t;
    }
    if (mineChanged) {
      if (!theirsChanged) autoMerged.push(part);
      return m;
    }
    return t;
  };

  const name = pick("_name", base.name, mine.name, theirs.name);
  const archived = pick("_archived", base.archived, mine.archived, theirs.archived);

  // F10: each limit is one part, named by its field: its max, or null when there is none.
  const maxes = (state: SchemaState) => new Map(state.limits.map((l) => [l.field, l.max]));
  const [bl, ml, tl] = [maxes(base), maxes(mine), maxes(theirs)];
  const limits: CollectionLimit[] = [];
  for (const field of new Set([...tl.keys(), ...ml.keys(), ...bl.keys()])) {
    const max = pick(limitPart(field), bl.get(field) ?? null, ml.get(field) ?? null, tl.get(field) ?? null);
    if (max !== null) limits.push({ kind: "sum", field, max });
  }

  // F2: each field on its own; a field is its definition plus whether it is removed.
  const [b, m, t] = [fieldStates(base), fieldStates(mine), fieldStates(theirs)];
  const keys = [...new Set([...b.keys(), ...m.keys(), ...t.keys()])];
  const mergedStates = new Map<string, FieldState>();
  for (const key of keys) mergedStates.set(key, pick(key, b.get(key) ?? null, m.get(key) ?? null, t.get(key) ?? null));

  // F3: the order of fields is one part: reordered on one side, that order; on both differently, a conflict.
  const activeEverywhere = new Set(keys.filter((key) => [b, m, t].every((side) => side.get(key) && !side.get(key)!.removed)));
  const order = pick(
    "_order",
    commonOrder(base.fields, activeEverywhere),
    commonOrder(mine.fields, activeEverywhere),
    commonOrder(theirs.fields, activeEverywhere),
  );
  // Keys not active everywhere (added, restored, removed somewhere) keep their place after the
  // common ones in the order of the side that has them: theirs first, then mine.
  const sequence = [...order];
  const placed = new Set(sequence);
  for (const def of [...theirs.fields, ...mine.fields]) {
    if (!placed.has(def.key)) {
      sequence.push(def.key);
      placed.add(def.key);
    }
  }
  for (const key of keys) if (!placed.has(key)) sequence.push(key);

  const fields: FieldDef[] = [];
  const removed: FieldDef[] = [];
  for (const key of sequence) {
    const state = mergedStates.get(key);
    if (!state) continue;
    (state.removed ? removed : fields).push(state.def);
  }
  return { merged: { name, archived, fields, removed, limits }, conflicts, autoMerged };
}

/** What one schema version changed, field by field. */
export type SchemaChanges = {
  name?: { from: string; to: string };
  archived?: { from: boolean; to: boolean };
  order?: true;
  fields?: Record<string, "added" | "removed" | "restored" | "changed">;
  /** per field, its limit's max before and after (null: no limit) */
  limits?: Record<string, { from: number | null; to: number | null }>;
};

/** F5: the changes between two schema states (the history of the schema). */
export function schemaChanges(before: SchemaState, after: SchemaState): SchemaChanges {
  const changes: SchemaChanges = {};
  if (before.name !== after.name) changes.name = { from: before.name, to: after.name };
  if (before.archived !== after.archived) changes.archived = { from: before.archived, to: after.archived };
  const limits: NonNullable<SchemaChanges["limits"]> = {};
  const [bl, al] = [new Map(before.limits.map((l) => [l.field, l.max])), new Map(after.limits.map((l) => [l.field, l.max]))];
  for (const field of new Set([...bl.keys(), ...al.keys()])) {
    const [from, to] = [bl.get(field) ?? null, al.get(field) ?? null];
    if (from !== to) limits[field] = { from, to };
  }
  if (Object.keys(limits).length > 0) changes.limits = limits;
  const [b, a] = [fieldStates(before), fieldStates(after)];
  const fields: NonNullable<SchemaChanges["fields"]> = {};
  for (const [key, next] of a) {
    const prev = b.get(key);
    if (!prev) fields[key] = next!.removed ? "removed" : "added";
    else if (prev.removed && !next!.removed) fields[key] = "restored";
    else if (!prev.removed && next!.removed) fields[key] = "removed";
    else if (!jsonEqual(prev.def, next!.def)) fields[key] = "changed";
  }
  if (Object.keys(fields).length > 0) changes.fields = fields;
  const common = new Set([...b.keys()].filter((k) => a.has(k)));
  if (!jsonEqual(commonOrder(before.fields, common), commonOrder(after.fields, common))) changes.order = true;
  return changes;
}

/**
 * F6: what a schema edit may not do. A removed field keeps its key (its data is still in records),
 * so a new field may not take it; a field's key never changes (a new key is a new field).
 */
export function schemaEditProblems(current: SchemaState, next: SchemaState): Record<string, string> {
  const problems: Record<string, string> = {};
  const seen = new Set<string>();
  for (const def of [...next.fields, ...next.removed]) {
    if (seen.has(def.key)) problems[def.key] = `The key "${def.key}" is used twice (a removed field keeps its key)`;
    seen.add(def.key);
  }
  const removedBefore = new Map(current.removed.map((def) => [def.key, def]));
  for (const def of next.fields) {
    const was = removedBefore.get(def.key);
    if (was && was.type !== def.type) problems[def.key] = `"${def.key}" is a removed ${was.type} field: restore it as it was, or pick another key`;
  }
  return problems;
}

/** Fields active before and after whose type changed. */
export function typeChanges(before: FieldDef[], after: FieldDef[]): { key: string; from: FieldDef; to: FieldDef }[] {
  const old = new Map(before.map((def) => [def.key, def]));
  return after.flatMap((to) => {
    const from = old.get(to.key);
    return from && from.type !== to.type ? [{ key: to.key, from, to }] : [];
  });
}

const TEXTUAL: readonly FieldType[] = ["text", "longtext"];
const CONVERTIBLE: Record<FieldType, readonly FieldType[]> = {
  text: ["longtext", "number", "counter", "select", "tags", "date", "checkbox"],
  longtext: ["text", "number", "counter", "select", "tags", "date", "checkbox"],
  number: ["text", "longtext", "counter"],
  counter: ["text", "longtext", "number"],
  select: ["text", "longtext", "tags", "number", "counter"],
  tags: ["text", "longtext", "select"],
  date: ["text", "longtext"],
  checkbox: ["text", "longtext"],
  user: [],
  richtext: [],
};

/** F7: why values of one type can never become another (null: they can, value by value). */
export function conversionRefusal(from: FieldType, to: FieldType): string | null {
  if (from === to) return null;
  if (from === "richtext" || to === "richtext") return "Rich text is a live document: it cannot be converted to or from another type";
  if (from === "user" || to === "user") return "A person field holds people, not text: it cannot be converted to or from another type";
  if (!CONVERTIBLE[from].includes(to)) return `A ${from} field cannot become a ${to} field`;
  return null;
}

export type Conversion = { ok: true; value: FieldValue } | { ok: false; reason: string };

const TRUE_WORDS = new Set(["true", "yes", "y", "1", "x", "on"]);
const FALSE_WORDS = new Set(["false", "no", "n", "0", "off", ""]);
const NUMBER_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Reads a number written plainly ("12", "-3.5", "1e3"); anything else is refused, never guessed. */
export function readPlainNumber(text: string): number | null {
  const trimmed = text.trim();
  if (!NUMBER_TEXT.test(trimmed)) return null;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : null;
}

function asText(value: FieldValue): string {
  if (Array.isArray(value)) return value.join(", ");
  return String(value);
}

/**
 * F8: one value converted from one field definition to another, then checked against the new
 * definition (validateFieldValue): a value that does not fit is refused with the reason.
 */
export function convertValue(from: FieldDef, to: FieldDef, value: FieldValue): Conversion {
  const refusal = conversionRefusal(from.type, to.type);
  if (refusal) return { ok: false, reason: refusal };
  if (value === null || (Array.isArray(value) && value.length === 0) || (from.type !== "checkbox" && value === "")) {
    return { ok: true, value: emptyValue(to) };
  }
  let next: unknown;
  if (from.type === to.type) next = value;
  else if (TEXTUAL.includes(to.type)) next = asText(value);
  else if (to.type === "number" || to.type === "counter") next = typeof value === "number" ? value : (readPlainNumber(String(value)) ?? NaN);
  else if (to.type === "select") next = Array.isArray(value) ? (value.length === 1 ? value[0] : NaN) : String(value).trim();
  else if (to.type === "tags") next = typeof value === "string" ? splitTags(value) : value;
  else if (to.type === "date") next = String(value).trim();
  else if (to.type === "checkbox") {
    const word = String(value).trim().toLowerCase();
    next = TRUE_WORDS.has(word) ? true : FALSE_WORDS.has(word) ? false : NaN;
  }
  if (Number.isNaN(next)) return { ok: false, reason: `${JSON.stringify(asText(value)).slice(0, 80)} is not a ${to.type} value` };
  const message = validateFieldValue(to, next);
  if (message) return { ok: false, reason: `${JSON.stringify(asText(value)).slice(0, 80)}: ${message}` };
  return { ok: true, value: next as FieldValue };
}

/** Tags written as text: separated by ";" (or "," when there is no ";"), trimmed, empty ones dropped. */
export function splitTags(text: string): string[] {
  const separator = text.includes(";") ? ";" : ",";
  return [
    ...new Set(
      text
        .split(separator)
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ];
}

/** True when a value is already what the new definition accepts (nothing to convert). */
export function fitsField(def: FieldDef, value: FieldValue | undefined): boolean {
  return validateFieldValue(def, value ?? emptyValue(def)) === null;
}

export { valuesEqual };

/**
 * F9: the editor's choices on a refused (412) schema edit, applied to the server's merge: "theirs"
 * keeps what the merge holds (theirs), "mine" puts my side of that part back. A part left without
 * a choice is theirs. The result is saved with the current token, like any edit.
 */
export function applySchemaChoices(merge: SchemaMerge, choices: Record<string, "mine" | "theirs">): SchemaState {
  let { name, archived, fields, removed, limits } = merge.merged;
  fields = [...fields];
  removed = [...removed];
  limits = [...limits];
  for (const conflict of merge.conflicts) {
    if (choices[conflict.part] !== "mine") continue;
    if (conflict.part === "_name") name = conflict.mine as string;
    else if (conflict.part === "_archived") archived = conflict.mine as boolean;
    else if (conflict.part.startsWith("_limit.")) {
      const field = conflict.part.slice("_limit.".length);
      const at = limits.findIndex((l) => l.field === field);
      limits = limits.filter((l) => l.field !== field);
      if (conflict.mine !== null) limits.splice(at < 0 ? limits.length : at, 0, { kind: "sum", field, max: conflict.mine as number });
    } else if (conflict.part === "_order") {
      const order = conflict.mine as string[];
      const rank = new Map(order.map((key, i) => [key, i]));
      const inOrder = fields.filter((def) => rank.has(def.key)).sort((a, b) => rank.get(a.key)! - rank.get(b.key)!);
      let next = 0;
      fields = fields.map((def) => (rank.has(def.key) ? inOrder[next++]! : def));
    } else {
      const mine = conflict.mine as FieldState;
      const at = fields.findIndex((def) => def.key === conflict.part);
      fields = fields.filter((def) => def.key !== conflict.part);
      removed = removed.filter((def) => def.key !== conflict.part);
      if (mine && mine.removed) removed.push(mine.def);
      else if (mine) fields.splice(at < 0 ? fields.length : at, 0, mine.def);
    }
  }
  return { name, archived, fields, removed, limits };
}

/**
 * F11: what a collection's limits may be: a limit sums a number or counter field the form shows,
 * one limit per field, its max a finite number ≥ 0. Problems by `limits.<field>`.
 */
export function limitProblems(fields: FieldDef[], limits: CollectionLimit[]): Record<string, string> {
  const problems: Record<string, string> = {};
  const seen = new Set<string>();
  for (const limit of limits) {
    const key = `limits.${limit.field}`;
    const def = fields.find((f) => f.key === limit.field);
    if (!def || (def.type !== "number" && def.type !== "counter")) problems[key] = "A limit sums a number or counter field of this collection";
    else if (seen.has(limit.field)) problems[key] = `${def.label} has a limit already: change that one`;
    else if (!Number.isFinite(limit.max) || limit.max < 0) problems[key] = "A limit is a number of 0 or more";
    seen.add(limit.field);
  }
  return problems;
}

/**
 * F12: a limit may never be below what the live records already use: adding one, or lowering
 * one, below the total is refused (the server checks it against the materialised total, with the
 * collection's writes held). The refusal in words.
 */
export function limitBelowUse(def: Pick<FieldDef, "label">, used: number, max: number): string | null {
  if (max >= used) return null;
  // A label names the many ("Seats"): one is said without it.
  if (used === 1) return `${def.label}: 1 is in use; the limit cannot be lower`;
  return `${used.toLocaleString("en-US")} ${def.label.toLowerCase()} are in use; the limit cannot be lower`;
}
