import { describe, expect, it } from "vitest";
import type { FieldDef } from "@/lib/types";
import { inFormOrder } from "./field-order";

const fields: FieldDef[] = [
  { key: "name", label: "Name", type: "text" },
  { key: "sku", label: "SKU", type: "text" },
  { key: "price", label: "Price", type: "number" },
];

describe("inFormOrder", () => {
  it("orders changed fields as the form does, not as they were stored", () => {
    expect(inFormOrder(fields, ["price", "name"])).toEqual(["name", "price"]);
  });

  it("keeps a removed field's data, last", () => {
    expect(inFormOrder(fields, ["legacy", "sku", "name"])).toEqual(["name", "sku", "legacy"]);
  });
});
