import { describe, expect, it } from "vitest";
import { mergeRecord } from "@/lib/merge";
import type { FieldDef } from "@/lib/types";
import { buildMerge, canApplyBoth, carryChoices, choiceValue, initialChoices, resolutionOf, setHunkChoice, type Choices } from "./merge-state";

const fields: FieldDef[] = [
  { key: "name", label: "Name", type: "text" },
  { key: "price", label: "Price", type: "number" },
  { key: "stock", label: "Stock", type: "counter" },
  { key: "notes", label: "Notes", type: "longtext" },
];

describe("merge dialog state", () => {
  const base = { name: "Lamp", price: 10, stock: 10, notes: "a\nb\nc\nd\ne" };
  const mine = { name: "Lamp (mine)", price: 9, stock: 9, notes: "a\nB mine\nc\nd\ne" };
  const theirs = { name: "Lamp (theirs)", price: 8, stock: 8, notes: "a\nB theirs\nc\nd\nE" };
  // Both sides' stock changes were operations (− buttons): they merge by themselves (M5).
  const result = mergeRecord(fields, base, mine, theirs, { mine: { stock: { add: -1 } }, theirs: { stock: { add: -2 } } });
  const conflict = (key: string) => result.conflicts.find((c) => c.key === key)!;

  it("starts with nothing chosen, long texts hunk by hunk", () => {
    const choices = initialChoices(result.conflicts);
    expect(choices.name).toBeUndefined();
    expect(choices.notes).toEqual({ kind: "hunks", choices: [undefined] });
    expect(buildMerge(result, choices).unresolved.sort()).toEqual(["name", "notes", "price"]);
    expect(result.autoMerged).toContainEqual({ key: "stock", how: "counter" });
  });

  it("keep mine, take theirs, apply both, edit", () => {
    expect(choiceValue(conflict("name"), { kind: "mine" })).toBe("Lamp (mine)");
    expect(choiceValue(conflict("name"), { kind: "theirs" })).toBe("Lamp (theirs)");
    expect(choiceValue(conflict("price"), { kind: "both" })).toBe(7);
    expect(choiceValue(conflict("name"), { kind: "edit", value: "Mine and theirs" })).toBe("Mine and theirs");
    expect(canApplyBoth(fields[1], conflict("price"))).toBe(true);
    expect(canApplyBoth(fields[0], conflict("name"))).toBe(false);
  });

  it("rebuilds a long text from per-hunk choices, keeping the merged hunks", () => {
    const notes = conflict("notes");
    const partial = setHunkChoice(undefined, 1, 0, "theirs");
    expect(choiceValue(notes, partial)).toBe("a\nB theirs\nc\nd\nE");
    expect(choiceValue(notes, setHunkChoice(partial, 1, 0, "mine"))).toBe("a\nB mine\nc\nd\nE");
    expect(choiceValue(notes, { kind: "hunks", choices: [undefined] })).toBeUndefined();
  });

  it("describes each choice for the history", () => {
    expect(resolutionOf({ kind: "mine" })).toBe("mine");
    expect(resolutionOf({ kind: "both" })).toBe("both");
    expect(resolutionOf({ kind: "hunks", choices: ["mine", "mine"] })).toBe("mine");
    expect(resolutionOf({ kind: "hunks", choices: ["mine", "theirs"] })).toBe("both");
    expect(resolutionOf({ kind: "hunks", choices: ["mine", ["typed"]] })).toBe("edit");
    // "Keep both" on a line is both sides, not a hand edit.
    expect(resolutionOf({ kind: "hunks", choices: ["both"] })).toBe("both");
    expect(resolutionOf({ kind: "hunks", choices: ["mine", "both"] })).toBe("both");
  });

  it("Keep both on a conflicting line keeps mine's lines then theirs', recorded as both", () => {
    const choice = setHunkChoice(undefined, 1, 0, "both");
    expect(choiceValue(conflict("notes"), choice)).toBe("a\nB mine\nB theirs\nc\nd\nE");
    const outcome = buildMerge(result, { name: { kind: "mine" }, price: { kind: "mine" }, notes: choice });
    expect(outcome.resolutions.notes).toBe("both");
  });

  describe("a refreshed dialog (someone saved again)", () => {
    const chosen: Choices = { name: { kind: "mine" }, price: { kind: "theirs" }, notes: { kind: "hunks", choices: ["theirs"] } };

    it("keeps the choices of fields that did not change again and marks the ones that did", () => {
      const again = mergeRecord(fields, base, mine, { ...theirs, price: 6 });
      const { choices, changedAgain } = carryChoices(result.conflicts, chosen, again.conflicts);
      expect(changedAgain).toEqual(["price"]);
      expect(choices.name).toEqual({ kind: "mine" });
      expect(choices.notes).toEqual({ kind: "hunks", choices: ["theirs"] });
      expect(choices.price).toBeUndefined();
    });

    it("a long text that changed again starts hunk by hunk; a hand-typed value survives", () => {
      const again = mergeRecord(fields, base, mine, { ...theirs, notes: "a\nB again\nc\nd\nE", name: "Lamp (again)" });
      const typed: Choices = { ...chosen, name: { kind: "edit", value: "Typed by hand" } };
      const { choices, changedAgain } = carryChoices(result.conflicts, typed, again.conflicts);
      expect(changedAgain.sort()).toEqual(["name", "notes"]);
      expect(choices.notes).toEqual({ kind: "hunks", choices: [undefined] });
      expect(choices.name).toEqual({ kind: "edit", value: "Typed by hand" });
      expect(choices.price).toEqual({ kind: "theirs" });
    });

    it("a field that is a conflict for the first time is not marked as changed again", () => {
      const first = mergeRecord(fields, base, mine, { ...theirs, name: base.name });
      const { changedAgain, choices } = carryChoices(first.conflicts, {}, result.conflicts);
      expect(changedAgain).toEqual([]);
      expect(choices.name).toBeUndefined();
    });
  });

  it("builds the values and notes a Save merged sends", () => {
    const outcome = buildMerge(result, {
      name: { kind: "mine" },
      price: { kind: "both" },
      notes: { kind: "hunks", choices: ["mine"] },
    });
    expect(outcome.unresolved).toEqual([]);
    expect(outcome.values).toEqual({ name: "Lamp (mine)", price: 7, stock: 7, notes: "a\nB mine\nc\nd\nE" });
    expect(outcome.resolutions).toEqual({ name: "mine", price: "both", stock: "auto", notes: "mine" });
  });
});
