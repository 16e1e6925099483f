"use client";
import Link from "next/link";
import { useSession } from "@/components/shell/session";
import { useDocumentTitle } from "@/components/shell/use-document-title";
import { EmptyBlock, ErrorBlock, Skeleton } from "@/components/ui/states";
import { NewCollectionLinks } from "@/components/schema/new-collection-links";
import { WebhookLinks } from "@/components/webhooks/webhook-links";
import { NewWorkspaceForm } from "@/components/workspaces/new-workspace-form";

export function CollectionList() {
  const { me, workspaces: memberships, error, refresh } = useSession();
  const workspaces = [...new Set((me?.collections ?? []).map((c) => c.workspaceName).filter((n): n is string => !!n))];
  useDocumentTitle(["Collections", workspaces.length === 1 ? workspaces[0] : null]);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">
          Collections{workspaces.length === 1 && <span className="text-slate-600"> · {workspaces[0]}</span>}
        </h1>
        <p className="mt-1 text-sm text-slate-600">Everything your team edits together.</p>
      </div>
      {me && <WebhookLinks collections={me.collections} />}
      {memberships && <NewCollectionLinks workspaces={memberships} />}
      {error && !me ? (
        <ErrorBlock title="Couldn’t load your workspace" message={error} onRetry={refresh} />
      ) : !me ? (
        <div role="status" aria-label="Loading collections" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {[0, 1, 2].map((i) => (
            <Skeleton key={i} className="h-28" />
          ))}
        </div>
      ) : memberships?.length === 0 ? (
        <NewWorkspaceForm isFirst />
      ) : me.collections.length === 0 ? (
        <EmptyBlock title="No collections yet">Ask a workspace owner to share one with you.</EmptyBlock>
      ) : (
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {me.collections.map((c) => (
            <li key={c.id}>
              <Link
                href={`/collections/${c.id}`}
                className="group block h-full rounded-xl border border-slate-200 bg-surface p-5 shadow-sm transition hover:border-indigo-300 hover:shadow focus-visible:outline-2 focus-visible:outline-indigo-600"
              >
                <div className="flex items-start justify-between gap-2">
                  <h2 className="font-semibold text-slate-900 group-hover:text-indigo-700">{c.name}</h2>
                  <span className="rounded-full bg-slate-100 px-2 py-0.5 text-[11px] font-medium text-slate-600 capitalize">
                    {c.archivedAt ? "archived · " : ""}
                    {c.role}
                  </span>
                </div>
                <p className="mt-3 text-3xl font-semibold tabular-nums text-slate-900">{c.recordCount.toLocaleString()}</p>
                <p className="text-sm text-slate-600">
                  {c.recordCount === 1 ? "record" : "records"} · {c.fields.length} fields
                </p>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
