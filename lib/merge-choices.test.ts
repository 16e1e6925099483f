import { describe, expect, it } from "vitest";
import { mergeRecord } from "./merge";
import { resolveMergeChoices, type MergeChoice } from "./merge-choices";
import type { FieldDef, RecordValues } from "./types";

const FIELDS: FieldDef[] = [
  { key: "name", label: "Name", type: "text", options: { maxLength: 10 } },
  { key: "qty", label: "Qty", type: "number", options: { max: 100 } },
  { key: "stock", label: "Stock", type: "counter", options: { min: 0 } },
  { key: "status", label: "Status", type: "select", options: { choices: ["open", "done"] } },
  { key: "labels", label: "Labels", type: "tags", alwaysAsk: true, options: { choices: ["red", "green", "blue"] } },
  { key: "notes", label: "Notes", type: "longtext" },
];

function resolve(base: RecordValues, mine: RecordValues, theirs: RecordValues, choices: Record<string, MergeChoice>, intents = {}) {
  const merge = mergeRecord(FIELDS, base, { ...base, ...mine }, theirs, intents);
  return resolveMergeChoices(FIELDS, merge, Object.keys(mine), choices);
}

const base = { name: "Desk", qty: 10, stock: 5, status: "open", labels: ["red"], notes: "a\nb\nc" };

describe("resolveMergeChoices", () => {
  it("R1 a conflict without a choice is unresolved, and nothing is applied", () => {
    const out = resolve(base, { name: "Mine" }, { ...base, name: "Theirs" }, {});
    expect(out).toEqual({ ok: false, unresolved: ["name"], invalid: {} });
  });

  it("R2 a choice for a field that did not conflict is refused (a forged note)", () => {
    const out = resolve(base, { name: "Mine", qty: 11 }, { ...base, name: "Theirs" }, { name: "mine", qty: "theirs" });
    expect(out.ok).toBe(false);
    if (!out.ok) expect(Object.keys(out.invalid)).toEqual(["qty"]);
  });

  it("R3 mine and theirs take that side's value", () => {
    const kept = resolve(base, { name: "Mine" }, { ...base, name: "Theirs" }, { name: "mine" });
    expect(kept).toMatchObject({ ok: true, values: { name: "Mine" }, notes: { name: "mine" } });
    const taken = resolve(base, { name: "Mine" }, { ...base, name: "Theirs" }, { name: "theirs" });
    expect(taken).toMatchObject({ ok: true, values: { name: "Theirs" }, notes: { name: "theirs" } });
  });

  it("R4 both: numbers add both deltas, tags take both sets of changes, long text both hunks", () => {
    expect(resolve(base, { qty: 12 }, { ...base, qty: 15 }, { qty: "both" })).toMatchObject({ ok: true, values: { qty: 17 }, notes: { qty: "both" } });
    expect(resolve(base, { labels: ["red", "green"] }, { ...base, labels: [] }, { labels: "both" })).toMatchObject({
      ok: true,
      values: { labels: ["green"] },
    });
    const text = resolve(base, { notes: "a\nB mine\nc" }, { ...base, notes: "a\nB theirs\nc" }, { notes: "both" });
    expect(text).toMatchObject({ ok: true, values: { notes: "a\nB mine\nB theirs\nc" }, notes: { notes: "both" } });
  });

  it("R4 both is refused where it means nothing, and where the result breaks a bound", () => {
    const text = resolve(base, { name: "Mine" }, { ...base, name: "Theirs" }, { name: "both" });
    expect(text.ok).toBe(false);
    const over = resolve(base, { qty: 60 }, { ...base, qty: 60.5 }, { qty: "both" });
    expect(over.ok).toBe(false);
    if (!over.ok) expect(over.invalid.qty).toMatch(/at most 100/);
  });

  it("R5 one choice per conflicting hunk; the wrong count is refused", () => {
    const mine = { notes: "A\nb\nC" };
    const theirs = { ...base, notes: "A2\nb\nC2" };
    const ok = resolve(base, mine, theirs, { notes: { hunks: ["mine", "theirs"] } });
    expect(ok).toMatchObject({ ok: true, values: { notes: "A\nb\nC2" }, notes: { notes: "both" } });
    const allMine = resolve(base, mine, theirs, { notes: { hunks: ["mine", "mine"] } });
    expect(allMine).toMatchObject({ ok: true, values: { notes: "A\nb\nC" }, notes: { notes: "mine" } });
    const typed = resolve(base, mine, theirs, { notes: { hunks: [["typed"], "theirs"] } });
    expect(typed).toMatchObject({ ok: true, notes: { notes: "edit" } });
    const short = resolve(base, mine, theirs, { notes: { hunks: ["mine"] } });
    expect(short.ok).toBe(false);
  });

  it("R6 a hand edit is validated like a save", () => {
    expect(resolve(base, { status: "done" }, { ...base, status: "open2" as string }, { status: { edit: "open" } })).toMatchObject({
      ok: true,
      values: { status: "open" },
      notes: { status: "edit" },
    });
    const bad = resolve(base, { name: "Mine" }, { ...base, name: "Theirs" }, { name: { edit: "far too long a name" } });
    expect(bad.ok).toBe(false);
  });

  it("R7 notes record auto merges, one-sided changes and choices, not theirs-only fields", () => {
    const out = resolve(
      base,
      { name: "Mine", stock: 4, notes: "a\nb\nc\nd" },
      { ...base, name: "Theirs", stock: 3, qty: 20, notes: "z\na\nb\nc" },
      { name: "theirs" },
      { mine: { stock: { add: -1 } }, theirs: { stock: { add: -2 } } },
    );
    expect(out).toMatchObject({ ok: true, notes: { name: "theirs", stock: "auto", notes: "auto" } });
    if (out.ok) expect(out.notes).not.toHaveProperty("qty");
  });
});
