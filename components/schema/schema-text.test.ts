import { describe, expect, it } from "vitest";
import { describeSchemaChanges } from "./schema-text";

describe("describeSchemaChanges", () => {
  it("names every change of a version, and a first version as created", () => {
    expect(describeSchemaChanges({})).toBe("created");
    expect(
      describeSchemaChanges({ name: { from: "A", to: "B" }, archived: { from: false, to: true }, fields: { qty: "removed", size: "added" }, order: true }),
    ).toBe("renamed “A” to “B”, archived, removed qty, added size, reordered fields");
  });
});
