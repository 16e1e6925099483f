// Property tests of the merge invariants (lib/SPEC.md) over arbitrary fields and values.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { validateFieldValue, validateValues, valuesEqual } from "./fields";
import { conflictingKeys, mergeRecord } from "./merge";
import { FIELD_TYPES, type FieldDef, type FieldType, type FieldValue, type RecordValues } from "./types";

const CHOICES = ["a", "b", "c", "d", "e"];
const LINES = ["x", "y", "z", "", "x y"];

function arbDef(key: string): fc.Arbitrary<FieldDef> {
  return fc
    .record({ type: fc.constantFrom<FieldType>(...FIELD_TYPES), required: fc.boolean(), alwaysAsk: fc.boolean(), bounded: fc.boolean() })
    .map(({ type, required, alwaysAsk, bounded }) => {
      const def: FieldDef = { key, label: key, type, required, alwaysAsk };
      if (type === "select" || type === "tags") def.options = { choices: CHOICES };
      if (bounded && (type === "number" || type === "counter")) def.options = { min: 0, max: 20, integer: type === "number" ? false : undefined };
      if (bounded && (type === "text" || type === "longtext")) def.options = { maxLength: 12 };
      return def;
    });
}

function arbRawValue(def: FieldDef): fc.Arbitrary<FieldValue> {
  const orNull = <T extends FieldValue>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 5 });
  switch (def.type) {
    case "text":
    case "user":
      return orNull(fc.string({ maxLength: 8 }));
    case "longtext":
    case "richtext":
      return orNull(fc.array(fc.constantFrom(...LINES), { maxLength: 5 }).map((lines) => lines.join("\n")));
    case "number":
      return orNull(fc.oneof(fc.integer({ min: -5, max: 25 }), fc.double({ min: -5, max: 25, noNaN: true })));
    case "counter":
      return orNull(fc.integer({ min: -5, max: 25 }));
    case "select":
      return orNull(fc.constantFrom(...CHOICES));
    case "tags":
      return fc.shuffledSubarray(CHOICES);
    case "date":
      return orNull(fc.date({ min: new Date("1990-01-01"), max: new Date("2040-12-31"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)));
    case "checkbox":
      return fc.boolean();
  }
}

const arbValue = (def: FieldDef) => arbRawValue(def).filter((v) => validateFieldValue(def, v) === null);

/** Fields, then base, and mine/theirs that each keep or change every field of base. */
const arbScenario = fc
  .integer({ min: 1, max: 6 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => arbDef(`f${i}`))))
  .chain((fields) => {
    const arbValues = () => fc.tuple(...fields.map(arbValue));
    const arbMask = () => fc.array(fc.boolean(), { minLength: fields.length, maxLength: fields.length });
    return fc.record({
      fields: fc.constant(fields),
      base: arbValues(),
      mine: arbValues(),
      theirs: arbValues(),
      mineMask: arbMask(),
      theirsMask: arbMask(),
    });
  })
  .map(({ fields, base, mine, theirs, mineMask, theirsMask }) => {
    const toRecord = (values: FieldValue[]) => Object.fromEntries(fields.map((def, i) => [def.key, values[i]]));
    const side = (values: FieldValue[], mask: boolean[]) => toRecord(values.map((v, i) => (mask[i] ? v : base[i])));
    return { fields, base: toRecord(base), mine: side(mine, mineMask), theirs: side(theirs, theirsMask) };
  });

const conflictKeys = (fields: FieldDef[], b: RecordValues, m: RecordValues, t: RecordValues) =>
  mergeRecord(fields, b, m, t)
    .conflicts.map((c) => c.key)
    .sort();

describe("merge invariants (property)", () => {
  it("M1/M2 an unchanged side yields the other side, without conflicts", () => {
    fc.assert(
      fc.property(arbScenario, ({ fields, base, mine, theirs }) => {
        const takeTheirs = mergeRecord(fields, base, base, theirs);
        expect(takeTheirs.conflicts).toEqual([]);
        expect(takeTheirs.merged).toEqual(theirs);
        const takeMine = mergeRecord(fields, base, mine, base);
        expect(takeMine.conflicts).toEqual([]);
        expect(takeMine.merged).toEqual(mine);
      }),
    );
  });

  it("M2 a field changed on one side only never conflicts", () => {
    fc.assert(
      fc.property(arbScenario, ({ fields, base, mine, theirs }) => {
        const conflicts = new Set(conflictKeys(fields, base, mine, theirs));
        for (const { key } of fields) {
          if (valuesEqual(base[key], mine[key]) || valuesEqual(base[key], theirs[key])) expect(conflicts.has(key)).toBe(false);
        }
      }),
    );
  });

  it("M5–M7/M11 merged values come from base, mine or theirs, except counter, tags and text merges", () => {
    fc.assert(
      fc.property(arbScenario, ({ fields, base, mine, theirs }) => {
        const result = mergeRecord(fields, base, mine, theirs);
        const computed = new Set(result.autoMerged.filter((a) => ["counter", "tags", "text"].includes(a.how)).map((a) => a.key));
        for (const { key } of fields) {
          if (computed.has(key)) continue;
          const value = result.merged[key];
          expect([base[key], mine[key], theirs[key]].some((v) => valuesEqual(v, value))).toBe(true);
        }
      }),
    );
  });

  it("M4–M11 which keys conflict does not depend on which side is mine", () => {
    fc.assert(
      fc.property(arbScenario, ({ fields, base, mine, theirs }) => {
        expect(conflictKeys(fields, base, mine, theirs)).toEqual(conflictKeys(fields, base, theirs, mine));
      }),
    );
  });

  it("M12 conflictingKeys is symmetric and covers every conflict", () => {
    fc.assert(
      fc.property(arbScenario, ({ fields, base, mine, theirs }) => {
        const keys = fields.map((def) => def.key);
        const clashing = conflictingKeys(base, mine, theirs, keys);
        expect(conflictingKeys(base, theirs, mine, keys)).toEqual(clashing);
        for (const key of conflictKeys(fields, base, mine, theirs)) expect(clashing).toContain(key);
      }),
    );
  });

  it("M9 merged values of fields without conflicts pass validation", () => {
    fc.assert(
      fc.property(arbScenario, ({ fields, base, mine, theirs }) => {
        const result = mergeRecord(fields, base, mine, theirs);
        const conflicts = new Set(result.conflicts.map((c) => c.key));
        const settled = Object.fromEntries(Object.entries(result.merged).filter(([key]) => !conflicts.has(key)));
        if (Object.keys(settled).length === 0) return;
        expect(validateValues(fields, settled, "patch")).toEqual({ ok: true, values: settled });
      }),
    );
  });
});
