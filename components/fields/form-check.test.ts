import { describe, expect, it } from "vitest";
import type { FieldDef } from "@/lib/types";
import { firstErrorKey, formErrors } from "./form-check";

const fields: FieldDef[] = [
  { key: "name", label: "Name", type: "text", required: true, options: { maxLength: 10 } },
  { key: "stock", label: "Stock", type: "counter", options: { min: 0 } },
  { key: "price", label: "Price", type: "number", options: { min: 0 } },
];

describe("formErrors", () => {
  it("refuses number text that means no number here, with the reason", () => {
    expect(formErrors(fields, { price: "12,50" }, "patch", "en-US")).toEqual({ price: "“,” separates thousands here; use “.” for decimals (as in 12.5)" });
  });

  it("refuses over-long text instead of cutting it", () => {
    expect(formErrors(fields, { name: "a".repeat(11) }, "patch")).toEqual({ name: "Must be at most 10 characters" });
  });

  it("checks a new record whole: required fields and bounds", () => {
    expect(formErrors(fields, { stock: -1 }, "create")).toEqual({ name: "Required", stock: "Must be at least 0" });
  });

  it("passes valid values", () => {
    expect(formErrors(fields, { name: "Lamp", price: 12.5 }, "patch")).toEqual({});
  });

  it("the first error is the first in form order, not in the order found", () => {
    expect(firstErrorKey(fields, { price: "x", name: "y" })).toBe("name");
    expect(firstErrorKey(fields, {})).toBeNull();
  });
});
