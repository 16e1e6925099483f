// Revision diffs: which fields changed between two value maps, and an inline word diff for the
// history view.
import { diffWordsWithSpace } from "diff";
import { valuesEqual } from "./field-value";
import type { FieldChanges, FieldValue, RecordValues } from "./types";

/** Only the keys whose value differs; a key missing on one side reads as null. */
export function diffValues(before: RecordValues, after: RecordValues): FieldChanges {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const changes: [string, { from: FieldValue; to: FieldValue }][] = [];
  for (const key of keys) {
    const from = Object.hasOwn(before, key) ? before[key] : null;
    const to = Object.hasOwn(after, key) ? after[key] : null;
    if (!valuesEqual(from, to)) changes.push([key, { from, to }]);
  }
  return Object.fromEntries(changes);
}

/**
 * "Compare any two versions": the changes that turn snapshot `a` into snapshot `b`, whatever
 * their order in history (pass the older first to read it forwards).
 */
export function compareSnapshots(a: RecordValues, b: RecordValues): FieldChanges {
  return diffValues(a, b);
}

export type WordDiffPart = { kind: "same" | "added" | "removed"; text: string };

/** Beyond this, a word diff costs more than it helps; show the whole texts as replaced. */
const WORD_DIFF_TIMEOUT_MS = 500;

/** Word-level diff of two texts, whitespace kept, for inline display of a text change. */
export function wordDiff(a: string, b: string): WordDiffPart[] {
  if (a === b) return a === "" ? [] : [{ kind: "same", text: a }];
  const changes = diffWordsWithSpace(a, b, { timeout: WORD_DIFF_TIMEOUT_MS });
  if (!changes) return replaced(a, b);
  return changes
    .filter((change) => change.value !== "")
    .map((change) => ({
      kind: change.added ? "added" : change.removed ? "removed" : "same",
      text: change.value,
    }));
}

function replaced(a: string, b: string): WordDiffPart[] {
  const parts: WordDiffPart[] = [];
  if (a !== "") parts.push({ kind: "removed", text: a });
  if (b !== "") parts.push({ kind: "added", text: b });
  return parts;
}
