import { describe, expect, it } from "vitest";
import { joinNames, readRevisionMeta, revisionAuthors } from "./revision-meta";

const alice = { id: "u1", name: "Alice Owner" };
const dana = { id: "u2", name: "Dana Editor" };

describe("V1 readRevisionMeta", () => {
  it.each([
    ["no meta", null, { kind: "none" }],
    ["a merge", { baseVersion: 2, overrodeVersion: 3, fields: { name: "mine", stock: "auto" } }, { kind: "merge" }],
    ["a whole restore", { restoredFrom: 1 }, { kind: "restore" }],
    ["a field restore", { restoredFrom: 1, fields: ["name"] }, { kind: "restore" }],
    // The shape that crashed the history: a checkpoint has neither fields nor baseVersion.
    ["a rich-text checkpoint", { checkpoint: true, editors: [alice, dana] }, { kind: "checkpoint" }],
  ])("reads %s", (_title, value, expected) => {
    expect(readRevisionMeta(value)).toMatchObject(expected);
  });

  it.each([
    ["a string", "merge"],
    ["an array", [1, 2]],
    ["a merge without fields", { baseVersion: 2, overrodeVersion: 3 }],
    ["a merge with an unknown resolution", { baseVersion: 2, overrodeVersion: 3, fields: { name: "guessed" } }],
    ["a restore of version 0", { restoredFrom: 0 }],
    ["a checkpoint whose editors are not people", { checkpoint: true, editors: ["Alice"] }],
    ["a future kind", { imported: "csv" }],
  ])("calls %s unknown instead of guessing", (_title, value) => {
    expect(readRevisionMeta(value)).toEqual({ kind: "unknown" });
  });

  it("keeps what it read", () => {
    expect(readRevisionMeta({ restoredFrom: 4, fields: ["price"] })).toEqual({ kind: "restore", meta: { restoredFrom: 4, fields: ["price"] } });
  });
});

describe("V2 revisionAuthors", () => {
  it("names every editor of a checkpoint once, in order", () => {
    expect(revisionAuthors(alice, { checkpoint: true, editors: [dana, alice, dana] })).toEqual([dana, alice]);
  });

  it("falls back to the author for other kinds and for a checkpoint without editors", () => {
    expect(revisionAuthors(alice, null)).toEqual([alice]);
    expect(revisionAuthors(alice, { baseVersion: 1, overrodeVersion: 2, fields: {} })).toEqual([alice]);
    expect(revisionAuthors(alice, { checkpoint: true, editors: [] })).toEqual([alice]);
  });
});

describe("V3 joinNames", () => {
  it.each([
    [[], ""],
    [["Alice"], "Alice"],
    [["Alice", "Dana"], "Alice and Dana"],
    [["Alice", "Dana", "Victor"], "Alice, Dana and Victor"],
  ])("%j → %s", (names, expected) => {
    expect(joinNames(names)).toBe(expected);
  });
});
