"use client";
// On the collections page, owners see a way to their workspace's webhooks and contention, and a notice when one
// of them was disabled after failing (nothing reaches it until someone enables it again).
import Link from "next/link";
import { useEffect, useState } from "react";
import type { CollectionDto } from "@/lib/types";
import { api } from "@/components/api/client";
import { disabledNotice } from "./webhook-text";

export function WebhookLinks({ collections }: { collections: CollectionDto[] }) {
  const owned = [...new Map(collections.filter((c) => c.role === "owner").map((c) => [c.workspaceId, c.workspaceName ?? "Workspace"])).entries()];
  const key = owned.map(([id]) => id).join(",");
  const [notices, setNotices] = useState<Record<string, string>>({});
  useEffect(() => {
    let isCurrent = true;
    for (const id of key ? key.split(",") : []) {
      api.webhooks(id).then(
        (list) => {
          const text = disabledNotice(list);
          if (isCurrent) setNotices((all) => ({ ...all, [id]: text ?? "" }));
        },
        () => {},
      );
    }
    return () => {
      isCurrent = false;
    };
  }, [key]);
  if (owned.length === 0) return null;
  return (
    <div className="space-y-2">
      {owned.map(([id, name]) => (
        <div key={id} className="flex flex-wrap items-center gap-3 text-sm">
          <Link href={`/workspaces/${id}/webhooks`} className="font-medium text-indigo-700 underline underline-offset-2 hover:text-indigo-900">
            Webhooks{owned.length > 1 ? ` · ${name}` : ""}
          </Link>
          <Link href={`/workspaces/${id}/contention`} className="font-medium text-indigo-700 underline underline-offset-2 hover:text-indigo-900">
            Contention{owned.length > 1 ? ` · ${name}` : ""}
          </Link>
          {notices[id] && (
            <span role="alert" className="rounded-md bg-rose-50 px-2 py-1 text-rose-900 ring-1 ring-rose-200">
              {notices[id]}
            </span>
          )}
        </div>
      ))}
    </div>
  );
}
