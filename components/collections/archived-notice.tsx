"use client";
// The notice every page of an archived collection shows (SPEC P4): its records are read-only,
// reading and export still work, and an owner can unarchive it from here.
import { useState } from "react";
import { api, ApiError, messageOf } from "@/components/api/client";
import { Button } from "@/components/ui/button";
import type { CollectionDto } from "@/lib/types";

export function ArchivedNotice({ collection, onUnarchived }: { collection: CollectionDto; onUnarchived?: (fresh: CollectionDto) => void }) {
  const [isBusy, setIsBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  if (!collection.archivedAt) return null;
  const mayUnarchive = collection.permissions["collection.manage"];
  const unarchive = async () => {
    setIsBusy(true);
    setProblem(null);
    try {
      // The schema's own token: someone else's edit meanwhile is a 412, never overwritten.
      const schema = await api.schema(collection.id);
      if (schema.archived) await api.patchSchema(collection.id, schema.etag, { archived: false });
      onUnarchived?.(await api.collection(collection.id));
    } catch (error) {
      setProblem(error instanceof ApiError && error.isStale ? "Someone changed this collection meanwhile; try again." : messageOf(error));
    } finally {
      setIsBusy(false);
    }
  };
  return (
    <div
      role="status"
      data-testid="archived-notice"
      className="flex flex-wrap items-center gap-3 rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900"
    >
      <p className="flex-1 basis-64">
        <strong className="font-semibold">Archived.</strong> {collection.name} is read-only: its records can be read and exported, not created, changed, deleted
        or restored{mayUnarchive ? "" : " until an owner unarchives it"}.{problem && <span className="mt-1 block text-rose-800">{problem}</span>}
      </p>
      {mayUnarchive && (
        <Button size="sm" disabled={isBusy} onClick={() => void unarchive()}>
          Unarchive
        </Button>
      )}
    </div>
  );
}
