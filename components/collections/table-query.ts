// Query state of the records table, and the same ordering applied to the rows already loaded
// (so a page reads sorted even while the server's sort/filter support is being rolled out).
import type { FieldDef, FieldValue, RecordDto } from "@/lib/types";

export type SortState = { key: string; dir: "asc" | "desc" };
export type TableQuery = { q: string; sort: SortState; filter: { key: string; value: string } | null };

export function queryParams(query: TableQuery, cursor: string | null, limit = 50): Record<string, string> {
  const params: Record<string, string> = { limit: String(limit), sort: query.sort.key, dir: query.sort.dir };
  if (query.q.trim()) params.q = query.q.trim();
  if (query.filter?.value) params[`filter.${query.filter.key}`] = query.filter.value;
  if (cursor) params.cursor = cursor;
  return params;
}

/** The export link's query: what the table shows now (search, filter, sort), in the format asked for. */
export function exportQuery(query: TableQuery, format: "csv" | "json"): string {
  const { limit: _limit, ...params } = queryParams(query, null);
  return new URLSearchParams({ ...params, format }).toString();
}

/** Columns: the fields that read well in a cell, at most `max`. */
export function tableColumns(fields: FieldDef[], max = 5): FieldDef[] {
  return fields.filter((f) => f.type !== "longtext" && f.type !== "richtext").slice(0, max);
}

function sortValue(record: RecordDto, key: string): FieldValue {
  if (key === "createdAt" || key === "updatedAt") return record[key];
  const v = record.values[key];
  return Array.isArray(v) ? v.join(",") : (v ?? null);
}

/** Nulls last ascending, first descending, as PostgreSQL orders them. */
export function compareRecords(a: RecordDto, b: RecordDto, sort: SortState): number {
  const [x, y] = [sortValue(a, sort.key), sortValue(b, sort.key)];
  const sign = sort.dir === "asc" ? 1 : -1;
  if (x === null || y === null) return x === y ? 0 : (x === null ? 1 : -1) * sign;
  if (typeof x === "number" && typeof y === "number") return (x - y) * sign;
  return String(x).localeCompare(String(y), undefined, { numeric: true }) * sign;
}

export function visibleRows(records: RecordDto[], query: TableQuery): RecordDto[] {
  const filtered = query.filter?.value ? records.filter((r) => r.values[query.filter!.key] === query.filter!.value) : records;
  return [...filtered].sort((a, b) => compareRecords(a, b, query.sort) || a.id.localeCompare(b.id));
}
