"use client";
// "Rename…" for owners: the new name is sent with the workspace's ETag, so a rename someone else
// made meanwhile is never overwritten unseen: the page says what it became, keeps the name typed
// here, and a second save (now from the current version) replaces it on purpose.
import { useState } from "react";
import { api, ApiError, messageOf, type Workspace } from "@/components/api/client";
import { INPUT_CLASS } from "@/components/fields/types";
import { useSession } from "@/components/shell/session";
import { Button } from "@/components/ui/button";

export function RenameWorkspace({ workspace }: { workspace: Workspace }) {
  const { refresh } = useSession();
  const [draft, setDraft] = useState<string | null>(null);
  const [etag, setEtag] = useState(workspace.etag);
  const [problem, setProblem] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  if (!workspace.permissions["workspace.manage"]) return null;
  if (draft === null)
    return (
      <div className="flex items-center gap-2">
        <Button
          size="sm"
          variant="ghost"
          onClick={() => {
            setDraft(workspace.name);
            setEtag(workspace.etag);
            setDone(null);
          }}
        >
          Rename…
        </Button>
        {done && (
          <p role="status" className="text-sm text-slate-700">
            {done}
          </p>
        )}
      </div>
    );
  const save = async () => {
    setIsBusy(true);
    setProblem(null);
    setFieldError(null);
    try {
      const renamed = await api.renameWorkspace(workspace.id, etag, draft);
      await refresh();
      setDraft(null);
      setDone(`Renamed to “${renamed.name}”.`);
    } catch (error) {
      if (error instanceof ApiError && error.isStale) {
        const current = error.body.current as Workspace | undefined;
        if (current) setEtag(current.etag);
        setProblem(`Someone renamed it to “${current?.name ?? "another name"}” meanwhile. Your name is kept here: save again to use it, or cancel.`);
        void refresh();
      } else if (error instanceof ApiError && error.fieldErrors?.name) setFieldError(error.fieldErrors.name);
      else setProblem(messageOf(error));
    } finally {
      setIsBusy(false);
    }
  };
  return (
    <form
      aria-label="Rename workspace"
      className="flex flex-wrap items-start gap-2 rounded-lg border border-slate-200 bg-surface px-3 py-2 text-sm"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <div className="min-w-48 flex-1">
        <label htmlFor="rename-workspace" className="sr-only">
          New workspace name
        </label>
        <input
          id="rename-workspace"
          className={INPUT_CLASS}
          value={draft}
          aria-invalid={!!fieldError}
          aria-describedby={fieldError ? "rename-workspace-error" : undefined}
          onChange={(e) => setDraft(e.target.value)}
        />
        {fieldError && (
          <p id="rename-workspace-error" className="mt-1 text-rose-700">
            {fieldError}
          </p>
        )}
      </div>
      <Button size="sm" variant="primary" type="submit" disabled={isBusy}>
        Save name
      </Button>
      <Button
        size="sm"
        variant="ghost"
        onClick={() => {
          setDraft(null);
          setProblem(null);
          setFieldError(null);
        }}
      >
        Cancel
      </Button>
      {problem && (
        <p role="alert" className="w-full text-rose-700">
          {problem}
        </p>
      )}
    </form>
  );
}
