"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useState } from "react";
import type { CollectionDto, RecordDto } from "@/lib/types";
import { api, ApiError, messageOf, type Member } from "@/components/api/client";
import { useDocumentTitle } from "@/components/shell/use-document-title";
import { INPUT_CLASS } from "@/components/fields/types";
import { Button } from "@/components/ui/button";
import { formatRelative, formatValue } from "@/components/ui/format";
import { EmptyBlock, ErrorBlock, LoadingBlock } from "@/components/ui/states";
import { ConnectionIndicator } from "@/components/realtime/connection-indicator";
import { useLiveCollection } from "@/components/realtime/use-live-collection";
import { ArchivedNotice } from "./archived-notice";
import { LimitBars, useLimitRefresh } from "./limit-usage";
import { applyRowsEvent } from "./live-rows";
import { useSchemaUpdates } from "@/components/schema/use-schema-updates";
import { exportQuery, queryParams, tableColumns, visibleRows, type SortState, type TableQuery } from "./table-query";

type Page = { records: RecordDto[]; nextCursor: string | null; isLoading: boolean; error: string | null };

export function RecordsTable({ collectionId }: { collectionId: string }) {
  const router = useRouter();
  const [collection, setCollection] = useState<CollectionDto | null>(null);
  const [members, setMembers] = useState<Member[]>([]);
  const [loadError, setLoadError] = useState<{ message: string; status: number | null } | null>(null);
  const [search, setSearch] = useState("");
  const [query, setQuery] = useState<TableQuery>({ q: "", sort: { key: "createdAt", dir: "asc" }, filter: null });
  const [page, setPage] = useState<Page>({ records: [], nextCursor: null, isLoading: true, error: null });

  useEffect(() => {
    api.collection(collectionId).then(setCollection, (e) => setLoadError({ message: messageOf(e), status: e instanceof ApiError ? e.status : null }));
    api.members(collectionId).then(setMembers, () => setMembers([]));
  }, [collectionId]);

  // Typing settles for 250 ms before the search runs.
  useEffect(() => {
    const timer = setTimeout(() => setQuery((q) => (q.q === search ? q : { ...q, q: search })), 250);
    return () => clearTimeout(timer);
  }, [search]);

  const fetchPage = useCallback(
    async (cursor: string | null) => {
      setPage((p) => ({ ...p, isLoading: true, error: null }));
      try {
        const data = await api.records(collectionId, queryParams(query, cursor));
        setPage((p) => ({ records: cursor ? [...p.records, ...data.records] : data.records, nextCursor: data.nextCursor, isLoading: false, error: null }));
      } catch (e) {
        setPage((p) => ({ ...p, isLoading: false, error: messageOf(e) }));
      }
    },
    [collectionId, query],
  );

  useEffect(() => {
    void fetchPage(null);
  }, [fetchPage]);

  const [fresh, setFresh] = useState<Record<string, number>>({});
  useSchemaUpdates(collection?.id, collection?.version, setCollection);
  const refreshLimits = useLimitRefresh(collection, (limits) => setCollection((c) => c && { ...c, limits }));
  const connection = useLiveCollection(
    collectionId,
    (change) => {
      refreshLimits();
      setPage((p) => ({ ...p, records: applyRowsEvent({ records: p.records, hasMore: p.nextCursor !== null }, change, query) }));
      if (change.kind !== "saved") setCollection((c) => c && { ...c, recordCount: Math.max(0, c.recordCount + (change.kind === "created" ? 1 : -1)) });
      if (change.kind !== "deleted") setFresh((f) => ({ ...f, [change.event.recordId]: change.event.version }));
    },
    () => void fetchPage(null),
  );

  const users = useMemo(() => Object.fromEntries(members.map((m) => [m.id, m.name])), [members]);
  const rows = useMemo(() => visibleRows(page.records, query), [page.records, query]);
  useDocumentTitle([collection?.name, collection?.workspaceName]);
  if (loadError) {
    return (
      <ErrorBlock
        title={loadError.status === 404 ? "There is no such collection" : "Couldn’t load this collection"}
        message={loadError.message}
        back={{ href: "/", label: "Back to your collections" }}
      />
    );
  }
  if (!collection) return <LoadingBlock label="Loading collection" rows={6} />;
  const columns = tableColumns(collection.fields);
  const filterField = collection.fields.find((f) => f.type === "select");
  const toggleSort = (key: string) => setQuery((q) => ({ ...q, sort: { key, dir: q.sort.key === key && q.sort.dir === "asc" ? "desc" : "asc" } }));

  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-end gap-4">
        <div className="flex-1">
          <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
            <Link href="/" className="hover:text-slate-900">
              Collections
            </Link>
          </nav>
          <h1 className="mt-1 text-2xl font-semibold tracking-tight">{collection.name}</h1>
          <p className="text-sm text-slate-600">{collection.recordCount.toLocaleString()} records</p>
        </div>
        <ConnectionIndicator state={connection} />
        {collection.permissions["collection.manage"] && (
          <Link href={`/collections/${collection.id}/fields`} className="text-sm font-medium text-indigo-700 underline underline-offset-2">
            Edit fields
          </Link>
        )}
        {collection.permissions["record.import"] && (
          <Link href={`/collections/${collection.id}/import`} className="text-sm font-medium text-indigo-700 underline underline-offset-2">
            Import CSV
          </Link>
        )}
        {collection.permissions["record.export"] && (
          <span className="text-sm text-slate-600">
            Export{" "}
            <a
              href={`/api/collections/${collection.id}/export?${exportQuery(query, "csv")}`}
              className="font-medium text-indigo-700 underline underline-offset-2"
            >
              CSV
            </a>
            {" · "}
            <a
              href={`/api/collections/${collection.id}/export?${exportQuery(query, "json")}`}
              className="font-medium text-indigo-700 underline underline-offset-2"
            >
              JSON
            </a>
          </span>
        )}
        <Link
          href={`/collections/${collection.id}/trash`}
          className="rounded-md px-3 py-2 text-sm font-medium text-slate-700 ring-1 ring-slate-300 ring-inset hover:bg-slate-50"
        >
          Trash
        </Link>
        {collection.permissions["record.create"] && (
          <Button variant="primary" onClick={() => router.push(`/collections/${collection.id}/new`)}>
            New record
          </Button>
        )}
      </div>
      <ArchivedNotice collection={collection} onUnarchived={setCollection} />
      <LimitBars collection={collection} />
      <div className="flex flex-wrap gap-3">
        <div className="min-w-0 flex-1 basis-56">
          <label htmlFor="records-search" className="sr-only">
            Search
          </label>
          <input
            id="records-search"
            type="search"
            placeholder="Search records…"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            className={INPUT_CLASS}
          />
        </div>
        {filterField && (
          <div className="flex items-center gap-2">
            <label htmlFor="records-filter" className="text-sm text-slate-600">
              {filterField.label}
            </label>
            <select
              id="records-filter"
              value={query.filter?.value ?? ""}
              className={`${INPUT_CLASS} w-44`}
              onChange={(e) => setQuery((q) => ({ ...q, filter: e.target.value ? { key: filterField.key, value: e.target.value } : null }))}
            >
              <option value="">All</option>
              {(filterField.options?.choices ?? []).map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
      {page.error && <ErrorBlock title="Couldn’t load records" message={page.error} onRetry={() => void fetchPage(null)} />}
      <div className="overflow-x-auto rounded-xl border border-slate-200 bg-surface shadow-sm">
        <table className="w-full text-left text-sm">
          <thead className="border-b border-slate-200 bg-slate-50 text-xs text-slate-600 uppercase">
            <tr>
              {columns.map((f) => (
                <SortHeader key={f.key} label={f.label} sortKey={f.key} sort={query.sort} onSort={toggleSort} />
              ))}
              <SortHeader label="Updated" sortKey="updatedAt" sort={query.sort} onSort={toggleSort} />
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((r) => (
              <tr
                key={`${r.id}-${fresh[r.id] === r.version ? r.version : 0}`}
                onClick={() => router.push(`/records/${r.id}`)}
                className={`cursor-pointer hover:bg-indigo-50/40 ${fresh[r.id] === r.version ? "tandem-flash" : ""}`}
              >
                {columns.map((f, i) => (
                  <td key={f.key} className={`max-w-64 truncate px-4 py-2.5 ${f.type === "number" || f.type === "counter" ? "tabular-nums" : ""}`}>
                    {i === 0 ? (
                      <Link href={`/records/${r.id}`} className="font-medium text-slate-900 hover:text-indigo-700" onClick={(e) => e.stopPropagation()}>
                        {formatValue(f, r.values[f.key], users)}
                      </Link>
                    ) : (
                      formatValue(f, r.values[f.key], users)
                    )}
                  </td>
                ))}
                <td className="px-4 py-2.5 whitespace-nowrap text-slate-600">{formatRelative(r.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {page.isLoading && page.records.length === 0 && (
          <div className="p-4">
            <LoadingBlock label="Loading records" rows={5} />
          </div>
        )}
        {!page.isLoading && !page.error && rows.length === 0 && (
          <div className="p-6">
            <EmptyBlock title={query.q || query.filter ? "No records match" : "No records yet"}>
              {query.q || query.filter ? "Try another search or filter." : "Create the first one with “New record”."}
            </EmptyBlock>
          </div>
        )}
      </div>
      {page.nextCursor && (
        <div className="flex justify-center">
          <Button onClick={() => void fetchPage(page.nextCursor)} disabled={page.isLoading}>
            {page.isLoading ? "Loading…" : "Load more"}
          </Button>
        </div>
      )}
    </div>
  );
}

function SortHeader({ label, sortKey, sort, onSort }: { label: string; sortKey: string; sort: SortState; onSort: (key: string) => void }) {
  const isActive = sort.key === sortKey;
  return (
    <th scope="col" aria-sort={isActive ? (sort.dir === "asc" ? "ascending" : "descending") : "none"} className="px-4 py-2.5 font-medium">
      <button type="button" onClick={() => onSort(sortKey)} className="inline-flex items-center gap-1 hover:text-slate-900">
        {label}
        <span aria-hidden="true" className={isActive ? "text-slate-700" : "invisible"}>
          {sort.dir === "asc" || !isActive ? "▲" : "▼"}
        </span>
      </button>
    </th>
  );
}
