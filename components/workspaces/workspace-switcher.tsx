"use client";
// The header's workspace switcher: the current workspace's name, and every workspace of the user
// to go to, or a new one. The current one is the page's (a workspace page, or the collection's),
// else the one chosen last.
import { useParams, usePathname, useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { useSession } from "@/components/shell/session";

const LAST_KEY = "tandem:workspace";
const NEW = "__new__";

export function useCurrentWorkspaceId(): string | null {
  const { me, workspaces } = useSession();
  const pathname = usePathname();
  const params = useParams<{ id?: string }>();
  const [last, setLast] = useState<string | null>(null);
  useEffect(() => setLast(window.localStorage.getItem(LAST_KEY)), [pathname]);
  let current: string | null = null;
  if (pathname.startsWith("/workspaces/") && params.id) current = params.id;
  else if (pathname.startsWith("/collections/") && params.id) current = me?.collections.find((c) => c.id === params.id)?.workspaceId ?? null;
  if (!current && last && workspaces?.some((w) => w.id === last)) current = last;
  if (!current && workspaces?.length === 1) current = workspaces[0]!.id;
  return current;
}

export function WorkspaceSwitcher() {
  const { workspaces } = useSession();
  const router = useRouter();
  const current = useCurrentWorkspaceId();
  useEffect(() => {
    if (current) window.localStorage.setItem(LAST_KEY, current);
  }, [current]);
  if (!workspaces) return null;
  const name = workspaces.find((w) => w.id === current)?.name;
  return (
    <div className="flex min-w-0 items-center gap-2 border-l border-slate-200 pl-3">
      <span data-testid="workspace-name" className="sr-only">
        {name ?? ""}
      </span>
      <label className="sr-only" htmlFor="workspace-switcher">
        Workspace
      </label>
      <select
        id="workspace-switcher"
        value={current ?? ""}
        onChange={(event) => {
          const value = event.target.value;
          if (value === NEW) router.push("/workspaces/new");
          else if (value) router.push(`/workspaces/${value}`);
        }}
        className="max-w-[14rem] min-w-0 truncate rounded-md border-0 bg-transparent py-1 pr-7 pl-1 text-sm font-medium text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600"
      >
        {!current && <option value="">{workspaces.length === 0 ? "No workspace yet" : "Choose a workspace"}</option>}
        {workspaces.map((w) => (
          <option key={w.id} value={w.id}>
            {w.name}
          </option>
        ))}
        <option value={NEW}>+ New workspace…</option>
      </select>
    </div>
  );
}
