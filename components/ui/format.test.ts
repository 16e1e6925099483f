import { describe, expect, it } from "vitest";
import type { FieldDef } from "@/lib/types";
import { formatValue } from "./format";

const price: FieldDef = { key: "price", label: "Price", type: "number", options: { format: { currency: "USD" } } };
const arr: FieldDef = { key: "arr", label: "ARR", type: "number", options: { format: { currency: "USD", decimals: 0 } } };
const plain: FieldDef = { key: "n", label: "N", type: "number" };

describe("formatValue: one formatter for table, form, history and dialog", () => {
  it.each([
    ["float noise", plain, 153.29999999999998, "153.3"],
    ["thousands", plain, 12000, "12,000"],
    ["currency", price, 11.5, "$11.50"],
    ["currency without decimals", arr, 12000, "$12,000"],
    ["rich text as words, not markup", { key: "d", label: "D", type: "richtext" } as FieldDef, "<p>Hello <strong>there</strong></p>", "Hello there"],
    ["empty", plain, null, "—"],
    ["a user by name", { key: "o", label: "O", type: "user" } as FieldDef, "u1", "Alice"],
  ] as const)("%s", (_title, def, value, expected) => {
    expect(formatValue(def, value, { u1: "Alice" }, "en-US")).toBe(expected);
  });

  it("follows the locale", () => {
    expect(formatValue(price, 1234.5, {}, "de-DE").replace(/\u00a0/g, " ")).toBe("1.234,50 $");
  });
});
