import { describe, expect, it } from "vitest";
import { changedValues, editsAfterSave, hasEdits, setEdit } from "./edits";

describe("form edits", () => {
  const base = { name: "Lamp", stock: 10, tags: ["a"], notes: null };

  it("sends only the fields that differ from the base version", () => {
    expect(changedValues(base, { name: "Lamp", stock: 9, tags: ["a"] })).toEqual({ stock: 9 });
    expect(changedValues(base, { notes: null })).toEqual({});
    expect(changedValues(base, { tags: ["a", "b"] })).toEqual({ tags: ["a", "b"] });
  });

  it("typing the old value back is no change", () => {
    const edited = setEdit(base, {}, "name", "Lamp 2");
    expect(edited).toEqual({ name: "Lamp 2" });
    expect(setEdit(base, edited, "name", "Lamp")).toEqual({});
    expect(hasEdits(base, edited)).toBe(true);
  });

  it("after a save keeps only what was typed while it was in flight", () => {
    const sent = { stock: 9 };
    // merged on the server to 7: the sent edit is done, not a new change
    expect(editsAfterSave({ stock: 9 }, sent, { ...base, stock: 7 })).toEqual({});
    // the user typed in another field meanwhile
    expect(editsAfterSave({ stock: 9, name: "Desk lamp" }, sent, { ...base, stock: 9 })).toEqual({ name: "Desk lamp" });
    // and changed the sent field again
    expect(editsAfterSave({ stock: 5 }, sent, { ...base, stock: 9 })).toEqual({ stock: 5 });
  });
});
