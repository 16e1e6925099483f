import { describe, expect, it } from "vitest";
import { mergeRecord } from "@/lib/merge";
import type { FieldDef, RecordDto, RecordValues } from "@/lib/types";
import { nextDialog } from "./refresh-merge";
import type { MergeSession } from "./save-flow";

const fields: FieldDef[] = [
  { key: "name", label: "Name", type: "text" },
  { key: "price", label: "Price", type: "number" },
  { key: "stock", label: "Stock", type: "counter" },
];
const record = (version: number, values: RecordValues): RecordDto => ({
  id: "r",
  collectionId: "c",
  version,
  values,
  createdAt: "",
  updatedAt: "",
  updatedBy: { id: "a", name: "Alice" },
  deletedAt: null,
});
const base = { name: "Lamp", price: 10, stock: 10 };
const edits = { name: "Lamp (Dana)", price: 9 };
const theirs1 = { name: "Lamp (Alice)", price: 8, stock: 8 };
// What the server's 412 carries: its merge of the same base and edits against the theirs of the moment.
const session = (version: number, theirs: RecordValues): MergeSession => ({
  result: mergeRecord(fields, base, { ...base, ...edits }, theirs),
  current: record(version, theirs),
  etag: `"${version}"`,
  baseVersion: 1,
  baseEtag: '"1"',
  patch: edits,
  bases: {},
  ops: {},
  isRefreshed: version > 2,
});

describe("a refreshed merge dialog", () => {
  const first = nextDialog(session(2, theirs1), null);
  const chosen = { ...first, choices: { name: { kind: "mine" as const }, price: { kind: "theirs" as const } } };

  it("opens fresh: nothing chosen", () => {
    expect(first.choices).toEqual({ name: undefined, price: undefined });
    expect(first.changedAgain).toEqual([]);
  });

  it("keeps the choice for the field that did not change again, marks the one that did", () => {
    const next = nextDialog(session(3, { ...theirs1, price: 7, stock: 7 }), chosen);
    expect(next.session.isRefreshed).toBe(true);
    expect(next.session.result.conflicts.map((c) => c.key).sort()).toEqual(["name", "price"]);
    expect(next.choices.name).toEqual({ kind: "mine" });
    expect(next.choices.price).toBeUndefined();
    expect(next.changedAgain).toEqual(["price"]);
  });
});
