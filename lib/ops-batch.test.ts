import { describe, expect, it } from "vitest";
import { planOperations } from "./ops-batch";
import type { FieldDef, RecordValues } from "./types";

const FIELDS: FieldDef[] = [
  { key: "name", label: "Name", type: "text" },
  { key: "stock", label: "Stock", type: "counter", options: { min: 0, max: 10 } },
  { key: "free", label: "Free", type: "counter" },
  { key: "price", label: "Price", type: "number" },
];

describe("Q1–Q4 planning operations that arrive together", () => {
  it("Q1 applies them in order, each on what the ones before left; Q4 with from, to and add", () => {
    const plan = planOperations({ name: "A", stock: 5 }, FIELDS, [{ stock: -1 }, { stock: -2, free: 3 }, { stock: 4 }]);
    expect(plan).toEqual([
      { isPlanned: true, after: { name: "A", stock: 4 }, changes: { stock: { from: 5, to: 4, add: -1 } } },
      { isPlanned: true, after: { name: "A", stock: 2, free: 3 }, changes: { stock: { from: 4, to: 2, add: -2 }, free: { from: null, to: 3, add: 3 } } },
      { isPlanned: true, after: { name: "A", stock: 6, free: 3 }, changes: { stock: { from: 2, to: 6, add: 4 } } },
    ]);
  });

  it("Q2 leaves to the one-operation writer whatever would cross a bound, and Q3 it changes nothing for the rest", () => {
    const plan = planOperations({ stock: 1 }, FIELDS, [{ stock: -1 }, { stock: -1 }, { stock: 10 }, { stock: 11 }]);
    expect(plan.map((p) => (p.isPlanned ? p.after.stock : "alone"))).toEqual([0, "alone", 10, "alone"]);
  });

  it("Q2 plans only non-zero whole-number deltas on counters holding whole numbers", () => {
    const cases: [RecordValues, Record<string, number>][] = [
      [{ stock: 1 }, { stock: 0 }],
      [{ stock: 1 }, { stock: 0.5 }],
      [{ stock: 1.5 }, { stock: 1 }],
      [{ stock: "x" }, { stock: 1 }],
      [{ price: 1 }, { price: 1 }],
      [{}, { unknown: 1 }],
      [{}, {}],
      [{ free: Number.MAX_SAFE_INTEGER }, { free: 1 }],
    ];
    for (const [values, add] of cases) expect(planOperations(values, FIELDS, [add])[0]!.isPlanned, JSON.stringify([values, add])).toBe(false);
    expect(planOperations({}, FIELDS, [{ free: -3 }])[0]).toMatchObject({ isPlanned: true, after: { free: -3 } });
  });
});
