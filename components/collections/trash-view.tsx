"use client";
// A collection's trash: deleted records, newest delete first, with who deleted them and when;
// each one's history stays readable, and those allowed bring it back (undelete with the version
// the trash lists as If-Match: a record changed since is refused, never brought back blind).
import Link from "next/link";
import { useCallback, useEffect, useState } from "react";
import { api, messageOf } from "@/components/api/client";
import { recordTitle } from "@/components/record/record-title";
import { useDocumentTitle } from "@/components/shell/use-document-title";
import { Button } from "@/components/ui/button";
import { formatRelative, formatTime } from "@/components/ui/format";
import { EmptyBlock, ErrorBlock, LoadingBlock } from "@/components/ui/states";
import { ArchivedNotice } from "./archived-notice";
import { formatEtag } from "@/lib/etag";
import type { CollectionDto, RecordDto } from "@/lib/types";

const PAGE = { deleted: "true", sort: "updatedAt", dir: "desc", limit: "50" };

export function TrashView({ collectionId }: { collectionId: string }) {
  const [collection, setCollection] = useState<CollectionDto | null>(null);
  const [records, setRecords] = useState<RecordDto[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ text: string; recordId?: string } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  useDocumentTitle(["Trash", collection?.name]);
  const load = useCallback(async () => {
    try {
      const [c, page] = await Promise.all([api.collection(collectionId), api.records(collectionId, PAGE)]);
      setCollection(c);
      setRecords(page.records);
      setCursor(page.nextCursor);
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }, [collectionId]);
  useEffect(() => {
    void load();
  }, [load]);
  const more = async () => {
    if (!cursor) return;
    try {
      const page = await api.records(collectionId, { ...PAGE, cursor });
      setRecords((list) => [...(list ?? []), ...page.records]);
      setCursor(page.nextCursor);
    } catch (e) {
      setNotice({ text: messageOf(e) });
    }
  };
  const restore = async (record: RecordDto) => {
    setBusy(record.id);
    setNotice(null);
    try {
      await api.undeleteRecord(record.id, formatEtag(record.id, record.version));
      setRecords((list) => list?.filter((r) => r.id !== record.id) ?? null);
      setNotice({ text: `Restored “${recordTitle(collection?.fields ?? [], record.values)}”.`, recordId: record.id });
    } catch (e) {
      setNotice({ text: messageOf(e) });
      void load();
    }
    setBusy(null);
  };
  if (error && !records)
    return (
      <ErrorBlock
        title="Couldn’t load the trash"
        message={error}
        onRetry={load}
        back={{ href: `/collections/${collectionId}`, label: "Back to the collection" }}
      />
    );
  if (!records || !collection) return <LoadingBlock label="Loading the trash" />;
  const mayRestore = collection.permissions["record.undelete"];
  return (
    <div className="space-y-5">
      <div>
        <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
          <Link href="/" className="hover:text-slate-900">
            Collections
          </Link>
          <span aria-hidden="true" className="px-1.5">
            /
          </span>
          <Link href={`/collections/${collection.id}`} className="hover:text-slate-900">
            {collection.name}
          </Link>
        </nav>
        <h1 className="mt-1 text-2xl font-semibold tracking-tight">Trash</h1>
        <p className="text-sm text-slate-600">
          Deleted records of {collection.name}. Their history stays;{" "}
          {mayRestore ? "restore one to bring it back as a new version." : collection.archivedAt ? "" : "editors and owners can bring them back."}
        </p>
      </div>
      <ArchivedNotice collection={collection} onUnarchived={setCollection} />
      {notice && (
        <p role="status" className="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-800">
          {notice.text}{" "}
          {notice.recordId && (
            <Link href={`/records/${notice.recordId}`} className="font-medium underline">
              Open it
            </Link>
          )}
        </p>
      )}
      {records.length === 0 ? (
        <EmptyBlock title="The trash is empty">Deleted records of this collection show up here.</EmptyBlock>
      ) : (
        <ul className="divide-y divide-slate-200 rounded-xl border border-slate-200 bg-surface">
          {records.map((record) => (
            <li key={record.id} data-testid="trash-row" className="flex flex-wrap items-center gap-3 px-4 py-3">
              <div className="min-w-0 flex-1">
                <p className="font-medium text-slate-900">{recordTitle(collection.fields, record.values)}</p>
                <p className="text-sm text-slate-600">
                  Deleted by {record.updatedBy.name}{" "}
                  <time dateTime={record.updatedAt} title={formatTime(record.updatedAt)}>
                    {formatRelative(record.updatedAt)}
                  </time>
                </p>
              </div>
              <Link
                href={`/records/${record.id}/history`}
                className="rounded-md px-3 py-1.5 text-sm font-medium text-slate-700 ring-1 ring-slate-300 ring-inset hover:bg-slate-50"
              >
                History
              </Link>
              {mayRestore && (
                <Button size="sm" variant="primary" disabled={busy === record.id} onClick={() => void restore(record)}>
                  {busy === record.id ? "Restoring…" : "Restore"}
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      {cursor && <Button onClick={() => void more()}>Show older</Button>}
    </div>
  );
}
