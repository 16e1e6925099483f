import { describe, expect, it } from "vitest";
import { formatCell, keyFromHeader, mapColumns, readCell, readRow } from "./import";
import type { FieldDef } from "./types";

const fields: FieldDef[] = [
  { key: "name", label: "Name", type: "text", required: true, options: { maxLength: 10 } },
  { key: "stock", label: "In stock", type: "number", options: { integer: true, min: 0 } },
  { key: "tags", label: "Tags", type: "tags", options: { choices: ["red", "blue"] } },
  { key: "done", label: "Done", type: "checkbox" },
  { key: "body", label: "Body", type: "richtext" },
];

describe("mapColumns", () => {
  it("I1 matches headers by key, then by label, ignoring case and spaces", () => {
    expect(mapColumns(fields, ["name", " in STOCK ", "Tags"])).toEqual({ ok: true, columns: ["name", "stock", "tags"], newFields: [], ignored: [] });
  });

  it("I1 an explicit mapping wins; null ignores a column; unknown columns are errors unless fields are created", () => {
    expect(mapColumns(fields, ["Title", "Extra"], { Title: "name", Extra: null })).toMatchObject({ ok: true, columns: ["name", null], ignored: ["Extra"] });
    expect(mapColumns(fields, ["name", "Colour"])).toMatchObject({ ok: false, problems: { Colour: expect.stringMatching(/No field/) } });
    const created = mapColumns(fields, ["name", "Unit price"], {}, true);
    expect(created).toMatchObject({ ok: true, columns: ["name", "unit_price"], newFields: [{ key: "unit_price", label: "Unit price", type: "text" }] });
  });

  it("I1 refuses rich text, two columns for one field, and a mapping to nothing", () => {
    expect(mapColumns(fields, ["body"])).toMatchObject({ ok: false, problems: { body: expect.stringMatching(/rich text/) } });
    expect(mapColumns(fields, ["name", "Name"])).toMatchObject({ ok: false });
    expect(mapColumns(fields, ["a"], { a: "nope" })).toMatchObject({ ok: false });
    expect(mapColumns(fields, ["a"], { b: null })).toMatchObject({ ok: false });
  });

  it("keyFromHeader makes a valid, unused key", () => {
    expect(keyFromHeader("Unit price (€)", new Set())).toBe("unit_price");
    expect(keyFromHeader("2024", new Set())).toBe("f_2024");
    expect(keyFromHeader("Name", new Set(["name"]))).toBe("name_2");
  });
});

describe("readCell and readRow", () => {
  it("I2 reads cells by type and checks the field's rules", () => {
    expect(readCell(fields[1]!, " 12 ")).toEqual({ ok: true, value: 12 });
    expect(readCell(fields[1]!, "1,200")).toMatchObject({ ok: false });
    expect(readCell(fields[1]!, "-1")).toMatchObject({ ok: false });
    expect(readCell(fields[1]!, "")).toEqual({ ok: true, value: null });
    expect(readCell(fields[2]!, "red; blue")).toEqual({ ok: true, value: ["red", "blue"] });
    expect(readCell(fields[2]!, "green")).toMatchObject({ ok: false });
    expect(readCell(fields[3]!, "Yes")).toEqual({ ok: true, value: true });
    expect(readCell(fields[3]!, "maybe")).toMatchObject({ ok: false });
    expect(readCell(fields[0]!, "far too long a name")).toMatchObject({ ok: false });
  });

  it("I3 a row: every problem by field, unfilled fields empty, required unfilled refused", () => {
    expect(readRow(fields, ["name", "stock"], ["Lamp", "3"])).toEqual({ ok: true, values: { name: "Lamp", stock: 3, tags: [], done: false, body: null } });
    expect(readRow(fields, ["name", "stock"], ["", "x"])).toMatchObject({ ok: false, fields: { name: expect.any(String), stock: expect.any(String) } });
    expect(readRow(fields, ["stock"], ["1"])).toMatchObject({ ok: false, fields: { name: expect.stringMatching(/Required/) } });
    expect(readRow(fields, ["name"], ["a", "b"])).toMatchObject({ ok: false, fields: { _: expect.any(String) } });
  });

  it("I4 a formatted cell reads back as the same value", () => {
    for (const [def, value] of [
      [fields[1]!, 7],
      [fields[2]!, ["red", "blue"]],
      [fields[3]!, true],
      [fields[0]!, "Lamp"],
    ] as const) {
      expect(readCell(def, formatCell(def, value as never))).toEqual({ ok: true, value });
    }
  });

  it("I5 formula-like text is exported with a leading apostrophe and imported without it", () => {
    const text = fields[0]!;
    const long: FieldDef = { key: "n", label: "N", type: "longtext" };
    expect(formatCell(long, '=HYPERLINK("http://x")')).toBe('\'=HYPERLINK("http://x")');
    expect(formatCell(long, "@SUM(A1)")).toBe("'@SUM(A1)");
    expect(readCell(long, '\'=HYPERLINK("http://x")')).toEqual({ ok: true, value: '=HYPERLINK("http://x")' });
    expect(readCell(long, "'plain")).toEqual({ ok: true, value: "'plain" });
    expect(readCell(text, formatCell(text, "-5"))).toEqual({ ok: true, value: "-5" });
    expect(formatCell(fields[1]!, -5)).toBe("-5");
  });
});
