"use client";
// The record page's destructive actions, each behind a confirmation: discard the unsaved changes
// (the draft goes too), and delete (with If-Match; the record goes to the collection's trash and
// can be brought back from there, or at once with Undo).
import Link from "next/link";
import { useState } from "react";
import { messageOf } from "@/components/api/client";
import { Button } from "@/components/ui/button";

type Confirming = "discard" | "delete" | null;

export function RecordActions(props: {
  collectionId: string;
  isDirty: boolean;
  canDiscard: boolean;
  canDelete: boolean;
  onDiscard: () => void;
  onDelete: () => Promise<string>;
  onUndelete: (etag: string) => Promise<void>;
}) {
  const [confirming, setConfirming] = useState<Confirming>(null);
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const [deletedEtag, setDeletedEtag] = useState<string | null>(null);
  const run = async (work: () => Promise<void>) => {
    setIsBusy(true);
    setError(null);
    try {
      await work();
      setConfirming(null);
    } catch (e) {
      setError(messageOf(e));
    }
    setIsBusy(false);
  };
  if (deletedEtag) {
    return (
      <div role="status" className="flex flex-wrap items-center gap-3 rounded-lg border border-slate-200 bg-slate-50 px-4 py-3 text-sm">
        <span className="flex-1">
          You deleted this record. It is in the{" "}
          <Link href={`/collections/${props.collectionId}/trash`} className="font-medium underline">
            trash
          </Link>
          , with its history.
        </span>
        {error && (
          <span role="alert" className="text-rose-700">
            {error}
          </span>
        )}
        <Button
          size="sm"
          disabled={isBusy}
          onClick={() =>
            void run(async () => {
              await props.onUndelete(deletedEtag);
              setDeletedEtag(null);
            })
          }
        >
          Undo delete
        </Button>
      </div>
    );
  }
  if (!props.canDelete && !(props.canDiscard && props.isDirty)) return null;
  return (
    <div className="flex flex-wrap items-center justify-end gap-2 text-sm">
      {confirming === null && (
        <>
          {props.canDiscard && props.isDirty && (
            <Button size="sm" variant="ghost" onClick={() => setConfirming("discard")}>
              Discard changes…
            </Button>
          )}
          {props.canDelete && (
            <Button size="sm" variant="danger" onClick={() => setConfirming("delete")}>
              Delete…
            </Button>
          )}
        </>
      )}
      {confirming === "discard" && (
        <div
          role="group"
          aria-label="Discard your unsaved changes?"
          className="flex flex-wrap items-center gap-2 rounded-lg border border-amber-200 bg-amber-50 px-3 py-2"
        >
          <span>Discard your unsaved changes? This cannot be undone.</span>
          <Button
            size="sm"
            variant="danger"
            onClick={() => {
              props.onDiscard();
              setConfirming(null);
            }}
          >
            Discard
          </Button>
          <Button size="sm" variant="ghost" onClick={() => setConfirming(null)}>
            Keep editing
          </Button>
        </div>
      )}
      {confirming === "delete" && (
        <div role="group" aria-label="Delete this record?" className="flex flex-wrap items-center gap-2 rounded-lg border border-rose-200 bg-rose-50 px-3 py-2">
          <span>Delete this record? It goes to the trash, where it can be restored.</span>
          <Button size="sm" variant="danger" disabled={isBusy} onClick={() => void run(async () => setDeletedEtag(await props.onDelete()))}>
            {isBusy ? "Deleting…" : "Delete"}
          </Button>
          <Button
            size="sm"
            variant="ghost"
            onClick={() => {
              setConfirming(null);
              setError(null);
            }}
          >
            Cancel
          </Button>
          {error && (
            <p role="alert" className="w-full text-rose-700">
              {error}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
