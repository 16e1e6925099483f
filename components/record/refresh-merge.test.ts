import { describe, expect, it } from "vitest";
import { mergeRecord } from "@/lib/merge";
import type { FieldDef, RecordDto, RecordValues } from "@/lib/types";
import { buildMerge } from "@/components/merge/merge-state";
import { nextDialog } from "./refresh-merge";
import type { MergeSession } from "./save-flow";

const fields: FieldDef[] = [
  { key: "name", label: "Name", type: "text" },
  { key: "price", label: "Price", type: "number" },
  { key: "stock", label: "Stock", type: "counter" },
];
const record = (version: number, values: RecordValues): RecordDto => ({
  id: "r", collectionId: "c", version, values, createdAt: "", updatedAt: "", updatedBy: { id: "a", name: "Alice" }, deletedAt: null,
});
const base = { name: "Lamp", price: 10, stock: 10 };
const edits = { name: "Lamp (Dana)", price: 9, stock: 9 };
const theirs1 = { name: "Lamp (Alice)", price: 8, stock: 8 };
const session = (version: number, theirs: RecordValues, result = mergeRecord(fields, base, { ...base, ...edits }, theirs)): MergeSession => ({
  result, current: record(version, theirs), etag: `"${version}"`, baseVersion: 1, isRefreshed: version > 2,
});
const form = { base: { version: 1, values: base }, edits };

describe("a refreshed merge dialog", () => {
  const first = nextDialog(fields, form, session(2, theirs1), null);
  const chosen = { ...first, choices: { name: { kind: "mine" as const }, price: { kind: "theirs" as const } } };

  it("opens fresh: nothing chosen", () => {
    expect(first.choices).toEqual({ name: undefined, price: undefined });
    expect(first.changedAgain).toEqual([]);
  });

  it("keeps the choice for the field that did not change again, marks the one that did", () => {
    const theirs2 = { ...theirs1, price: 7, stock: 7 };
    // What save-flow hands over after the second refusal: merged values against the previous theirs.
    const narrow = mergeRecord(fields, theirs1, { ...theirs1, name: "Lamp (Dana)" }, theirs2);
    const next = nextDialog(fields, form, session(3, theirs2, narrow), chosen);
    expect(next.session.isRefreshed).toBe(true);
    expect(next.session.result.conflicts.map((c) => c.key).sort()).toEqual(["name", "price"]);
    expect(next.choices.name).toEqual({ kind: "mine" });
    expect(next.choices.price).toBeUndefined();
    expect(next.changedAgain).toEqual(["price"]);
  });

  it("records a two-sided counter as merged automatically, from the original base (10 − 1 − 3 = 6)", () => {
    const theirs2 = { ...theirs1, stock: 7 };
    const next = nextDialog(fields, form, session(3, theirs2), chosen);
    const outcome = buildMerge(next.session.result, next.choices);
    expect(outcome.values.stock).toBe(6);
    expect(outcome.resolutions.stock).toBe("auto");
    expect(outcome.resolutions.name).toBe("mine");
  });
});
