// Exports, streamed a page at a time (memory bounded by the page, not the collection): a
// collection's live records as CSV or JSON with the same search, filters and sort as the records
// list, and one record's whole history as JSON. Access is checked, and the first page read, before
// the answer starts, so every refusal is a proper status and never a cut-off body.
import { stringify } from "csv-stringify/sync";
import { z } from "zod";
import { formatCell } from "@/lib/import";
import { can } from "@/lib/permissions";
import type { FieldDef, RecordDto } from "@/lib/types";
import { forbidden, notFound } from "@/server/errors";
import { findCollectionAccess } from "@/server/persistence/collections-repo";
import { revisionsWithSnapshots } from "@/server/persistence/revisions-repo";
import { isUuid, loadRecord } from "./access";
import type { Actor, UseCaseDeps } from "./deps";
import { listCollectionRecords, ListRecordsQuery, readFilters } from "./query-records";

const PAGE = 200;
const ExportFormat = z.object({ format: z.enum(["csv", "json"]).default("csv") });

export type Export = { contentType: string; filename: string; stream: AsyncIterable<string> };

/** Column headers: labels, or the key where a label is not unique (import reads either). */
function headers(fields: FieldDef[]): string[] {
  const counts = new Map<string, number>();
  for (const def of fields) counts.set(def.label.trim().toLowerCase(), (counts.get(def.label.trim().toLowerCase()) ?? 0) + 1);
  return fields.map((def) => (counts.get(def.label.trim().toLowerCase())! > 1 ? def.key : def.label));
}

const safeName = (name: string) =>
  name
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80) || "export";

export async function exportCollection(deps: UseCaseDeps, actor: Actor, collectionId: string, query: Record<string, string>): Promise<Export> {
  if (!isUuid(collectionId)) throw notFound("Collection");
  const collection = await findCollectionAccess(deps.db, collectionId, actor.id);
  if (!collection) throw notFound("Collection");
  if (!can(collection.role, "record.export")) throw forbidden("You may not export this collection");
  const { format } = ExportFormat.parse({ format: query.format });
  const { format: _f, limit: _l, cursor: _c, ...rest } = query;
  const list = { ...ListRecordsQuery.parse({ ...rest, limit: PAGE }), filters: readFilters(rest) };
  const first = await listCollectionRecords(deps, actor, collectionId, list);
  const { fields, name } = collection;

  async function* pages(): AsyncGenerator<RecordDto[]> {
    let page = first;
    yield page.records;
    while (page.nextCursor) {
      page = await listCollectionRecords(deps, actor, collectionId, { ...list, cursor: page.nextCursor });
      yield page.records;
    }
  }

  async function* csv(): AsyncGenerator<string> {
    yield stringify([headers(fields)]);
    for await (const records of pages()) {
      if (records.length > 0) yield stringify(records.map((r) => fields.map((def) => formatCell(def, r.values[def.key]))));
    }
  }

  async function* json(): AsyncGenerator<string> {
    yield `{"collection":${JSON.stringify({ id: collectionId, name, fields })},"records":[`;
    let isFirst = true;
    for await (const records of pages()) {
      for (const r of records) {
        yield (
          (isFirst ? "" : ",") +
          JSON.stringify({ id: r.id, version: r.version, createdAt: r.createdAt, updatedAt: r.updatedAt, updatedBy: r.updatedBy, values: r.values })
        );
        isFirst = false;
      }
    }
    yield "]}";
  }

  const filename = `${safeName(name)}.${format}`;
  return format === "csv"
    ? { contentType: "text/csv; charset=utf-8", filename, stream: csv() }
    : { contentType: "application/json; charset=utf-8", filename, stream: json() };
}

export async function exportHistory(deps: UseCaseDeps, actor: Actor, recordId: string): Promise<Export> {
  const { record } = await loadRecord(deps, actor, recordId);
  const first = await revisionsWithSnapshots(deps.db, record.id, 0, PAGE);
  async function* json(): AsyncGenerator<string> {
    yield `{"record":${JSON.stringify({ id: record.id, collectionId: record.collectionId, version: record.version, deletedAt: record.deletedAt })},"revisions":[`;
    let page = first;
    let isFirst = true;
    for (;;) {
      for (const revision of page) {
        yield (isFirst ? "" : ",") + JSON.stringify(revision);
        isFirst = false;
      }
      if (page.length < PAGE) break;
      page = await revisionsWithSnapshots(deps.db, record.id, page[page.length - 1]!.version, PAGE);
    }
    yield "]}";
  }
  return { contentType: "application/json; charset=utf-8", filename: `record-${record.id}-history.json`, stream: json() };
}
