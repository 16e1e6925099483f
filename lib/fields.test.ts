import { describe, expect, it } from "vitest";
import { FieldDefSchema, FieldDefsSchema, emptyValue, normalizeRecordValues, validateValues, valuesEqual } from "./fields";
import type { FieldDef, FieldValue } from "./types";

const def = (type: FieldDef["type"], extra: Partial<FieldDef> = {}): FieldDef => ({ key: "f", label: "F", type, ...extra });
const choices = { options: { choices: ["red", "green", "blue"] } };

describe("FieldDefSchema", () => {
  const valid: [string, unknown][] = [
    ["plain text", { key: "name", label: "Name", type: "text" }],
    ["select with choices", { key: "color", label: "Color", type: "select", options: { choices: ["a", "b"] } }],
    ["number with bounds", { key: "qty", label: "Qty", type: "number", options: { min: 0, max: 10, integer: true } }],
    ["counter, always ask", { key: "stock_2", label: "Stock", type: "counter", alwaysAsk: true, required: true }],
    ["63-char key", { key: "a" + "B".repeat(62), label: "L", type: "date" }],
    ["text with maxLength", { key: "t", label: "T", type: "longtext", options: { maxLength: 5 } }],
    ["price in euros with 2 decimals", { key: "p", label: "P", type: "number", options: { format: { decimals: 2, currency: "EUR", thousands: true } } }],
    ["counter without thousands separators", { key: "c", label: "C", type: "counter", options: { format: { thousands: false, decimals: 0 } } }],
  ];
  it.each(valid)("accepts %s", (_name, input) => {
    expect(FieldDefSchema.safeParse(input).success).toBe(true);
  });

  const invalid: [string, unknown, string][] = [
    ["uppercase first letter", { key: "Name", label: "N", type: "text" }, "Key must start"],
    ["underscore first", { key: "_id", label: "N", type: "text" }, "Key must start"],
    ["64-char key", { key: "a".repeat(64), label: "N", type: "text" }, "Key must start"],
    ["dash in key", { key: "a-b", label: "N", type: "text" }, "Key must start"],
    ["empty label", { key: "a", label: "", type: "text" }, "Label is required"],
    ["unknown type", { key: "a", label: "A", type: "file" }, ""],
    ["select without choices", { key: "a", label: "A", type: "select" }, "Needs at least one choice"],
    ["tags with empty choices", { key: "a", label: "A", type: "tags", options: { choices: [] } }, "Needs at least one choice"],
    ["duplicate choices", { key: "a", label: "A", type: "tags", options: { choices: ["x", "x"] } }, "Choices must be unique"],
    ["empty choice", { key: "a", label: "A", type: "select", options: { choices: [""] } }, "A choice may not be empty"],
    ["min > max", { key: "a", label: "A", type: "number", options: { min: 5, max: 1 } }, "min must not be greater"],
    ["fractional counter bound", { key: "a", label: "A", type: "counter", options: { min: 0.5 } }, "whole number"],
    ["choices on text", { key: "a", label: "A", type: "text", options: { choices: ["x"] } }, "does not apply"],
    ["integer on counter", { key: "a", label: "A", type: "counter", options: { integer: true } }, "does not apply"],
    ["unknown option", { key: "a", label: "A", type: "text", options: { maxlength: 3 } }, ""],
    ["unknown property", { key: "a", label: "A", type: "text", hidden: true }, ""],
    ["zero maxLength", { key: "a", label: "A", type: "text", options: { maxLength: 0 } }, ""],
    ["format on text", { key: "a", label: "A", type: "text", options: { format: { decimals: 2 } } }, "does not apply"],
    ["11 decimals", { key: "a", label: "A", type: "number", options: { format: { decimals: 11 } } }, "decimals must be 0 to 10"],
    ["fractional decimals", { key: "a", label: "A", type: "number", options: { format: { decimals: 1.5 } } }, "decimals must be a whole number"],
    ["decimals on a counter", { key: "a", label: "A", type: "counter", options: { format: { decimals: 2 } } }, "shows no decimals"],
    ["decimals on an integer number", { key: "a", label: "A", type: "number", options: { integer: true, format: { decimals: 1 } } }, "shows no decimals"],
    ["lower-case currency", { key: "a", label: "A", type: "number", options: { format: { currency: "usd" } } }, "ISO 4217"],
    ["made-up currency", { key: "a", label: "A", type: "number", options: { format: { currency: "XYZ" } } }, "ISO 4217"],
    ["unknown format option", { key: "a", label: "A", type: "number", options: { format: { style: "percent" } } }, ""],
  ];
  it.each(invalid)("rejects %s", (_name, input, message) => {
    const result = FieldDefSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message).join("|")).toContain(message);
  });

  it("rejects duplicate keys in a list", () => {
    const result = FieldDefsSchema.safeParse([def("text", { key: "a" }), def("number", { key: "a" })]);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ message: 'Duplicate key "a"', path: [1, "key"] });
  });

  it("parses to the FieldDef type", () => {
    const parsed: FieldDef[] = FieldDefsSchema.parse([def("text", { key: "a" })]);
    expect(parsed).toEqual([{ key: "a", label: "F", type: "text" }]);
  });
});

describe("validateValues: one value per type", () => {
  // [case, field, value, expected error or null]
  const cases: [string, FieldDef, unknown, string | null][] = [
    ["text ok", def("text"), "hello", null],
    ["text keeps HTML verbatim", def("text"), "<b>x</b>'; DROP TABLE records;--", null],
    ["text keeps surrounding spaces", def("text"), "  x  ", null],
    ["text newline", def("text"), "a\nb", "Must be a single line"],
    ["text carriage return", def("text"), "a\rb", "Must be a single line"],
    ["text number", def("text"), 5, "Must be text"],
    ["text default max 1000", def("text"), "x".repeat(1001), "Must be at most 1000 characters"],
    ["text 1000 ok", def("text"), "x".repeat(1000), null],
    ["text counts code points", def("text", { options: { maxLength: 2 } }), "😀😀", null],
    ["text custom max", def("text", { options: { maxLength: 2 } }), "abc", "Must be at most 2 characters"],
    ["text empty not required", def("text"), "", null],
    ["text empty required", def("text", { required: true }), "", "Required"],
    ["text null required", def("text", { required: true }), null, "Required"],
    ["longtext multi-line", def("longtext"), "a\r\nb\n", null],
    ["longtext default max", def("longtext"), "x".repeat(100_001), "Must be at most 100000 characters"],
    ["richtext default max", def("richtext"), "x".repeat(1_000_001), "Must be at most 1000000 characters"],
    ["richtext ok", def("richtext"), "<p>hi</p>", null],
    ["number ok", def("number"), 1.5, null],
    ["number string", def("number"), "5", "Must be a number"],
    ["number NaN", def("number"), NaN, "Must be a number"],
    ["number Infinity", def("number"), Infinity, "Must be a number"],
    ["number integer", def("number", { options: { integer: true } }), 1.5, "Must be a whole number"],
    ["number min", def("number", { options: { min: 0 } }), -1, "Must be at least 0"],
    ["number max", def("number", { options: { max: 10 } }), 10.5, "Must be at most 10"],
    ["number at bound", def("number", { options: { min: 0, max: 10 } }), 10, null],
    ["counter ok", def("counter"), -3, null],
    ["counter fraction", def("counter"), 1.5, "Must be a whole number"],
    ["counter unsafe", def("counter"), 2 ** 53, "Must be a whole number"],
    ["counter below min", def("counter", { options: { min: 0 } }), -1, "Must be at least 0"],
    ["select ok", def("select", choices), "red", null],
    ["select other", def("select", choices), "pink", '"pink" is not one of the choices'],
    ["select number", def("select", choices), 1, "Must be one of the choices"],
    ["select null", def("select", choices), null, null],
    ["tags ok", def("tags", choices), ["blue", "red"], null],
    ["tags empty", def("tags", choices), [], null],
    ["tags required empty", def("tags", { ...choices, required: true }), [], "Required"],
    ["tags unknown", def("tags", choices), ["red", "pink"], '"pink" is not one of the choices'],
    ["tags duplicate", def("tags", choices), ["red", "red"], '"red" appears twice'],
    ["tags string", def("tags", choices), "red", "Must be a list of choices"],
    ["tags non-string item", def("tags", choices), [1], "Must be a list of choices"],
    ["date ok", def("date"), "2026-02-28", null],
    ["date leap day", def("date"), "2024-02-29", null],
    ["date 2026-02-30", def("date"), "2026-02-30", "2026-02-30 is not a real date"],
    ["date 1900-02-29", def("date"), "1900-02-29", "1900-02-29 is not a real date"],
    ["date 2000-02-29", def("date"), "2000-02-29", null],
    ["date month 13", def("date"), "2026-13-01", "2026-13-01 is not a real date"],
    ["date april 31", def("date"), "2026-04-31", "2026-04-31 is not a real date"],
    ["date with time", def("date"), "2026-01-01T00:00:00Z", "Must be a date (YYYY-MM-DD)"],
    ["date short", def("date"), "2026-1-1", "Must be a date (YYYY-MM-DD)"],
    ["date number", def("date"), 20260101, "Must be a date (YYYY-MM-DD)"],
    ["checkbox true", def("checkbox"), true, null],
    ["checkbox string", def("checkbox"), "true", "Must be true or false"],
    ["checkbox false required", def("checkbox", { required: true }), false, null],
    ["user ok", def("user"), "u_123", null],
    ["user empty", def("user"), "", "Must be a user id"],
    ["user number", def("user"), 7, "Must be a user id"],
  ];
  it.each(cases)("%s", (_name, field, value, error) => {
    const result = validateValues([field], { f: value }, "patch");
    if (error === null) expect(result).toEqual({ ok: true, values: { f: value } });
    else expect(result).toEqual({ ok: false, errors: { f: error } });
  });
});

describe("validateValues: the body", () => {
  const fields: FieldDef[] = [
    def("text", { key: "name", required: true }),
    def("tags", { key: "labels", ...choices }),
    def("checkbox", { key: "done" }),
    def("number", { key: "qty" }),
  ];
  const cases: [string, unknown, "create" | "patch", ReturnType<typeof validateValues>][] = [
    ["not an object", "x", "patch", { ok: false, errors: { _: "values must be an object" } }],
    ["an array", [], "create", { ok: false, errors: { _: "values must be an object" } }],
    ["null", null, "patch", { ok: false, errors: { _: "values must be an object" } }],
    ["empty patch", {}, "patch", { ok: false, errors: { _: "Nothing to save" } }],
    ["unknown key", { nope: 1 }, "patch", { ok: false, errors: { nope: "Unknown field" } }],
    ["patch checks only given keys", { qty: 2 }, "patch", { ok: true, values: { qty: 2 } }],
    ["patch null clears tags to []", { labels: null, done: null }, "patch", { ok: true, values: { labels: [], done: false } }],
    ["create fills empty values", { name: "A" }, "create", { ok: true, values: { name: "A", labels: [], done: false, qty: null } }],
    ["create missing required", { qty: 1 }, "create", { ok: false, errors: { name: "Required" } }],
    [
      "several errors at once",
      { name: "", qty: "x", extra: true },
      "create",
      { ok: false, errors: { name: "Required", qty: "Must be a number", extra: "Unknown field" } },
    ],
  ];
  it.each(cases)("%s", (_name, input, mode, expected) => {
    expect(validateValues(fields, input, mode)).toEqual(expected);
  });

  it("reports a __proto__ key as unknown instead of losing it", () => {
    const result = validateValues(fields, JSON.parse('{"__proto__": 1}'), "patch");
    expect(result.ok).toBe(false);
    expect(!result.ok && Object.hasOwn(result.errors, "__proto__")).toBe(true);
  });
});

describe("emptyValue, valuesEqual, normalizeRecordValues", () => {
  it.each([
    ["checkbox", false],
    ["tags", []],
    ["text", null],
    ["counter", null],
  ] as const)("emptyValue(%s)", (type, expected) => {
    expect(emptyValue({ type })).toEqual(expected);
  });

  const equalCases: [FieldValue, FieldValue, boolean][] = [
    [null, null, true],
    ["a", "a", true],
    [1, 1, true],
    [1, "1", false],
    [["a", "b"], ["a", "b"], true],
    [["a", "b"], ["b", "a"], false],
    [[], null, false],
    [false, null, false],
  ];
  it.each(equalCases)("valuesEqual(%j, %j) is %s", (a, b, expected) => {
    expect(valuesEqual(a, b)).toBe(expected);
  });

  it("fills missing keys, null tags/checkbox, and keeps keys of removed fields", () => {
    const fields = [def("text", { key: "a" }), def("tags", { key: "b", ...choices }), def("checkbox", { key: "c" })];
    expect(normalizeRecordValues(fields, { a: "x", b: null, old: 3 })).toEqual({ a: "x", b: [], old: 3, c: false });
  });
});
