import { describe, expect, it } from "vitest";
import type { RecordDto } from "@/lib/types";
import { queryParams, tableColumns, visibleRows } from "./table-query";

const row = (id: string, values: RecordDto["values"]): RecordDto => ({
  id,
  collectionId: "c",
  version: 1,
  values,
  createdAt: `2026-01-0${id}T00:00:00Z`,
  updatedAt: "2026-01-01T00:00:00Z",
  updatedBy: { id: "u", name: "U" },
  deletedAt: null,
});

describe("records table query", () => {
  it("sends search, sort, filter and cursor as API parameters", () => {
    const params = queryParams({ q: " lamp ", sort: { key: "price", dir: "desc" }, filter: { key: "category", value: "Cables" } }, "abc");
    expect(params).toEqual({ limit: "50", q: "lamp", sort: "price", dir: "desc", "filter.category": "Cables", cursor: "abc" });
    expect(queryParams({ q: "", sort: { key: "createdAt", dir: "asc" }, filter: null }, null)).toEqual({ limit: "50", sort: "createdAt", dir: "asc" });
  });

  it("filters and orders loaded rows, nulls last ascending", () => {
    const rows = [row("1", { price: 5, category: "A" }), row("2", { price: null, category: "A" }), row("3", { price: 2, category: "B" })];
    const asc = visibleRows(rows, { q: "", sort: { key: "price", dir: "asc" }, filter: null });
    expect(asc.map((r) => r.id)).toEqual(["3", "1", "2"]);
    const desc = visibleRows(rows, { q: "", sort: { key: "price", dir: "desc" }, filter: { key: "category", value: "A" } });
    expect(desc.map((r) => r.id)).toEqual(["2", "1"]);
  });

  it("shows the fields that fit a cell", () => {
    const cols = tableColumns([
      { key: "a", label: "A", type: "text" },
      { key: "n", label: "N", type: "longtext" },
      { key: "r", label: "R", type: "richtext" },
      { key: "b", label: "B", type: "number" },
    ]);
    expect(cols.map((c) => c.key)).toEqual(["a", "b"]);
  });
});

describe("exportQuery", () => {
  it("carries the table's search, filter and sort, without paging", async () => {
    const { exportQuery } = await import("./table-query");
    const params = new URLSearchParams(exportQuery({ q: " lamp ", sort: { key: "name", dir: "desc" }, filter: { key: "size", value: "M" } }, "csv"));
    expect(Object.fromEntries(params)).toEqual({ sort: "name", dir: "desc", q: "lamp", "filter.size": "M", format: "csv" });
  });
});
