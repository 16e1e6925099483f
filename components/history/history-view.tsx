"use client";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useMemo, useState } from "react";
import type { FieldDef } from "@/lib/types";
import { can } from "@/lib/permissions";
import type { Member } from "@/components/api/client";
import { INPUT_CLASS } from "@/components/fields/types";
import { recordTitle } from "@/components/record/record-title";
import { useDocumentTitle } from "@/components/shell/use-document-title";
import { Button } from "@/components/ui/button";
import { formatTime } from "@/components/ui/format";
import { NoticeBar } from "@/components/ui/notice-bar";
import { EmptyBlock, ErrorBlock, LoadingBlock } from "@/components/ui/states";
import { ComparePanel } from "./compare-panel";
import { RestoreConfirm, type RestoreRequest } from "./restore-confirm";
import { RevisionDetail } from "./revision-detail";
import { Timeline } from "./timeline";
import { useHistory, type HistoryFilter } from "./use-history";

export function HistoryView({ recordId }: { recordId: string }) {
  const router = useRouter();
  const params = useSearchParams();
  const [filter, setFilter] = useState<HistoryFilter>({ field: "", author: "" });
  const { state, restore, undelete, loadMore, reload, dismissNotice } = useHistory(recordId, filter);
  const [picked, setPicked] = useState<number | null>(() => (params.get("version") ? Number(params.get("version")) : null));
  const [confirm, setConfirm] = useState<RestoreRequest | null>(null);
  const users = useMemo(() => Object.fromEntries(state.members.map((m) => [m.id, m.name])), [state.members]);
  const title = state.record && state.collection ? recordTitle(state.collection.fields, state.record.values) : null;
  useDocumentTitle(["History", title, state.collection?.name, state.collection?.workspaceName]);

  if (state.phase === "loading") return <LoadingBlock label="Loading history" rows={6} />;
  if (state.phase === "error" || !state.record || !state.collection) {
    const isMissing = state.errorStatus === 404;
    return (
      <ErrorBlock
        title={isMissing ? "There is no such record" : "Couldn’t load the history"}
        message={isMissing ? "It may be in a workspace you are not a member of, or the link is wrong." : (state.error ?? "Unknown error")}
        onRetry={isMissing ? undefined : reload}
        back={{ href: "/", label: "Back to your collections" }}
      />
    );
  }
  const { record, collection, revisions } = state;
  const isDeleted = record.deletedAt !== null;
  const selected = revisions.find((r) => r.version === picked) ?? revisions[0] ?? null;
  const canRestore = can(collection.role, "record.restore") && !isDeleted;
  const select = (version: number) => {
    setPicked(version);
    router.replace(`/records/${recordId}/history?version=${version}`, { scroll: false });
  };
  const onConfirmRestore = async () => {
    if (!confirm) return;
    const { version, fields } = confirm;
    const label = fields?.length === 1 ? collection.fields.find((f) => f.key === fields[0])?.label : undefined;
    const saved = await restore(version, fields, label);
    setConfirm(null);
    if (saved) select(saved);
  };

  return (
    <div className="space-y-5">
      <div className="min-w-0">
        <nav aria-label="Breadcrumb" className="flex min-w-0 text-sm text-slate-600">
          <Link href={`/collections/${collection.id}`} className="shrink-0 hover:text-slate-900">
            {collection.name}
          </Link>
          <span aria-hidden="true" className="px-1.5">
            /
          </span>
          {isDeleted ? (
            <span className="truncate">{title}</span>
          ) : (
            <Link href={`/records/${record.id}`} className="truncate hover:text-slate-900">
              {title}
            </Link>
          )}
        </nav>
        <h1 className="mt-1 text-2xl font-semibold tracking-tight">History</h1>
        <p className="text-sm text-slate-600">Every saved version, newest first. Now at v{record.version}.</p>
      </div>
      {isDeleted && (
        <>
          <NoticeBar
            notice={{
              tone: "warning",
              text: `This record was deleted${record.deletedAt ? ` on ${formatTime(record.deletedAt)}` : ""}. Its history stays here to read; an old version can be restored once the record is back.`,
              link: { href: `/collections/${collection.id}/trash`, label: `${collection.name}’s trash` },
            }}
          />
          {can(collection.role, "record.undelete") && (
            <div>
              <Button variant="primary" onClick={() => void undelete()}>
                Bring it back
              </Button>
            </div>
          )}
        </>
      )}
      {state.notice && <NoticeBar notice={state.notice} onDismiss={dismissNotice} />}
      <div className="grid min-w-0 gap-5 lg:grid-cols-[20rem_minmax(0,1fr)]">
        <aside className="min-w-0 space-y-3">
          <HistoryFilters fields={collection.fields} members={state.members} filter={filter} onChange={setFilter} />
          {revisions.length === 0 && !state.isListLoading ? (
            <EmptyBlock title="No versions match">Try another field or author.</EmptyBlock>
          ) : (
            <Timeline revisions={revisions} fields={collection.fields} selected={selected?.version ?? null} currentVersion={record.version} onSelect={select} />
          )}
          {state.isListLoading && <LoadingBlock label="Loading versions" rows={2} />}
          {state.nextCursor && !state.isListLoading && (
            <Button className="w-full" onClick={() => void loadMore()}>
              Older versions
            </Button>
          )}
        </aside>
        <div className="min-w-0 space-y-5">
          {selected ? (
            <RevisionDetail
              revision={selected}
              fields={collection.fields}
              users={users}
              canRestore={canRestore}
              isCurrent={selected.version === record.version}
              isBusy={state.isRestoring}
              onRestore={(fields) => setConfirm({ version: selected.version, fields })}
            />
          ) : (
            !state.isListLoading && <EmptyBlock title="Select a version to see its changes" />
          )}
          <ComparePanel key={record.version} recordId={record.id} currentVersion={record.version} fields={collection.fields} users={users} />
        </div>
      </div>
      {confirm && (
        <RestoreConfirm
          recordId={record.id}
          currentVersion={record.version}
          request={confirm}
          fields={collection.fields}
          users={users}
          isBusy={state.isRestoring}
          onConfirm={() => void onConfirmRestore()}
          onCancel={() => setConfirm(null)}
        />
      )}
    </div>
  );
}

type FiltersProps = { fields: FieldDef[]; members: Member[]; filter: HistoryFilter; onChange: (update: (f: HistoryFilter) => HistoryFilter) => void };

/** Narrow the timeline to one field or one author; two columns that shrink on a phone. */
function HistoryFilters({ fields, members, filter, onChange }: FiltersProps) {
  return (
    <div className="grid grid-cols-2 gap-2">
      <div className="grid min-w-0 gap-1">
        <label htmlFor="history-field" className="text-xs font-medium text-slate-700">
          Field
        </label>
        <select
          id="history-field"
          value={filter.field}
          onChange={(e) => onChange((f) => ({ ...f, field: e.target.value }))}
          className={`${INPUT_CLASS} min-w-0`}
        >
          <option value="">All fields</option>
          {fields.map((f) => (
            <option key={f.key} value={f.key}>
              {f.label}
            </option>
          ))}
        </select>
      </div>
      <div className="grid min-w-0 gap-1">
        <label htmlFor="history-author" className="text-xs font-medium text-slate-700">
          Author
        </label>
        <select
          id="history-author"
          value={filter.author}
          onChange={(e) => onChange((f) => ({ ...f, author: e.target.value }))}
          className={`${INPUT_CLASS} min-w-0`}
        >
          <option value="">Anyone</option>
          {members.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
