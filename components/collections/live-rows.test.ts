import { describe, expect, it } from "vitest";
import type { RecordDto } from "@/lib/types";
import { applyRowsEvent } from "./live-rows";
import type { TableQuery } from "./table-query";

const query: TableQuery = { q: "", sort: { key: "createdAt", dir: "asc" }, filter: null };
const row = (id: string, version = 1, name = id): RecordDto => ({
  id,
  collectionId: "c",
  version,
  values: { name },
  createdAt: "2026-01-01T00:00:00Z",
  updatedAt: "2026-01-01T00:00:00Z",
  updatedBy: { id: "u", name: "U" },
  deletedAt: null,
});
const event = (recordId: string, version: number, name: string) => ({
  recordId,
  collectionId: "c",
  version,
  changedFields: ["name"],
  by: { id: "d", name: "Dana" },
  values: { name },
});

describe("live rows of the records table", () => {
  const rows = { records: [row("a"), row("b")], hasMore: false };
  it("a save replaces the row's values and keeps its creation time", () => {
    const out = applyRowsEvent(rows, { kind: "saved", event: event("a", 2, "A2") }, query, "2026-02-02T00:00:00Z");
    expect(out[0]).toMatchObject({
      version: 2,
      values: { name: "A2" },
      createdAt: "2026-01-01T00:00:00Z",
      updatedAt: "2026-02-02T00:00:00Z",
      updatedBy: { name: "Dana" },
    });
  });
  it("a late event (older version) changes nothing", () => {
    const newer = { records: [row("a", 5)], hasMore: false };
    expect(applyRowsEvent(newer, { kind: "saved", event: event("a", 4, "old") }, query)).toBe(newer.records);
  });
  it("a created record is added when every page is loaded and it matches the search", () => {
    expect(applyRowsEvent(rows, { kind: "created", event: event("c", 1, "Lamp") }, query)).toHaveLength(3);
    expect(applyRowsEvent(rows, { kind: "created", event: event("c", 1, "Lamp") }, { ...query, q: "desk" })).toHaveLength(2);
    expect(applyRowsEvent({ ...rows, hasMore: true }, { kind: "created", event: event("c", 1, "Lamp") }, query)).toHaveLength(2);
  });
  it("a deleted record leaves the table; a save of a row not held is ignored", () => {
    expect(
      applyRowsEvent(rows, { kind: "deleted", event: { recordId: "a", collectionId: "c", version: 3, by: { id: "d", name: "Dana" } } }, query).map((r) => r.id),
    ).toEqual(["b"]);
    expect(applyRowsEvent(rows, { kind: "saved", event: event("zz", 2, "x") }, query)).toBe(rows.records);
  });
});
