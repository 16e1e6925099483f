// CSV import and export of records (SPEC I): columns mapped to fields, cells read as field values
// and checked with the field's rules, values written back as cells. Pure: no I/O.
import { emptyValue, validateFieldValue } from "./field-value";
import { FIELD_KEY_PATTERN } from "./fields";
import { readPlainNumber, splitTags } from "./schema";
import type { FieldDef, FieldValue, RecordValues } from "./types";

/** Per column: the field it fills, or null (ignored). */
export type ColumnMapping = (string | null)[];

/** A row an import refused, numbered as in a spreadsheet (the header is row 1), with why per field. */
export type ImportFailure = { row: number; fields: Record<string, string> };

/** What an import was started with, so that the page can offer to send the same file again. */
export type ImportOptions = { mapping?: Record<string, string | null>; createFields?: boolean };

/** An import job as the API answers it. */
export type ImportJobDto = {
  id: string;
  collectionId: string;
  /** interrupted: its process stopped (its lease ran out); the same file and key go on from `processed` */
  status: "running" | "done" | "failed" | "interrupted";
  total: number;
  processed: number;
  created: number;
  failedCount: number;
  failed: ImportFailure[];
  error: string | null;
  /** 1, and one more each time it was taken over and resumed */
  attempts: number;
  /** what it was sent with: the same key, options and file resume it */
  key: string;
  options: ImportOptions;
  createdAt: string;
  updatedAt: string;
};

/** What an import would do, before anything is written. */
export type ImportPreview = {
  status: "preview";
  columns: { column: string; field: string | null }[];
  newFields: FieldDef[];
  total: number;
  valid: number;
  failedCount: number;
  failed: ImportFailure[];
};

export type MappingResult = { ok: true; columns: ColumnMapping; newFields: FieldDef[]; ignored: string[] } | { ok: false; problems: Record<string, string> };

const normalize = (text: string) => text.trim().toLowerCase();

/** A field key made from a column's header: "Unit price (€)" → "unit_price". */
export function keyFromHeader(header: string, taken: Set<string>): string {
  let base = normalize(header)
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 50);
  if (!/^[a-z]/.test(base)) base = `f_${base}`.replace(/_+$/, "");
  let key = base;
  for (let n = 2; taken.has(key); n++) key = `${base}_${n}`;
  return key;
}

/**
 * I1: maps a header row to fields. An explicit `mapping` (header → field key, or null to ignore)
 * wins; otherwise a header matches a field's key, then its label (case and surrounding spaces
 * ignored). An unmatched header is an error unless `createFields` (a text field is made from it)
 * or it is mapped to null. Rich text cannot be imported from CSV; two columns cannot fill one field.
 */
export function mapColumns(fields: FieldDef[], header: string[], mapping: Record<string, string | null> = {}, createFields = false): MappingResult {
  const problems: Record<string, string> = {};
  const byKey = new Map(fields.map((def) => [def.key, def]));
  const byLabel = new Map(fields.map((def) => [normalize(def.label), def]));
  const taken = new Set(fields.map((def) => def.key));
  const columns: ColumnMapping = [];
  const newFields: FieldDef[] = [];
  const ignored: string[] = [];
  const used = new Map<string, string>();
  for (const name of Object.keys(mapping)) if (!header.includes(name)) problems[name] = `The mapping names a column "${name}" the file does not have`;
  header.forEach((column, i) => {
    const label = column.trim() || `Column ${i + 1}`;
    let def: FieldDef | undefined;
    if (Object.hasOwn(mapping, column)) {
      const target = mapping[column];
      if (target === null) {
        columns.push(null);
        ignored.push(label);
        return;
      }
      def = byKey.get(target!);
      if (!def) {
        problems[label] = `Mapped to "${target}", which is not a field of this collection`;
        columns.push(null);
        return;
      }
    } else {
      def = byKey.get(column.trim()) ?? byLabel.get(normalize(column));
    }
    if (!def && createFields) {
      const key = keyFromHeader(label, taken);
      taken.add(key);
      def = { key, label: label.slice(0, 200), type: "text", options: { maxLength: 10_000 } };
      if (!FIELD_KEY_PATTERN.test(key)) {
        problems[label] = "Cannot make a field key from this header";
        columns.push(null);
        return;
      }
      newFields.push(def);
    }
    if (!def) {
      problems[label] = "No field has this key or label: map it to a field, ignore it, or create fields from new columns";
      columns.push(null);
      return;
    }
    if (def.type === "richtext") problems[label] = `"${def.label}" is rich text, which cannot be imported from CSV`;
    const earlier = used.get(def.key);
    if (earlier !== undefined) problems[label] = `"${earlier}" already fills "${def.label}"`;
    used.set(def.key, label);
    columns.push(def.key);
  });
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  return { ok: true, columns, newFields, ignored };
}

export type CellResult = { ok: true; value: FieldValue } | { ok: false; message: string };

const TRUE_CELLS = new Set(["true", "yes", "y", "1", "x", "on"]);
const FALSE_CELLS = new Set(["false", "no", "n", "0", "off"]);

/**
 * I2: one cell read as a field's value, then checked with the field's rules (validateFieldValue).
 * An empty cell is the field's empty value. Numbers are plain ("1234.5", no separators); tags are
 * separated by ";" (or "," without any ";"); checkboxes read true/false, yes/no, 1/0, x.
 */
export function readCell(def: FieldDef, cell: string): CellResult {
  const raw = def.type === "text" || def.type === "longtext" ? cell : cell.trim();
  const text = def.type === "number" || def.type === "counter" ? raw : unguard(raw);
  let value: unknown;
  if (text === "") value = emptyValue(def);
  else if (def.type === "number" || def.type === "counter") {
    value = readPlainNumber(text);
    if (value === null) return { ok: false, message: `"${text.slice(0, 40)}" is not a number (write it plainly, e.g. 1234.5)` };
  } else if (def.type === "checkbox") {
    const word = text.toLowerCase();
    if (!TRUE_CELLS.has(word) && !FALSE_CELLS.has(word)) return { ok: false, message: `"${text.slice(0, 40)}" is not yes or no` };
    value = TRUE_CELLS.has(word);
  } else if (def.type === "tags") value = splitTags(text);
  else value = text;
  const message = validateFieldValue(def, value);
  return message ? { ok: false, message } : { ok: true, value: value as FieldValue };
}

export type RowResult = { ok: true; values: RecordValues } | { ok: false; fields: Record<string, string> };

/**
 * I3: a data row read with the mapping: every mapped cell is read (I2); fields no column fills get
 * their empty value, and a required one among them is an error. A row with more cells than the
 * header is refused (`_`).
 */
export function readRow(fields: FieldDef[], columns: ColumnMapping, cells: string[]): RowResult {
  const byKey = new Map(fields.map((def) => [def.key, def]));
  const errors: [string, string][] = [];
  const values: [string, FieldValue][] = [];
  if (cells.length > columns.length) errors.push(["_", `This row has ${cells.length} cells; the header has ${columns.length}`]);
  const filled = new Set<string>();
  columns.forEach((key, i) => {
    if (key === null) return;
    const def = byKey.get(key);
    if (!def) return;
    filled.add(key);
    const read = readCell(def, cells[i] ?? "");
    if (read.ok) values.push([key, read.value]);
    else errors.push([key, read.message]);
  });
  for (const def of fields) {
    if (filled.has(def.key)) continue;
    if (def.required) errors.push([def.key, "Required, and no column fills it"]);
    else values.push([def.key, emptyValue(def)]);
  }
  if (errors.length > 0) return { ok: false, fields: Object.fromEntries(errors) };
  return { ok: true, values: Object.fromEntries(values) };
}

/** A cell a spreadsheet would run as a formula (=, +, -, @, tab, carriage return first). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * I4: a value written as a cell, so that reading it back (I2) gives the same value. I5: text that a
 * spreadsheet would run as a formula gets a leading apostrophe (the export cannot carry an attack
 * into Excel or Sheets); reading a cell drops that apostrophe again.
 */
export function formatCell(def: FieldDef, value: FieldValue | undefined): string {
  if (value === null || value === undefined) return "";
  if (def.type === "number" || def.type === "counter" || typeof value === "number") return String(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  const text = Array.isArray(value) ? value.join("; ") : String(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** I5: the apostrophe formatCell put before a formula-like text is not part of the value. */
function unguard(text: string): string {
  return text.startsWith("'") && FORMULA_START.test(text.slice(1)) ? text.slice(1) : text;
}
