import { describe, expect, it } from "vitest";
import { joinLines, mergeText, resolveHunks, splitLines, type HunkChoice } from "./text-merge";
import type { TextHunk } from "./types";

describe("splitLines / joinLines (M7)", () => {
  const texts = ["", "a", "a\nb", "a\nb\n", "\n", "\n\n", "a\r\nb\r\n", " x \n\n y"];
  it.each(texts)("M7 round-trips %j exactly", (text) => {
    expect(joinLines(splitLines(text))).toBe(text);
  });

  it("M7 null and empty text have no lines", () => {
    expect(splitLines(null)).toEqual([]);
    expect(splitLines("")).toEqual([]);
  });
});

describe("mergeText (M7)", () => {
  const clean: [string, string, string, string, string][] = [
    ["M7 edits far apart", "a\nb\nc\nd", "A\nb\nc\nd", "a\nb\nc\nD", "A\nb\nc\nD"],
    ["M7 identical edits are no conflict", "a\nb", "a\nX", "a\nX", "a\nX"],
    ["M7 insert at start, trailing newline at end", "a\nb\nc", "x\na\nb\nc", "a\nb\nc\n", "x\na\nb\nc\n"],
    ["M7 from empty base, only one side", "", "", "new\n", "new\n"],
  ];
  it.each(clean)("%s", (_title, base, mine, theirs, expected) => {
    const result = mergeText(base, mine, theirs);
    expect(result).toMatchObject({ isClean: true, text: expected });
  });

  const conflicts: [string, string | null, string | null, string | null][] = [
    ["M7 same line changed differently", "a\nb\nc", "a\nX\nc", "a\nY\nc"],
    ["M7 adjacent lines changed (as GNU diff3)", "a\nb\nc", "A\nb\nc", "a\nB\nc"],
    ["M7 trailing newline added next to an edit of the last line", "a\nb", "a\nb\n", "a\nc"],
    ["M7 both fill an empty text", null, "x", "y"],
  ];
  it.each(conflicts)("%s", (_title, base, mine, theirs) => {
    const result = mergeText(base, mine, theirs);
    expect(result.isClean).toBe(false);
    expect(result.hunks.some((h) => h.kind === "conflict")).toBe(true);
  });
});

describe("resolveHunks (M13)", () => {
  const base = "a\nb\nc\nd\ne";
  const mine = "a\nX\nc\nd\nE\n";
  const theirs = "a\nY\nc\nd\ne";
  const hunks = mergeText(base, mine, theirs).hunks;

  const cases: [string, HunkChoice[], string][] = [
    ["M13 mine keeps the other side's merged hunks", ["mine"], "a\nX\nc\nd\nE\n"],
    ["M13 theirs", ["theirs"], "a\nY\nc\nd\nE\n"],
    ["M13 base", ["base"], "a\nb\nc\nd\nE\n"],
    ["M13 both: mine's lines, then theirs'", ["both"], "a\nX\nY\nc\nd\nE\n"],
    ["M13 hand-typed lines", [["X", "Y"]], "a\nX\nY\nc\nd\nE\n"],
    ["M13 hand-typed nothing deletes the hunk", [[]], "a\nc\nd\nE\n"],
  ];
  it.each(cases)("%s", (_title, choices, expected) => {
    expect(resolveHunks(hunks, choices)).toBe(expected);
  });

  const roundTrips: [string, string, string][] = [
    ["a\nb", "a\nb\n", "a\nc"],
    ["a\nb\n", "a\nb", "a\nc\n"],
    ["x\r\ny\r\n", "x\r\nY\r\n", "x\r\nZ\r\n"],
    ["", "one\n", "two"],
  ];
  it.each(roundTrips)("M13 choosing mine or theirs everywhere gives that side back: %j %j %j", (b, m, t) => {
    const { hunks: h } = mergeText(b, m, t);
    const count = h.filter((hunk) => hunk.kind === "conflict").length;
    expect(resolveHunks(h, Array(count).fill("mine"))).toBe(m);
    expect(resolveHunks(h, Array(count).fill("theirs"))).toBe(t);
  });

  it("M13 throws when a conflict hunk has no choice", () => {
    const h: TextHunk[] = [{ kind: "conflict", base: [], mine: ["a"], theirs: ["b"] }];
    expect(() => resolveHunks(h, [])).toThrow(RangeError);
  });
});
