"use client";
// On the collections page, owners see where to create a collection in each workspace they own.
import Link from "next/link";
import { can } from "@/lib/permissions";
import type { CollectionDto } from "@/lib/types";

export function NewCollectionLinks({ collections }: { collections: CollectionDto[] }) {
  const owned = [...new Map(collections.filter((c) => can(c.role, "collection.manage")).map((c) => [c.workspaceId, c.workspaceName ?? "Workspace"])).entries()];
  if (owned.length === 0) return null;
  return (
    <div className="flex flex-wrap gap-3 text-sm">
      {owned.map(([id, name]) => (
        <Link key={id} href={`/workspaces/${id}/collections/new`} className="font-medium text-indigo-700 underline underline-offset-2 hover:text-indigo-900">
          New collection{owned.length > 1 ? ` · ${name}` : ""}
        </Link>
      ))}
    </div>
  );
}
