import { describe, expect, it } from "vitest";
import { describeSchemaChanges } from "./schema-text";

describe("describeSchemaChanges", () => {
  it("names every change of a version, and a first version as created", () => {
    expect(describeSchemaChanges({})).toBe("created");
    expect(
      describeSchemaChanges({ name: { from: "A", to: "B" }, archived: { from: false, to: true }, fields: { qty: "removed", size: "added" }, order: true }),
    ).toBe("renamed “A” to “B”, archived, removed qty, added size, reordered fields");
    expect(describeSchemaChanges({ limits: { seats: { from: null, to: 100 }, stock: { from: 10, to: null }, hours: { from: 40, to: 35 } } })).toBe(
      "limited seats to 100, removed the limit on stock, changed the limit on hours from 40 to 35",
    );
  });
});
