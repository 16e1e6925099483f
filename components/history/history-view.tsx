"use client";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useMemo, useState } from "react";
import { INPUT_CLASS } from "@/components/fields/types";
import { recordTitle } from "@/components/record/record-editor";
import { Button } from "@/components/ui/button";
import { NoticeBar } from "@/components/ui/notice-bar";
import { EmptyBlock, ErrorBlock, LoadingBlock } from "@/components/ui/states";
import { ComparePanel } from "./compare-panel";
import { RevisionDetail } from "./revision-detail";
import { Timeline } from "./timeline";
import { useHistory, type HistoryFilter } from "./use-history";

export function HistoryView({ recordId }: { recordId: string }) {
  const router = useRouter();
  const params = useSearchParams();
  const [filter, setFilter] = useState<HistoryFilter>({ field: "", author: "" });
  const { state, restore, loadMore, reload, dismissNotice } = useHistory(recordId, filter);
  const [picked, setPicked] = useState<number | null>(() => (params.get("version") ? Number(params.get("version")) : null));
  const users = useMemo(() => Object.fromEntries(state.members.map((m) => [m.id, m.name])), [state.members]);

  if (state.phase === "loading") return <LoadingBlock label="Loading history" rows={6} />;
  if (state.phase === "error" || !state.record || !state.collection) {
    return <ErrorBlock title="Couldn’t load the history" message={state.error ?? "Unknown error"} onRetry={reload} />;
  }
  const { record, collection, revisions } = state;
  const selected = revisions.find((r) => r.version === picked) ?? revisions[0] ?? null;
  const canRestore = collection.role !== "viewer";
  const select = (version: number) => {
    setPicked(version);
    router.replace(`/records/${recordId}/history?version=${version}`, { scroll: false });
  };
  const onRestore = async (version: number, fields?: string[]) => {
    const label = fields?.length === 1 ? collection.fields.find((f) => f.key === fields[0])?.label : undefined;
    const saved = await restore(version, fields, label);
    if (saved) select(saved);
  };

  return (
    <div className="space-y-5">
      <div>
        <nav aria-label="Breadcrumb" className="text-sm text-slate-500">
          <Link href={`/collections/${collection.id}`} className="hover:text-slate-800">{collection.name}</Link>
          <span className="px-1.5">/</span>
          <Link href={`/records/${record.id}`} className="hover:text-slate-800">{recordTitle(collection.fields, record.values)}</Link>
        </nav>
        <h1 className="mt-1 text-2xl font-semibold tracking-tight">History</h1>
        <p className="text-sm text-slate-500">Every saved version, newest first. Now at v{record.version}.</p>
      </div>
      {state.notice && <NoticeBar notice={state.notice} onDismiss={dismissNotice} />}
      <div className="grid gap-5 lg:grid-cols-[20rem_1fr]">
        <aside className="space-y-3">
          <div className="grid grid-cols-2 gap-2">
            <div className="grid gap-1">
              <label htmlFor="history-field" className="text-xs font-medium text-slate-600">Field</label>
              <select id="history-field" value={filter.field} onChange={(e) => setFilter((f) => ({ ...f, field: e.target.value }))} className={INPUT_CLASS}>
                <option value="">All fields</option>
                {collection.fields.map((f) => <option key={f.key} value={f.key}>{f.label}</option>)}
              </select>
            </div>
            <div className="grid gap-1">
              <label htmlFor="history-author" className="text-xs font-medium text-slate-600">Author</label>
              <select id="history-author" value={filter.author} onChange={(e) => setFilter((f) => ({ ...f, author: e.target.value }))} className={INPUT_CLASS}>
                <option value="">Anyone</option>
                {state.members.map((m) => <option key={m.id} value={m.id}>{m.name}</option>)}
              </select>
            </div>
          </div>
          {revisions.length === 0 && !state.isListLoading ? (
            <EmptyBlock title="No versions match">Try another field or author.</EmptyBlock>
          ) : (
            <Timeline revisions={revisions} fields={collection.fields} selected={selected?.version ?? null} currentVersion={record.version} onSelect={select} />
          )}
          {state.isListLoading && <LoadingBlock label="Loading versions" rows={2} />}
          {state.nextCursor && !state.isListLoading && <Button className="w-full" onClick={() => void loadMore()}>Older versions</Button>}
        </aside>
        <div className="min-w-0 space-y-5">
          {selected ? (
            <RevisionDetail revision={selected} fields={collection.fields} users={users} canRestore={canRestore} isCurrent={selected.version === record.version}
              isBusy={state.isRestoring} onRestore={(fields) => void onRestore(selected.version, fields)} />
          ) : (
            !state.isListLoading && <EmptyBlock title="Select a version to see its changes" />
          )}
          <ComparePanel key={record.version} recordId={record.id} currentVersion={record.version} fields={collection.fields} users={users} />
        </div>
      </div>
    </div>
  );
}
