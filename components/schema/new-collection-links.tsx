"use client";
// On the collections page, owners see where to create a collection in each workspace they own
// (one without any collection yet included).
import Link from "next/link";
import type { Workspace } from "@/components/api/client";

export function NewCollectionLinks({ workspaces }: { workspaces: Workspace[] }) {
  const owned = workspaces.filter((w) => w.permissions["collection.manage"]);
  if (owned.length === 0) return null;
  return (
    <div className="flex flex-wrap gap-3 text-sm">
      {owned.map((w) => (
        <Link
          key={w.id}
          href={`/workspaces/${w.id}/collections/new`}
          className="font-medium text-indigo-700 underline underline-offset-2 hover:text-indigo-900"
        >
          New collection{owned.length > 1 ? ` · ${w.name}` : ""}
        </Link>
      ))}
    </div>
  );
}
