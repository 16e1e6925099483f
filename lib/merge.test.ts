import { describe, expect, it } from "vitest";
import { applyBoth, conflictingKeys, mergeRecord, mergeTags } from "./merge";
import type { FieldDef, FieldValue, MergeResult } from "./types";

const colors = { choices: ["red", "green", "blue", "pink"] };
const FIELDS: FieldDef[] = [
  { key: "name", label: "Name", type: "text" },
  { key: "notes", label: "Notes", type: "longtext" },
  { key: "qty", label: "Qty", type: "number" },
  { key: "stock", label: "Stock", type: "counter", options: { min: 0 } },
  { key: "status", label: "Status", type: "select", options: { choices: ["open", "done"] } },
  { key: "labels", label: "Labels", type: "tags", options: colors },
  { key: "labelsReq", label: "Labels", type: "tags", required: true, options: colors },
  { key: "due", label: "Due", type: "date" },
  { key: "done", label: "Done", type: "checkbox" },
  { key: "owner", label: "Owner", type: "user" },
  { key: "body", label: "Body", type: "richtext" },
  { key: "seats", label: "Seats", type: "counter", alwaysAsk: true },
  { key: "strict", label: "Strict", type: "tags", alwaysAsk: true, options: colors },
  { key: "spec", label: "Spec", type: "longtext", alwaysAsk: true },
  { key: "short", label: "Short", type: "longtext", options: { maxLength: 5 } },
];

/** Merges one field: [base, mine, theirs] of `key`. */
function mergeOne(key: string, base: FieldValue, mine: FieldValue, theirs: FieldValue): MergeResult {
  return mergeRecord(FIELDS, { [key]: base }, { [key]: mine }, { [key]: theirs });
}

type Expect = { value: FieldValue; how?: string } | { conflict: true; merged?: FieldValue };

// [title citing the rule, key, base, mine, theirs, expectation]
const CASES: [string, string, FieldValue, FieldValue, FieldValue, Expect][] = [
  ["M1 unchanged text stays base", "name", "a", "a", "a", { value: "a" }],
  ["M2 mine only", "name", "a", "b", "a", { value: "b", how: "mine" }],
  ["M2 theirs only", "name", "a", "a", "c", { value: "c", how: "theirs" }],
  ["M2 one side only on an alwaysAsk field", "seats", 5, 6, 5, { value: 6, how: "mine" }],
  ["M3 both to the same value", "qty", 1, 2, 2, { value: 2, how: "same" }],
  ["M3 both cleared", "owner", "u1", null, null, { value: null, how: "same" }],
  ["M5 counter typed on both sides (two stocktakes) conflicts", "stock", 10, 9, 8, { conflict: true, merged: 8 }],
  ["M6 tags: both add", "labels", ["red"], ["red", "blue"], ["red", "green"], { value: ["red", "green", "blue"], how: "tags" }],
  ["M6 tags: add and remove", "labels", ["red", "blue"], ["red"], ["red", "blue", "pink"], { value: ["red", "pink"], how: "tags" }],
  ["M6 tags: both remove different", "labels", ["red", "blue", "green"], ["blue", "green"], ["red", "green"], { value: ["green"], how: "tags" }],
  ["M6 tags: mine re-orders only", "labels", ["red", "blue"], ["blue", "red"], ["red", "blue", "green"], { value: ["red", "blue", "green"], how: "tags" }],
  ["M7 longtext: different lines merge", "notes", "a\nb\nc\nd", "A\nb\nc\nd", "a\nb\nc\nD", { value: "A\nb\nc\nD", how: "text" }],
  ["M7 longtext: trailing newline and far edit merge", "notes", "a\nb\nc", "x\na\nb\nc", "a\nb\nc\n", { value: "x\na\nb\nc\n", how: "text" }],
  ["M7 longtext: deletions far apart merge", "notes", "a\nb\nc", "b\nc", "a\nb", { value: "b", how: "text" }],
  ["M7 longtext: adjacent changes conflict (as GNU diff3)", "notes", "a\nb", "b", "a", { conflict: true, merged: "a" }],
  ["M7 longtext: same line changed differently", "notes", "a\nb\nc", "a\nX\nc", "a\nY\nc", { conflict: true, merged: "a\nY\nc" }],
  ["M8 richtext takes theirs", "body", "<p>a</p>", "<p>b</p>", "<p>c</p>", { value: "<p>c</p>", how: "theirs" }],
  ["M3 both typed the same count: same", "stock", 1, 0, 0, { value: 0, how: "same" }],
  ["M9 required tags emptied by both conflicts", "labelsReq", ["red", "blue"], ["red"], ["blue"], { conflict: true, merged: ["blue"] }],
  ["M9 merged text over maxLength conflicts", "short", "a\nb", "aa\nb", "a\nbb", { conflict: true, merged: "a\nbb" }],
  ["M10 alwaysAsk counter conflicts", "seats", 10, 9, 8, { conflict: true, merged: 8 }],
  ["M10 alwaysAsk tags conflict", "strict", ["red"], ["red", "blue"], [], { conflict: true, merged: [] }],
  ["M11 text conflict", "name", "a", "b", "c", { conflict: true, merged: "c" }],
  ["M11 number conflict", "qty", 1, 2, 3, { conflict: true, merged: 3 }],
  ["M11 select conflict", "status", null, "open", "done", { conflict: true, merged: "done" }],
  ["M11 date conflict", "due", "2026-01-01", "2026-01-02", null, { conflict: true, merged: null }],
  ["M11 user conflict", "owner", "u1", "u2", "u3", { conflict: true, merged: "u3" }],
  ["M11 key without definition conflicts", "gone", 1, 2, 3, { conflict: true, merged: 3 }],
];

/** One counter field with each side's intent: a number is its summed delta, "set" a typed value. */
function mergeCounter(base: number | null, mine: number | "=", theirs: number | "=", mineIntent: "add" | "set", theirsIntent: "add" | "set") {
  const value = (side: number | "=", intent: "add" | "set") => (intent === "add" ? (base ?? 0) + (side as number) : side === "=" ? base : side);
  const intent = (side: number | "=", kind: "add" | "set") => (kind === "add" ? { add: side as number } : { set: value(side, kind) as number });
  return mergeRecord(
    FIELDS,
    { stock: base },
    { stock: value(mine, mineIntent) },
    { stock: value(theirs, theirsIntent) },
    { mine: { stock: intent(mine, mineIntent) }, theirs: { stock: intent(theirs, theirsIntent) } },
  );
}

describe("M5 counters: operations commute, a typed value is a set", () => {
  it("M5 two deltas both apply: 10 → 9 and 10 → 8 give 7", () => {
    const result = mergeCounter(10, -1, -2, "add", "add");
    expect(result.merged.stock).toBe(7);
    expect(result.autoMerged).toEqual([{ key: "stock", how: "counter" }]);
  });

  it("M5 before M3: two equal deltas both apply (10 → 9 twice gives 8, not 9)", () => {
    expect(mergeCounter(10, -1, -1, "add", "add").merged.stock).toBe(8);
  });

  it("M5 a null base counts as 0", () => {
    expect(mergeCounter(null, 2, 3, "add", "add").merged.stock).toBe(5);
  });

  it("M5 a set against a delta is a conflict that says what each side meant", () => {
    // Even where the numbers agree: did Dana's count of 5 see the 2 I took, or not?
    const result = mergeCounter(7, -2, 5, "add", "set");
    expect(result.conflicts).toEqual([{ key: "stock", base: 7, mine: 5, theirs: 5, intents: { mine: { add: -2 }, theirs: { set: 5 } } }]);
    const other = mergeCounter(7, 6, -2, "set", "add");
    expect(other.conflicts[0]).toMatchObject({ mine: 6, theirs: 5, intents: { mine: { set: 6 }, theirs: { add: -2 } } });
  });

  it("M5 two different sets conflict (Alice typed 6, Dana typed 5: not 4)", () => {
    const result = mergeCounter(7, 6, 5, "set", "set");
    expect(result.conflicts[0]).toMatchObject({ base: 7, mine: 6, theirs: 5, intents: { mine: { set: 6 }, theirs: { set: 5 } } });
    expect(result.merged.stock).toBe(5);
  });

  it("M5/M3 two typed counts that agree are one count", () => {
    expect(mergeCounter(10, 8, 8, "set", "set").autoMerged).toEqual([{ key: "stock", how: "same" }]);
  });

  it("M9 two deltas that would cross the minimum conflict instead (both took the last item)", () => {
    const result = mergeCounter(1, -1, -1, "add", "add");
    expect(result.conflicts[0]).toMatchObject({ key: "stock", intents: { mine: { add: -1 }, theirs: { add: -1 } } });
  });

  it("M2 one side's deltas alone merge as that side", () => {
    expect(mergeCounter(10, -3, "=", "add", "set").merged.stock).toBe(7);
  });
});

describe("mergeRecord, one field", () => {
  it.each(CASES)("%s", (_title, key, base, mine, theirs, expected) => {
    const result = mergeOne(key, base, mine, theirs);
    if ("conflict" in expected) {
      expect(result.conflicts).toHaveLength(1);
      expect(result.conflicts[0]).toMatchObject({ key, base, mine, theirs });
      expect(result.merged[key]).toEqual(expected.merged);
      expect(result.autoMerged).toEqual([]);
      return;
    }
    expect(result.conflicts).toEqual([]);
    expect(result.merged[key]).toEqual(expected.value);
    expect(result.autoMerged).toEqual(expected.how ? [{ key, how: expected.how }] : []);
  });

  it("M7 a longtext conflict carries ok and conflict hunks", () => {
    const result = mergeOne("notes", "a\nb\nc\nd\ne", "a\nX\nc\nd\nE", "a\nY\nc\nd\ne");
    expect(result.conflicts[0].hunks).toEqual([
      { kind: "ok", lines: ["a"] },
      { kind: "conflict", base: ["b"], mine: ["X"], theirs: ["Y"] },
      { kind: "ok", lines: ["c", "d", "E"] },
    ]);
  });

  it("M10 an alwaysAsk longtext conflict still carries hunks, even when diff3 merges cleanly", () => {
    const result = mergeOne("spec", "a\nb\nc", "A\nb\nc", "a\nb\nC");
    expect(result.conflicts[0].hunks).toEqual([{ kind: "ok", lines: ["A", "b", "C"] }]);
  });

  it("M11 other conflicts carry no hunks", () => {
    expect(mergeOne("name", "a", "b", "c").conflicts[0]).toEqual({ key: "name", base: "a", mine: "b", theirs: "c" });
  });
});

describe("mergeRecord, whole records", () => {
  it("M4 merged has every key of any side; missing keys read as empty values", () => {
    const result = mergeRecord(FIELDS, { name: "a" }, { name: "a", labels: ["red"] }, { name: "b", done: true });
    expect(result.merged).toEqual({ name: "b", labels: ["red"], done: true });
    expect(result.autoMerged).toEqual([
      { key: "name", how: "theirs" },
      { key: "labels", how: "mine" },
      { key: "done", how: "theirs" },
    ]);
  });

  it("M1–M11 merge several fields at once and list each outcome", () => {
    const base = { name: "a", stock: 10, labels: ["red"], qty: 1, due: null };
    const mine = { name: "a", stock: 9, labels: ["red", "blue"], qty: 2, due: "2026-03-01" };
    const theirs = { name: "z", stock: 8, labels: [], qty: 3, due: "2026-03-01" };
    const result = mergeRecord(FIELDS, base, mine, theirs, { mine: { stock: { add: -1 } }, theirs: { stock: { add: -2 } } });
    expect(result.merged).toEqual({ name: "z", qty: 3, stock: 7, labels: ["blue"], due: "2026-03-01" });
    expect(result.conflicts.map((c) => c.key)).toEqual(["qty"]);
    expect(result.autoMerged).toEqual([
      { key: "name", how: "theirs" },
      { key: "stock", how: "counter" },
      { key: "labels", how: "tags" },
      { key: "due", how: "same" },
    ]);
  });

  it("M4 keeps a __proto__ key as data", () => {
    const theirs = JSON.parse('{"__proto__": 1}');
    const result = mergeRecord([], {}, {}, theirs);
    expect(Object.hasOwn(result.merged, "__proto__")).toBe(true);
  });
});

describe("helpers", () => {
  const tagCases: [string[], string[], string[], string[]][] = [
    [["a"], ["a", "b"], ["a", "c"], ["a", "c", "b"]],
    [["a", "b"], ["b"], ["b", "a"], ["b"]],
    [[], ["x"], ["x"], ["x"]],
  ];
  it.each(tagCases)("M6 mergeTags(%j, %j, %j) = %j", (base, mine, theirs, expected) => {
    expect(mergeTags(base, mine, theirs)).toEqual(expected);
  });

  const applyBothCases: [number | null, number | null, number | null, number][] = [
    [10, 9, 8, 7],
    [10, 12, 15, 17],
    [null, 2, 3, 5],
    [0.1, 0.2, 0.3, 0.4],
    [1.5, 2.25, 1, 1.75],
  ];
  it.each(applyBothCases)("M14 applyBoth(%s, %s, %s) = %s", (base, mine, theirs, expected) => {
    expect(applyBoth(base, mine, theirs)).toBe(expected);
  });

  it("M12 conflictingKeys lists keys both sides changed differently, type-blind", () => {
    const base = { a: 1, b: 1, c: 1, d: ["x"], e: 1 };
    const mine = { a: 2, b: 2, c: 1, d: ["x", "y"], e: 5 };
    const theirs = { a: 3, b: 2, c: 3, d: [], e: 5 };
    expect(conflictingKeys(base, mine, theirs, ["a", "b", "c", "d", "e", "missing"])).toEqual(["a", "d"]);
  });
});
