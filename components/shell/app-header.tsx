"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { api } from "@/components/api/client";
import { WorkspaceSwitcher } from "@/components/workspaces/workspace-switcher";
import { useSession } from "./session";

export function AppHeader() {
  const { me } = useSession();
  const router = useRouter();
  const [isLeaving, setIsLeaving] = useState(false);
  // One workspace that the user owns: its contention page is a click away (the collections page lists every one).
  const ids = [...new Set((me?.collections ?? []).map((c) => c.workspaceId))];
  const ownedId = ids.length === 1 && me?.collections.some((c) => c.workspaceId === ids[0] && c.permissions["contention.view"]) ? ids[0] : null;
  const signOut = async () => {
    setIsLeaving(true);
    await api.signOut().catch(() => null);
    router.replace("/sign-in");
  };
  return (
    <header className="sticky top-0 z-30 border-b border-slate-200 bg-surface/90 backdrop-blur">
      <div className="mx-auto flex h-14 max-w-6xl items-center gap-3 px-3 sm:gap-4 sm:px-6">
        <Link href="/" className="flex shrink-0 items-center gap-2 font-semibold tracking-tight text-slate-900">
          <span aria-hidden="true" className="grid size-7 place-items-center rounded-md bg-indigo-600 text-sm text-white">
            T
          </span>
          Tandem
        </Link>
        {me && <WorkspaceSwitcher />}
        {ownedId && (
          <Link href={`/workspaces/${ownedId}/contention`} className="hidden shrink-0 text-sm text-indigo-700 underline-offset-2 hover:underline sm:inline">
            Contention
          </Link>
        )}
        <div className="ml-auto flex shrink-0 items-center gap-3 text-sm">
          {me ? (
            <span className="hidden text-slate-700 sm:inline" title={me.user.email}>
              {me.user.name}
            </span>
          ) : (
            <span className="h-4 w-24 animate-pulse rounded bg-slate-200" />
          )}
          <button
            type="button"
            onClick={signOut}
            disabled={isLeaving}
            className="rounded-md px-2.5 py-1.5 text-slate-700 hover:bg-slate-100 hover:text-slate-900"
          >
            Sign out
          </button>
        </div>
      </div>
    </header>
  );
}
