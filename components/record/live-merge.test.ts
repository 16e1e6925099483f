import { describe, expect, it } from "vitest";
import { mergeRecord } from "@/lib/merge";
import type { FieldDef, RecordDto, RecordValues } from "@/lib/types";
import { formEdits, pendingConflicts, reconcile, takeTheirs, type LiveForm } from "./live-merge";

const FIELDS: FieldDef[] = [
  { key: "name", label: "Name", type: "text" },
  { key: "stock", label: "Stock", type: "counter" },
  { key: "tags", label: "Tags", type: "tags", options: { choices: ["a", "b"] } },
  { key: "body", label: "Body", type: "richtext" },
];
const V1: RecordValues = { name: "Lamp", stock: 10, tags: ["a"], body: "<p>x</p>" };

const record = (version: number, values: RecordValues, by = "Dana"): RecordDto => ({
  id: "r1",
  collectionId: "c1",
  version,
  values,
  createdAt: "",
  updatedAt: "",
  updatedBy: { id: by, name: by },
  deletedAt: null,
});
const form = (edits: RecordValues = {}): LiveForm => ({ base: { version: 1, values: V1 }, etag: '"1"', edits, latest: record(1, V1), latestEtag: '"1"' });
const incoming = (version: number, values: RecordValues) => ({ record: record(version, { ...V1, ...values }), etag: `"${version}"` });

describe("live updates of the record form", () => {
  it("L8 a counter with a pending delta that changes underneath keeps its base and holds the token", () => {
    const out = reconcile(FIELDS, { ...form(), ops: { stock: -2 } }, incoming(2, { stock: 5, name: "Theirs" }));
    expect(out.form.base.values.stock).toBe(10);
    expect(out.form.base.version).toBe(1);
    expect(out.form.etag).toBe('"1"');
    expect(out.underneath).toEqual(["stock"]);
    expect(out.updated).toEqual(["name"]);
    // Without a pending delta the same change is an ordinary live update.
    expect(reconcile(FIELDS, form(), incoming(2, { stock: 5 })).form.base).toEqual({ version: 2, values: { ...V1, stock: 5 } });
  });

  it("L7 a field that took a newer value while the token stayed behind remembers that version", () => {
    const out = reconcile(FIELDS, form({ name: "Mine" }), incoming(2, { name: "Theirs", stock: 8 }));
    expect(out.form.base.version).toBe(1);
    expect(out.form.base.values.stock).toBe(8);
    expect(out.form.base.fieldVersions).toEqual({ stock: 2 });
    const later = reconcile(FIELDS, out.form, incoming(3, { name: "Theirs", stock: 6 }));
    expect(later.form.base.fieldVersions).toEqual({ stock: 3 });
    const taken = takeTheirs(FIELDS, later.form, "name");
    expect(taken.base.version).toBe(3);
    expect(taken.base.fieldVersions).toBeUndefined();
  });

  it("L1/L4 no edits: untouched fields update and the form moves to the new version", () => {
    const out = reconcile(FIELDS, form(), incoming(2, { name: "Desk lamp" }));
    expect(out.updated).toEqual(["name"]);
    expect(out.changes.name).toEqual({ by: "Dana", version: 2 });
    expect(out.form.base).toEqual({ version: 2, values: { ...V1, name: "Desk lamp" } });
    expect(out.form.etag).toBe('"2"');
  });

  it("L4 edits elsewhere: base and token move forward, the edit stays", () => {
    const out = reconcile(FIELDS, form({ stock: 9 }), incoming(2, { name: "Desk lamp" }));
    expect(out.form.edits).toEqual({ stock: 9 });
    expect(out.form.base.version).toBe(2);
    expect(out.form.etag).toBe('"2"');
    expect(out.underneath).toEqual([]);
  });

  it("L3 an edited field changed underneath: edit and base kept, token kept, marked", () => {
    const out = reconcile(FIELDS, form({ stock: 9, name: "Mine" }), incoming(2, { stock: 8, tags: ["a", "b"] }));
    expect(out.underneath).toEqual(["stock"]);
    expect(out.updated).toEqual(["tags"]);
    expect(out.form.edits).toEqual({ stock: 9, name: "Mine" });
    expect(out.form.etag).toBe('"1"');
    expect(out.form.base.version).toBe(1);
    expect(out.form.base.values).toEqual({ ...V1, tags: ["a", "b"] }); // composite: the viewer sees the new tags
    expect(pendingConflicts(FIELDS, out.form)).toEqual(["stock"]);
  });

  it("L3 the merge after the refusal uses the composite base, so later edits are relative to what was seen", () => {
    const held = reconcile(FIELDS, form({ stock: 9 }), incoming(2, { stock: 8, tags: ["a", "b"] })).form;
    // The viewer now removes "b", which they saw arrive: that removal must survive the merge.
    const edits = { ...held.edits, tags: ["a"] };
    const mine = { ...held.base.values, ...edits };
    const result = mergeRecord(FIELDS, held.base.values, mine, held.latest.values);
    expect(result.merged.tags).toEqual(["a"]);
    // Both typed the stock (two counts, M5): that asks, against the base the viewer started from.
    expect(result.conflicts).toEqual([{ key: "stock", base: 10, mine: 9, theirs: 8, intents: { mine: { set: 9 }, theirs: { set: 8 } } }]);
  });

  it("L2 an edit equal to the new value is dropped and the form catches up", () => {
    const out = reconcile(FIELDS, form({ name: "Same" }), incoming(2, { name: "Same" }));
    expect(out.form.edits).toEqual({});
    expect(out.form.base.version).toBe(2);
    expect(out.updated).toEqual([]);
  });

  it("L5 rich text never counts as an edit and never holds the form back", () => {
    const out = reconcile(FIELDS, form({ body: "<p>stale textarea draft</p>" }), incoming(2, { body: "<p>live</p>" }));
    expect(out.form.edits).toEqual({});
    expect(out.updated).toEqual([]);
    expect(out.form.etag).toBe('"2"');
    expect(formEdits(FIELDS, { body: "<p>x</p>", name: "n" })).toEqual({ name: "n" });
  });

  it("L6 an older or equal version changes nothing", () => {
    const moved = reconcile(FIELDS, form(), incoming(3, { name: "v3" })).form;
    const out = reconcile(FIELDS, moved, incoming(2, { name: "v2" }));
    expect(out.form).toBe(moved);
  });

  it("a second save that puts the value back clears the pending conflict", () => {
    const held = reconcile(FIELDS, form({ stock: 9 }), incoming(2, { stock: 8 })).form;
    const back = reconcile(FIELDS, held, incoming(3, { stock: 10 }));
    expect(pendingConflicts(FIELDS, back.form)).toEqual([]);
    expect(back.form.etag).toBe('"3"');
    expect(back.form.edits).toEqual({ stock: 9 });
  });

  it("Take theirs drops the edit and, with nothing else pending, moves to the new version", () => {
    const held = reconcile(FIELDS, form({ stock: 9, name: "Mine" }), incoming(2, { stock: 8 })).form;
    const taken = takeTheirs(FIELDS, held, "stock");
    expect(taken.edits).toEqual({ name: "Mine" });
    expect(taken.base.values.stock).toBe(8);
    expect(taken.etag).toBe('"2"');
  });

  it("Take theirs with another conflict left keeps the old token", () => {
    const held = reconcile(FIELDS, form({ stock: 9, name: "Mine" }), incoming(2, { stock: 8, name: "Theirs" })).form;
    const taken = takeTheirs(FIELDS, held, "stock");
    expect(taken.etag).toBe('"1"');
    expect(pendingConflicts(FIELDS, taken)).toEqual(["name"]);
  });
});
