import { describe, expect, it } from "vitest";
import { findImpreciseNumber, findUnstorable, MAX_JSON_DEPTH, nestsDeeperThan, unstorableText } from "./input-safety";

describe("input PostgreSQL cannot keep", () => {
  it.each([
    ["plain text", "Desk lamp", null],
    ["emoji (a surrogate pair)", "lamp 💡", null],
    ["NUL", "a\u0000b", /NUL/],
    ["a lone high surrogate", "a\ud800b", /unpaired/],
    ["a lone low surrogate", "\udc00", /unpaired/],
    ["a high surrogate at the end", "abc\ud83d", /unpaired/],
  ])("S1 %s", (_title, text, expected) => {
    const problem = unstorableText(text);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });

  it("S2 finds the first unstorable string anywhere in a value, keys included, and says where", () => {
    expect(findUnstorable({ values: { name: "ok", tags: ["a", "b\u0000"] } })).toEqual({ path: "values.tags[1]", message: expect.stringMatching(/NUL/) });
    expect(findUnstorable({ values: { "bad\u0000key": 1 } })).toMatchObject({ path: "values.<key>" });
    expect(findUnstorable({ a: [1, true, null, { b: "fine" }] })).toBeNull();
  });

  it.each([
    ['{"price": 9007199254740993}', { key: "price", literal: "9007199254740993" }],
    ['{"a": 1, "b": {"c": 0.1000000000000000055511151231257827}}', { key: "c", literal: "0.1000000000000000055511151231257827" }],
    ['{"n": 1e400}', { key: "n", literal: "1e400" }],
    ['{"n": 9007199254740992, "m": 1.50, "k": 15e-1, "z": -0.0, "s": "9007199254740993"}', null],
    ["[0.1, 0.2, 0.30000000000000004, 123456789012345678901234567890e-10]", { key: null, literal: "123456789012345678901234567890e-10" }],
    ['{"key with \\" quote": 2}', null],
  ])("S3 %s", (json, expected) => {
    expect(findImpreciseNumber(json)).toEqual(expected);
  });

  it("S4 counts how deep arrays and objects nest, not brackets inside strings", () => {
    const nested = (levels: number) => `${'{"a":['.repeat(levels / 2)}1${"]}".repeat(levels / 2)}`;
    expect(nestsDeeperThan(nested(MAX_JSON_DEPTH))).toBe(false);
    expect(nestsDeeperThan(nested(MAX_JSON_DEPTH + 2))).toBe(true);
    expect(nestsDeeperThan(`${"[".repeat(100_000)}${"]".repeat(100_000)}`)).toBe(true);
    expect(nestsDeeperThan(JSON.stringify({ values: { notes: "[".repeat(1000) + '\\"{' } }))).toBe(false);
    // Siblings do not add up: a thousand flat objects are one level below the array.
    expect(nestsDeeperThan(JSON.stringify(Array.from({ length: 1000 }, () => ({ a: [1] }))))).toBe(false);
  });
});
