// The records table's rows after a live collection event (created / saved / deleted by anyone,
// through the UI or the API). Pure, so it is unit-tested; the table re-sorts what it holds.
import type { CollectionRecordEvent, RecordDeletedEvent } from "@/lib/realtime";
import type { RecordDto, RecordValues } from "@/lib/types";
import type { TableQuery } from "./table-query";

export type RowsEvent =
  { kind: "created"; event: CollectionRecordEvent } | { kind: "saved"; event: CollectionRecordEvent } | { kind: "deleted"; event: RecordDeletedEvent };

export type Rows = { records: RecordDto[]; hasMore: boolean };

/** The server searches; for a row that arrives live, a plain "contains" on its text values stands in. */
export function matchesSearch(record: RecordDto, q: string): boolean {
  const needle = q.trim().toLowerCase();
  if (!needle) return true;
  return Object.values(record.values).some((v) => (Array.isArray(v) ? v.join(" ") : String(v ?? "")).toLowerCase().includes(needle));
}

function toRecord(event: CollectionRecordEvent, now: string, previous?: RecordDto): RecordDto | null {
  if (!event.values) return null;
  return {
    id: event.recordId,
    collectionId: event.collectionId,
    version: event.version,
    values: event.values as RecordValues,
    createdAt: previous?.createdAt ?? now,
    updatedAt: now,
    updatedBy: event.by,
    deletedAt: null,
  };
}

export function applyRowsEvent(rows: Rows, change: RowsEvent, query: TableQuery, now = new Date().toISOString()): RecordDto[] {
  const { records } = rows;
  const index = records.findIndex((r) => r.id === change.event.recordId);
  if (change.kind === "deleted") return index < 0 ? records : records.filter((r) => r.id !== change.event.recordId);
  if (index >= 0) {
    const previous = records[index]!;
    if (change.event.version <= previous.version) return records; // late or duplicate
    const next = toRecord(change.event, now, previous);
    return next ? records.map((r, i) => (i === index ? next : r)) : records;
  }
  // A row we don't hold: new, or on a page not loaded yet. Only added when it surely belongs here.
  if (change.kind !== "created" || rows.hasMore) return records;
  const created = toRecord(change.event, now);
  return created && matchesSearch(created, query.q) ? [...records, created] : records;
}
