import { beforeEach, describe, expect, it } from "vitest";
import { clearDrafts, draftKey, readLatestDraft, writeDraft, type Draft, type DraftStorage } from "./draft-storage";

class MemoryStorage implements DraftStorage {
  private map = new Map<string, string>();
  get length() {
    return this.map.size;
  }
  key(i: number) {
    return [...this.map.keys()][i] ?? null;
  }
  getItem(key: string) {
    return this.map.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.map.set(key, value);
  }
  removeItem(key: string) {
    this.map.delete(key);
  }
}

const draft = (over: Partial<Draft> = {}): Draft => ({
  recordId: "r1",
  baseVersion: 3,
  etag: '"3-abcdef01"',
  edits: { name: "x" },
  savedAt: "2026-01-01T10:00:00Z",
  ...over,
});

describe("draft storage", () => {
  let storage: MemoryStorage;
  beforeEach(() => {
    storage = new MemoryStorage();
  });

  it("keeps one draft per record and base version", () => {
    writeDraft(storage, draft());
    expect(storage.getItem(draftKey("r1", 3))).not.toBeNull();
    expect(readLatestDraft(storage, "r1")).toEqual(draft());
    expect(readLatestDraft(storage, "r2")).toBeNull();
  });

  it("a draft on a newer base replaces the older one", () => {
    writeDraft(storage, draft());
    writeDraft(storage, draft({ baseVersion: 5, etag: '"5-abcdef01"', edits: { name: "y" } }));
    expect(storage.length).toBe(1);
    expect(readLatestDraft(storage, "r1")?.edits).toEqual({ name: "y" });
  });

  it("does not touch other records' drafts", () => {
    writeDraft(storage, draft());
    writeDraft(storage, draft({ recordId: "r2" }));
    clearDrafts(storage, "r1");
    expect(readLatestDraft(storage, "r1")).toBeNull();
    expect(readLatestDraft(storage, "r2")).not.toBeNull();
  });

  it("ignores malformed or empty entries", () => {
    storage.setItem(draftKey("r1", 1), "{not json");
    storage.setItem(draftKey("r1", 2), JSON.stringify({ ...draft({ baseVersion: 2 }), edits: {} }));
    storage.setItem(draftKey("r1", 4), JSON.stringify({ recordId: "other", baseVersion: 4, etag: "x", edits: { a: 1 } }));
    expect(readLatestDraft(storage, "r1")).toBeNull();
  });

  it("survives a storage that refuses writes", () => {
    const full: DraftStorage = Object.assign(new MemoryStorage(), {
      setItem: () => {
        throw new Error("QuotaExceededError");
      },
    });
    expect(() => writeDraft(full, draft())).not.toThrow();
  });
});
