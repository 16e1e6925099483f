import { describe, expect, it } from "vitest";
import type { FieldDef } from "@/lib/types";
import { adjustCounter, counterValue, opsAfterSave, withoutOps } from "./counter-ops";

const stock: FieldDef = { key: "stock", label: "Stock", type: "counter" };

describe("a counter's pending operations", () => {
  it("− and + record a delta; back to 0 there is nothing to save", () => {
    let state = adjustCounter({}, {}, "stock", -1);
    expect(state).toEqual({ edits: {}, ops: { stock: -1 } });
    state = adjustCounter(state.edits, state.ops, "stock", -1);
    expect(state.ops).toEqual({ stock: -2 });
    state = adjustCounter(state.edits, state.ops, "stock", 2);
    expect(state.ops).toEqual({});
  });

  it("adjusting a typed count keeps it a set; typing drops the pending deltas", () => {
    expect(adjustCounter({ stock: 6 }, {}, "stock", 1)).toEqual({ edits: { stock: 7 }, ops: {} });
    expect(withoutOps({ stock: -2, seats: 1 }, "stock")).toEqual({ seats: 1 });
  });

  it("shows the value as it is now plus what is pending, or the typed value", () => {
    expect(counterValue(stock, 10, {}, { stock: -2 })).toBe(8);
    expect(counterValue(stock, 8, {}, { stock: -2 })).toBe(6);
    expect(counterValue(stock, null, {}, { stock: 3 })).toBe(3);
    expect(counterValue(stock, 10, { stock: 4 }, {})).toBe(4);
  });

  it("after a save, only what was adjusted while it was in flight stays pending", () => {
    expect(opsAfterSave({ stock: -3, seats: 1 }, { stock: -2 })).toEqual({ stock: -1, seats: 1 });
    expect(opsAfterSave({ stock: -2 }, { stock: -2 })).toEqual({});
  });
});
