"use client";
// One workspace: its collections, and for owners the ways to its members and webhooks.
import Link from "next/link";
import { useSession } from "@/components/shell/session";
import { useDocumentTitle } from "@/components/shell/use-document-title";
import { LeaveWorkspace } from "./leave-workspace";
import { RenameWorkspace } from "./rename-workspace";
import { EmptyBlock, ErrorBlock, LoadingBlock } from "@/components/ui/states";

export function WorkspaceHome({ workspaceId }: { workspaceId: string }) {
  const { me, workspaces, error, refresh } = useSession();
  const workspace = workspaces?.find((w) => w.id === workspaceId);
  useDocumentTitle([workspace?.name ?? "Workspace"]);
  if (error && !workspaces) return <ErrorBlock title="Couldn’t load this workspace" message={error} onRetry={refresh} />;
  if (!workspaces || !me) return <LoadingBlock label="Loading workspace" />;
  if (!workspace)
    return (
      <ErrorBlock title="Workspace not found" message="It does not exist, or you are not a member of it." back={{ href: "/", label: "All collections" }} />
    );
  const collections = me.collections.filter((c) => c.workspaceId === workspaceId);
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">{workspace.name}</h1>
          <p className="mt-1 text-sm text-slate-600">
            You are {workspace.role === "owner" ? "an owner" : `${workspace.role === "editor" ? "an editor" : "a viewer"}`} · {workspace.memberCount}{" "}
            {workspace.memberCount === 1 ? "member" : "members"}
          </p>
        </div>
        <RenameWorkspace workspace={workspace} />
        <LeaveWorkspace workspaceId={workspaceId} workspaceName={workspace.name} />
        {workspace.permissions["members.manage"] && (
          <nav aria-label="Workspace settings" className="flex flex-wrap gap-2 text-sm">
            {workspace.permissions["collection.manage"] && (
              <Link
                href={`/workspaces/${workspaceId}/collections/new`}
                className="rounded-md px-3 py-2 font-medium text-indigo-700 ring-1 ring-slate-300 hover:bg-slate-50"
              >
                New collection
              </Link>
            )}
            <Link
              href={`/workspaces/${workspaceId}/members`}
              className="rounded-md px-3 py-2 font-medium text-indigo-700 ring-1 ring-slate-300 hover:bg-slate-50"
            >
              Members and invitations
            </Link>
            <Link
              href={`/workspaces/${workspaceId}/webhooks`}
              className="rounded-md px-3 py-2 font-medium text-indigo-700 ring-1 ring-slate-300 hover:bg-slate-50"
            >
              Webhooks
            </Link>
          </nav>
        )}
      </div>
      {collections.length === 0 ? (
        <EmptyBlock title="No collections yet">
          {workspace.permissions["collection.manage"] ? (
            <>
              <Link href={`/workspaces/${workspaceId}/collections/new`} className="font-medium text-indigo-700 underline underline-offset-2">
                Create the first collection
              </Link>{" "}
              for your team.
            </>
          ) : (
            "Ask a workspace owner to create one."
          )}
        </EmptyBlock>
      ) : (
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {collections.map((c) => (
            <li key={c.id}>
              <Link href={`/collections/${c.id}`} className="block rounded-xl border border-slate-200 bg-surface p-5 shadow-sm hover:border-indigo-300">
                <h2 className="font-semibold text-slate-900">{c.name}</h2>
                <p className="text-sm text-slate-600">
                  {c.recordCount.toLocaleString()} {c.recordCount === 1 ? "record" : "records"}
                </p>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
