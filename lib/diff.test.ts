import { describe, expect, it } from "vitest";
import { compareSnapshots, diffValues, wordDiff, type WordDiffPart } from "./diff";
import type { FieldChanges, RecordValues } from "./types";

describe("diffValues", () => {
  const cases: [string, RecordValues, RecordValues, FieldChanges][] = [
    ["no change", { a: 1, t: ["x"] }, { a: 1, t: ["x"] }, {}],
    ["changed value", { a: 1 }, { a: 2 }, { a: { from: 1, to: 2 } }],
    ["tag order counts", { t: ["x", "y"] }, { t: ["y", "x"] }, { t: { from: ["x", "y"], to: ["y", "x"] } }],
    ["added key reads from null", {}, { a: "x" }, { a: { from: null, to: "x" } }],
    ["removed key reads to null", { a: "x" }, {}, { a: { from: "x", to: null } }],
    ["missing vs null is no change", { a: null }, {}, {}],
    ["type change", { a: 1 }, { a: "1" }, { a: { from: 1, to: "1" } }],
  ];
  it.each(cases)("%s", (_name, before, after, expected) => {
    expect(diffValues(before, after)).toEqual(expected);
  });

  it("compareSnapshots works in either direction", () => {
    const v1 = { a: 1, b: "x" };
    const v5 = { a: 3, b: "x", c: true };
    expect(compareSnapshots(v1, v5)).toEqual({ a: { from: 1, to: 3 }, c: { from: null, to: true } });
    expect(compareSnapshots(v5, v1)).toEqual({ a: { from: 3, to: 1 }, c: { from: true, to: null } });
  });
});

describe("wordDiff", () => {
  const cases: [string, string, string, WordDiffPart[]][] = [
    ["equal", "same text", "same text", [{ kind: "same", text: "same text" }]],
    ["both empty", "", "", []],
    ["from empty", "", "new", [{ kind: "added", text: "new" }]],
    ["to empty", "old", "", [{ kind: "removed", text: "old" }]],
    [
      "one word replaced",
      "the quick fox",
      "the slow fox",
      [
        { kind: "same", text: "the " },
        { kind: "removed", text: "quick" },
        { kind: "added", text: "slow" },
        { kind: "same", text: " fox" },
      ],
    ],
  ];
  it.each(cases)("%s", (_name, a, b, expected) => {
    expect(wordDiff(a, b)).toEqual(expected);
  });

  it("rebuilds both texts from its parts", () => {
    const a = "Hello,  world!\nsecond line";
    const b = "Hello there, world?\nsecond  line";
    const parts = wordDiff(a, b);
    expect(
      parts
        .filter((p) => p.kind !== "added")
        .map((p) => p.text)
        .join(""),
    ).toBe(a);
    expect(
      parts
        .filter((p) => p.kind !== "removed")
        .map((p) => p.text)
        .join(""),
    ).toBe(b);
  });
});
