// Three-way merge of a record, field by field. The rules are numbered in lib/SPEC.md (M1..M14).
import { emptyValue, validateFieldValue, valuesEqual } from "./field-value";
import { mergeText } from "./text-merge";
import type { AutoMergeHow, CounterIntent, FieldConflict, FieldDef, FieldValue, MergeResult, RecordValues, TextHunk } from "./types";

export { joinLines, mergeText, resolveHunks, splitLines, type HunkChoice, type TextMerge } from "./text-merge";

type FieldOutcome =
  | { kind: "unchanged"; value: FieldValue }
  | { kind: "auto"; value: FieldValue; how: AutoMergeHow }
  | { kind: "conflict"; hunks?: TextHunk[]; intents?: FieldConflict["intents"] };

/**
 * How each side changed a counter (M5): by operations (`add`, their sum) or by a typed value
 * (`set`). A counter change no intent describes is a set.
 */
export type MergeIntents = { mine?: Record<string, CounterIntent>; theirs?: Record<string, CounterIntent> };

/**
 * Merges mine and theirs, both full value maps derived from base. `merged` has every key of any
 * side; a conflicting field holds theirs until the user resolves it (M11).
 */
export function mergeRecord(fields: FieldDef[], base: RecordValues, mine: RecordValues, theirs: RecordValues, intents: MergeIntents = {}): MergeResult {
  const defs = new Map(fields.map((def) => [def.key, def]));
  const result: MergeResult = { merged: {}, conflicts: [], autoMerged: [] };
  const entries: [string, FieldValue][] = [];
  for (const key of unionKeys(fields, [base, mine, theirs])) {
    const def = defs.get(key);
    const read = (values: RecordValues) => (Object.hasOwn(values, key) ? values[key] : def ? emptyValue(def) : null);
    const [b, m, t] = [read(base), read(mine), read(theirs)];
    const outcome =
      def?.type === "counter" && !def.alwaysAsk
        ? mergeCounter(def, b, m, t, intentOf(intents.mine, key, b, m), intentOf(intents.theirs, key, b, t))
        : mergeField(def, b, m, t);
    if (outcome.kind === "conflict") {
      const conflict: FieldConflict = { key, base: b, mine: m, theirs: t };
      if (outcome.hunks) conflict.hunks = outcome.hunks;
      if (outcome.intents) conflict.intents = outcome.intents;
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

/**
 * M5: a counter changed on both sides. Operations commute, so two sets of deltas both apply, even
 * when they are equal (10 → 9 twice is 8, not 9): this rule comes before M3 for counters. A typed
 * value is a set: against another set or against deltas it is a conflict that carries both
 * intents ("Dana set 5", "you took 2"); only two sets to the same value agree (M3).
 */
function mergeCounter(def: FieldDef, b: FieldValue, m: FieldValue, t: FieldValue, mine: CounterIntent, theirs: CounterIntent): FieldOutcome {
  const isMineChanged = !valuesEqual(b, m) || ("add" in mine && mine.add !== 0);
  const isTheirsChanged = !valuesEqual(b, t) || ("add" in theirs && theirs.add !== 0);
  if (!isMineChanged && !isTheirsChanged) return { kind: "unchanged", value: b };
  if (!isTheirsChanged) return { kind: "auto", value: m, how: "mine" };
  if (!isMineChanged) return { kind: "auto", value: t, how: "theirs" };
  if ("add" in mine && "add" in theirs) {
    return checked(def, { kind: "auto", value: applyBoth(asNumber(b), asNumber(m), asNumber(t)), how: "counter" }, undefined, { mine, theirs });
  }
  // Two typed counts that agree are one count (M3). A count against deltas never is, even when the
  // numbers happen to agree: whether the count saw the deltas is exactly what nobody knows.
  if ("set" in mine && "set" in theirs && valuesEqual(m, t)) return { kind: "auto", value: m, how: "same" };
  return { kind: "conflict", intents: { mine, theirs } };
}

/** A side's counter intent: the one given, else a set to the value that side holds. */
function intentOf(intents: Record<string, CounterIntent> | undefined, key: string, b: FieldValue, value: FieldValue): CounterIntent {
  const given = intents && Object.hasOwn(intents, key) ? intents[key] : undefined;
  if (given) return given;
  return valuesEqual(b, value) ? { add: 0 } : { set: asNumber(value) };
}

function mergeBothChanged(def: FieldDef, b: FieldValue, m: FieldValue, t: FieldValue): FieldOutcome {
  switch (def.type) {
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
function checked(def: FieldDef, outcome: FieldOutcome & { kind: "auto" }, hunks?: TextHunk[], intents?: FieldConflict["intents"]): FieldOutcome {
  if (validateFieldValue(def, outcome.value) === null) return outcome;
  return { kind: "conflict", ...(hunks ? { hunks } : {}), ...(intents ? { intents } : {}) };
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
