import { describe, expect, it } from "vitest";
import { countDrafts, writeDraft } from "@/components/record/draft-storage";
import { crashMessage } from "./crash-message";

function memoryStorage() {
  const map = new Map<string, string>();
  return {
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
    key: (i: number) => [...map.keys()][i] ?? null,
    get length() {
      return map.size;
    },
  };
}

describe("the crash page", () => {
  it("does not claim unsaved edits are kept when there are none", () => {
    expect(crashMessage(undefined, 0)).not.toMatch(/unsaved/i);
    expect(crashMessage("abc", 0)).toBe("Reference abc. Try again, or go back to your collections.");
  });

  it("says edits are kept when a draft exists", () => {
    const storage = memoryStorage();
    writeDraft(storage, { recordId: "r1", baseVersion: 2, etag: '"2"', edits: { name: "x" }, savedAt: "" });
    writeDraft(storage, { recordId: "r2", baseVersion: 1, etag: '"1"', edits: { name: "y" }, savedAt: "" });
    storage.setItem("other-app", "1");
    expect(countDrafts(storage)).toBe(2);
    expect(countDrafts(storage, "r1")).toBe(1);
    expect(crashMessage(undefined, countDrafts(storage, "r1"))).toBe(
      "Unsaved edits to one record are kept in this browser; they come back when you open the record again.",
    );
  });
});
