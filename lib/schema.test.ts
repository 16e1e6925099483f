import { describe, expect, it } from "vitest";
import {
  applySchemaChoices,
  conversionRefusal,
  convertValue,
  limitBelowUse,
  limitProblems,
  mergeSchema,
  schemaChanges,
  schemaEditProblems,
  type SchemaState,
} from "./schema";
import type { FieldDef } from "./types";

const name: FieldDef = { key: "name", label: "Name", type: "text" };
const stock: FieldDef = { key: "stock", label: "Stock", type: "number" };
const size: FieldDef = { key: "size", label: "Size", type: "select", options: { choices: ["S", "M"] } };
const base: SchemaState = { name: "Items", archived: false, fields: [name, stock, size], removed: [], limits: [] };

describe("mergeSchema", () => {
  it("F1 a part changed on one side takes that side; both sides alike agree", () => {
    const mine = { ...base, name: "Stock items" };
    const r = mergeSchema(base, mine, base);
    expect(r.merged.name).toBe("Stock items");
    expect(r.conflicts).toEqual([]);
    expect(mergeSchema(base, mine, mine).conflicts).toEqual([]);
  });

  it("F2 different fields merge by themselves; the same field changed differently conflicts", () => {
    const mine = { ...base, fields: [{ ...name, label: "Title" }, stock, size] };
    const theirs = { ...base, fields: [name, { ...stock, required: true }, size] };
    const r = mergeSchema(base, mine, theirs);
    expect(r.conflicts).toEqual([]);
    expect(r.merged.fields).toEqual([{ ...name, label: "Title" }, { ...stock, required: true }, size]);
    const clash = mergeSchema(base, mine, { ...base, fields: [{ ...name, label: "Heading" }, stock, size] });
    expect(clash.conflicts.map((c) => c.part)).toEqual(["name"]);
    expect(clash.conflicts[0]).toMatchObject({ mine: { def: { label: "Title" } }, theirs: { def: { label: "Heading" } } });
  });

  it("F2 a field added on each side keeps both; removed on one side and relabelled on the other conflicts", () => {
    const color: FieldDef = { key: "color", label: "Color", type: "text" };
    const weight: FieldDef = { key: "weight", label: "Weight", type: "number" };
    const r = mergeSchema(base, { ...base, fields: [...base.fields, color] }, { ...base, fields: [...base.fields, weight] });
    expect(r.merged.fields.map((f) => f.key)).toEqual(["name", "stock", "size", "weight", "color"]);
    const removed = { ...base, fields: [name, size], removed: [stock] };
    const relabelled = { ...base, fields: [name, { ...stock, label: "Qty" }, size] };
    expect(mergeSchema(base, removed, relabelled).conflicts.map((c) => c.part)).toEqual(["stock"]);
    expect(mergeSchema(base, removed, base).merged).toMatchObject({ fields: [name, size], removed: [stock] });
  });

  it("F3 a reorder on one side is kept with the other side's edits; two different reorders conflict", () => {
    const mine = { ...base, fields: [size, name, stock] };
    const theirs = { ...base, fields: [name, { ...stock, label: "Qty" }, size] };
    const r = mergeSchema(base, mine, theirs);
    expect(r.conflicts).toEqual([]);
    expect(r.merged.fields.map((f) => f.key)).toEqual(["size", "name", "stock"]);
    expect(r.merged.fields[2]!.label).toBe("Qty");
    expect(mergeSchema(base, mine, { ...base, fields: [stock, name, size] }).conflicts.map((c) => c.part)).toEqual(["_order"]);
  });
});

describe("schemaChanges and schemaEditProblems", () => {
  it("F5 names what a version changed", () => {
    const after: SchemaState = { name: "Things", archived: true, fields: [size, { ...name, label: "Title" }], removed: [stock], limits: [] };
    expect(schemaChanges(base, after)).toEqual({
      name: { from: "Items", to: "Things" },
      archived: { from: false, to: true },
      fields: { name: "changed", stock: "removed" },
      order: true,
    });
    expect(schemaChanges(after, { ...after, fields: [...after.fields, stock], removed: [] }).fields).toEqual({ stock: "restored" });
  });

  it("F6 a removed field keeps its key: a new field of another type may not take it", () => {
    const current = { ...base, fields: [name, size], removed: [stock] };
    expect(schemaEditProblems(current, { ...current, fields: [name, size, { key: "stock", label: "S", type: "text" }], removed: [] })).toHaveProperty("stock");
    expect(schemaEditProblems(current, { ...current, fields: [name, size, stock], removed: [] })).toEqual({});
  });
});

describe("convertValue", () => {
  it("F7 rich text and people are never converted", () => {
    expect(conversionRefusal("richtext", "text")).toMatch(/Rich text/);
    expect(conversionRefusal("user", "text")).toMatch(/person/);
    expect(conversionRefusal("date", "number")).toMatch(/cannot become/);
    expect(conversionRefusal("text", "number")).toBeNull();
  });

  it("F8 converts value by value and refuses what does not fit the new field", () => {
    const num: FieldDef = { key: "x", label: "X", type: "number", options: { max: 100 } };
    const txt: FieldDef = { key: "x", label: "X", type: "text" };
    expect(convertValue(txt, num, " 42 ")).toEqual({ ok: true, value: 42 });
    expect(convertValue(txt, num, "")).toEqual({ ok: true, value: null });
    expect(convertValue(txt, num, "lots")).toMatchObject({ ok: false });
    expect(convertValue(txt, num, "500")).toMatchObject({ ok: false });
    expect(convertValue(num, txt, 3.5)).toEqual({ ok: true, value: "3.5" });
    const tags: FieldDef = { key: "x", label: "X", type: "tags", options: { choices: ["S", "M"] } };
    expect(convertValue(size, tags, "S")).toEqual({ ok: true, value: ["S"] });
    expect(convertValue(tags, size, ["S", "M"])).toMatchObject({ ok: false });
    expect(convertValue({ ...num, type: "number" }, { key: "x", label: "X", type: "counter" }, 2.5)).toMatchObject({ ok: false });
    expect(convertValue(txt, { key: "x", label: "X", type: "checkbox" }, "yes")).toEqual({ ok: true, value: true });
  });
});

describe("applySchemaChoices", () => {
  it("F9 keep mine puts my side of a conflicting part back; take theirs (or no choice) keeps theirs; merged parts stay", async () => {
    const { applySchemaChoices } = await import("./schema");
    const mine = { ...base, name: "Mine", fields: [{ ...name, label: "Title" }, stock, { ...size, required: true }] };
    const theirs = { ...base, name: "Theirs", fields: [{ ...name, label: "Heading" }, { ...stock, label: "Qty" }, size] };
    const merge = mergeSchema(base, mine, theirs);
    expect(merge.conflicts.map((c) => c.part).sort()).toEqual(["_name", "name"]);
    const kept = applySchemaChoices(merge, { name: "mine" });
    expect(applySchemaChoices(merge, { _name: "mine" }).name).toBe("Mine");
    expect(kept.fields.map((f) => f.label)).toEqual(["Title", "Qty", "Size"]);
    expect(kept.fields[2]!.required).toBe(true);
    expect(kept.name).toBe("Theirs");
    expect(applySchemaChoices(merge, {}).fields[0]!.label).toBe("Heading");
  });
});

describe("collection limits in the schema", () => {
  const seats: FieldDef = { key: "seats", label: "Seats", type: "counter" };
  const withSeats: SchemaState = { ...base, fields: [...base.fields, seats], limits: [{ kind: "sum", field: "seats", max: 100 }] };
  const limit = (field: string, max: number) => ({ kind: "sum" as const, field, max });

  it("F10 each limit is a part of its own: different limits merge, the same one changed differently conflicts, a removal on one side is kept", () => {
    const mine = { ...withSeats, limits: [limit("seats", 90), limit("stock", 10)] };
    const theirs = { ...withSeats, name: "Renamed" };
    const merged = mergeSchema(withSeats, mine, theirs);
    expect(merged.conflicts).toEqual([]);
    expect(merged.merged).toMatchObject({ name: "Renamed", limits: [limit("seats", 90), limit("stock", 10)] });
    const clash = mergeSchema(withSeats, { ...withSeats, limits: [limit("seats", 90)] }, { ...withSeats, limits: [limit("seats", 80)] });
    expect(clash.conflicts).toEqual([{ part: "_limit.seats", base: 100, mine: 90, theirs: 80 }]);
    expect(clash.merged.limits).toEqual([limit("seats", 80)]);
    expect(mergeSchema(withSeats, { ...withSeats, limits: [] }, { ...withSeats, name: "X" }).merged.limits).toEqual([]);
    // Removed on one side, changed on the other: a conflict (null is "no limit").
    expect(mergeSchema(withSeats, { ...withSeats, limits: [] }, { ...withSeats, limits: [limit("seats", 50)] }).conflicts[0]).toMatchObject({
      part: "_limit.seats",
      mine: null,
      theirs: 50,
    });
  });

  it("F9 F10 keep mine on a limit puts my max back, or my removal", () => {
    const clash = mergeSchema(withSeats, { ...withSeats, limits: [limit("seats", 90)] }, { ...withSeats, limits: [limit("seats", 80)] });
    expect(applySchemaChoices(clash, { "_limit.seats": "mine" }).limits).toEqual([limit("seats", 90)]);
    expect(applySchemaChoices(clash, {}).limits).toEqual([limit("seats", 80)]);
    const removal = mergeSchema(withSeats, { ...withSeats, limits: [] }, { ...withSeats, limits: [limit("seats", 50)] });
    expect(applySchemaChoices(removal, { "_limit.seats": "mine" }).limits).toEqual([]);
  });

  it("F5 F10 a version names the limits it added, changed and removed", () => {
    expect(schemaChanges(withSeats, { ...withSeats, limits: [limit("seats", 120), limit("stock", 5)] }).limits).toEqual({
      seats: { from: 100, to: 120 },
      stock: { from: null, to: 5 },
    });
    expect(schemaChanges(withSeats, { ...withSeats, limits: [] }).limits).toEqual({ seats: { from: 100, to: null } });
    expect(schemaChanges(withSeats, withSeats).limits).toBeUndefined();
  });

  it("F11 a limit sums a number or counter field on the form, once, with a max of 0 or more", () => {
    expect(limitProblems(withSeats.fields, [limit("seats", 0), limit("stock", 10)])).toEqual({});
    expect(limitProblems(withSeats.fields, [limit("name", 10)])).toHaveProperty(["limits.name"]);
    expect(limitProblems(withSeats.fields, [limit("gone", 10)])).toHaveProperty(["limits.gone"]);
    expect(limitProblems(withSeats.fields, [limit("seats", 10), limit("seats", 20)])).toEqual({ "limits.seats": "Seats has a limit already: change that one" });
    expect(limitProblems(withSeats.fields, [limit("seats", -1)])).toHaveProperty(["limits.seats"]);
  });

  it("F12 a limit may not be below what is in use, said in words", () => {
    expect(limitBelowUse(seats, 92, 90)).toBe("92 seats are in use; the limit cannot be lower");
    expect(limitBelowUse(seats, 1, 0)).toBe("Seats: 1 is in use; the limit cannot be lower");
    expect(limitBelowUse(seats, 1200, 1000)).toBe("1,200 seats are in use; the limit cannot be lower");
    expect(limitBelowUse(seats, 92, 92)).toBeNull();
    expect(limitBelowUse(seats, 0, 0)).toBeNull();
  });
});
