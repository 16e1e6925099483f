// Three-way merge of a record, field by field. The rules are numbered in lib/SPEC.md (M1..M12).
import { emptyValue, validateFieldValue, valuesEqual } from "./field-value";
import { mergeText } from "./text-merge";
import type { AutoMergeHow, FieldConflict, FieldDef, FieldValue, MergeResult, RecordValues, TextHunk } from "./types";

export { joinLines, mergeText, resolveHunks, splitLines, type HunkChoice, type TextMerge } from "./text-merge";

type FieldOutcome =
  | { kind: "unchanged"; value: FieldValue }
  | { kind: "auto"; value: FieldValue; how: AutoMergeHow }
  | { kind: "conflict"; hunks?: TextHunk[] };

/**
 * Merges mine and theirs, both full value maps derived from base. `merged` has every key of any
 * side; a conflicting field holds theirs until the user resolves it (M11).
 */
export function mergeRecord(fields: FieldDef[], base: RecordValues, mine: RecordValues, theirs: RecordValues): MergeResult {
  const defs = new Map(fields.map((def) => [def.key, def]));
  const result: MergeResult = { merged: {}, conflicts: [], autoMerged: [] };
  const entries: [string, FieldValue][] = [];
  for (const key of unionKeys(fields, [base, mine, theirs])) {
    const def = defs.get(key);
    const read = (values: RecordValues) => (Object.hasOwn(values, key) ? values[key] : def ? emptyValue(def) : null);
    const [b, m, t] = [read(base), read(mine), read(theirs)];
    const outcome = mergeField(def, b, m, t);
    if (outcome.kind === "conflict") {
      const conflict: FieldConflict = { key, base: b, mine: m, theirs: t };
      if (outcome.hunks) conflict.hunks = outcome.hunks;
      result.conflicts.push(conflict);
      entries.push([key, t]);
      continue;
    }
    if (outcome.kind === "auto") result.autoMerged.push({ key, how: outcome.how });
    entries.push([key, outcome.value]);
  }
  // fromEntries keeps odd keys ("__proto__") as own properties.
  result.merged = Object.fromEntries(entries);
  return result;
}

/** Defined fields in their order, then keys no definition knows (e.g. a removed field's data). */
function unionKeys(fields: FieldDef[], maps: RecordValues[]): string[] {
  const keys = new Set(fields.map((def) => def.key).filter((key) => maps.some((map) => Object.hasOwn(map, key))));
  for (const map of maps) for (const key of Object.keys(map)) keys.add(key);
  return [...keys];
}

/** M1–M4 for every field, then the per-type rules for a field both sides changed differently. */
function mergeField(def: FieldDef | undefined, b: FieldValue, m: FieldValue, t: FieldValue): FieldOutcome {
  const isMineChanged = !valuesEqual(b, m);
  const isTheirsChanged = !valuesEqual(b, t);
  if (!isMineChanged && !isTheirsChanged) return { kind: "unchanged", value: b };
  if (!isTheirsChanged) return { kind: "auto", value: m, how: "mine" };
  if (!isMineChanged) return { kind: "auto", value: t, how: "theirs" };
  if (valuesEqual(m, t)) return { kind: "auto", value: m, how: "same" };
  if (!def) return { kind: "conflict" };
  if (def.alwaysAsk) {
    // M10: still hand the dialog the line hunks, so it can offer the merged text as one choice.
    return def.type === "longtext" ? { kind: "conflict", hunks: mergeText(asText(b), asText(m), asText(t)).hunks } : { kind: "conflict" };
  }
  return mergeBothChanged(def, b, m, t);
}

function mergeBothChanged(def: FieldDef, b: FieldValue, m: FieldValue, t: FieldValue): FieldOutcome {
  switch (def.type) {
    case "counter":
      return checked(def, { kind: "auto", value: applyBoth(asNumber(b), asNumber(m), asNumber(t)), how: "counter" });
    case "tags":
      return checked(def, { kind: "auto", value: mergeTags(asTags(b), asTags(m), asTags(t)), how: "tags" });
    case "longtext": {
      const text = mergeText(asText(b), asText(m), asText(t));
      if (!text.isClean) return { kind: "conflict", hunks: text.hunks };
      return checked(def, { kind: "auto", value: text.text === "" ? null : text.text, how: "text" }, text.hunks);
    }
    case "richtext":
      return { kind: "auto", value: t, how: "theirs" };
    default:
      return { kind: "conflict" };
  }
}

/** M9: a value the merge computed itself must still be valid (bounds, required, length), else ask. */
function checked(def: FieldDef, outcome: FieldOutcome & { kind: "auto" }, hunks?: TextHunk[]): FieldOutcome {
  if (validateFieldValue(def, outcome.value) === null) return outcome;
  return hunks ? { kind: "conflict", hunks } : { kind: "conflict" };
}

/**
 * Both changes to a number: base + (mine − base) + (theirs − base), null counting as 0. Rounded
 * to the most decimals among the inputs so that 0.1 + 0.2 style noise does not leak into records.
 */
export function applyBoth(base: number | null, mine: number | null, theirs: number | null): number {
  const [b, m, t] = [base ?? 0, mine ?? 0, theirs ?? 0];
  const sum = b + (m - b) + (t - b);
  const decimals = Math.max(countDecimals(b), countDecimals(m), countDecimals(t));
  return decimals === 0 || decimals > 15 ? sum : Number(sum.toFixed(decimals));
}

function countDecimals(n: number): number {
  const text = String(n);
  if (text.includes("e")) return 16; // exponent notation: leave the sum unrounded
  const dot = text.indexOf(".");
  return dot === -1 ? 0 : text.length - dot - 1;
}

/**
 * M6: theirs, minus what mine removed, plus what mine added (in mine's order). Adding and
 * removing the same tag cannot both happen: a tag in base can only be removed, one not in base
 * only added, so set semantics never conflict.
 */
export function mergeTags(base: string[], mine: string[], theirs: string[]): string[] {
  const removedByMine = new Set(base.filter((tag) => !mine.includes(tag)));
  const kept = theirs.filter((tag) => !removedByMine.has(tag));
  const added = mine.filter((tag) => !base.includes(tag) && !kept.includes(tag));
  return [...kept, ...added];
}

/**
 * Keys (among `keys`) that both sides changed to different values, with no regard to field type:
 * the 412 `conflicts` list. A missing key reads as null, so pass normalized maps.
 */
export function conflictingKeys(base: RecordValues, mine: RecordValues, theirs: RecordValues, keys: Iterable<string>): string[] {
  const read = (values: RecordValues, key: string) => (Object.hasOwn(values, key) ? values[key] : null);
  return [...keys].filter((key) => {
    const [b, m, t] = [read(base, key), read(mine, key), read(theirs, key)];
    return !valuesEqual(b, m) && !valuesEqual(b, t) && !valuesEqual(m, t);
  });
}

// Stored values can be off-type (a field whose type was changed later); read them leniently.
function asNumber(v: FieldValue): number | null {
  return typeof v === "number" ? v : null;
}
function asTags(v: FieldValue): string[] {
  return Array.isArray(v) ? v : [];
}
function asText(v: FieldValue): string | null {
  return typeof v === "string" ? v : null;
}
