import { describe, expect, it } from "vitest";
import { documentTitle } from "./use-document-title";

describe("documentTitle", () => {
  it("names the record, then its collection and workspace", () => {
    expect(documentTitle(["Desk lamp", "Inventory", "Acme Operations"])).toBe("Desk lamp · Inventory · Acme Operations · Tandem");
  });
  it("skips what is not known yet", () => {
    expect(documentTitle([null, "Inventory", undefined, " "])).toBe("Inventory · Tandem");
  });
});
