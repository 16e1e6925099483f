"use client";
// Creates a workspace (the creator owns it) and goes to it; a refusal shows beside the name and
// keeps what was typed.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { api, ApiError, messageOf } from "@/components/api/client";
import { useSession } from "@/components/shell/session";
import { Button } from "@/components/ui/button";

export function NewWorkspaceForm({ isFirst = false }: { isFirst?: boolean }) {
  const router = useRouter();
  const { refresh } = useSession();
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setIsBusy(true);
    setError(null);
    try {
      const workspace = await api.createWorkspace(name);
      await refresh();
      router.push(`/workspaces/${workspace.id}`);
    } catch (e) {
      setError(e instanceof ApiError ? (e.fieldErrors?.name ?? e.message) : messageOf(e));
      setIsBusy(false);
    }
  };
  return (
    <form onSubmit={submit} className="max-w-md space-y-3 rounded-xl border border-slate-200 bg-surface p-5 shadow-sm" aria-label="New workspace">
      <h2 className="font-semibold">{isFirst ? "Create your first workspace" : "New workspace"}</h2>
      <p className="text-sm text-slate-600">You will be its owner, and can invite your team from its Members page.</p>
      <div>
        <label htmlFor="workspace-name-input" className="block text-sm font-medium text-slate-700">
          Workspace name
        </label>
        <input
          id="workspace-name-input"
          value={name}
          onChange={(e) => setName(e.target.value)}
          maxLength={200}
          aria-invalid={!!error}
          aria-describedby={error ? "workspace-name-error" : undefined}
          className="mt-1 w-full rounded-md border border-slate-300 bg-surface px-3 py-2 text-sm"
        />
        {error && (
          <p id="workspace-name-error" role="alert" className="mt-1 text-sm text-rose-700">
            {error}
          </p>
        )}
      </div>
      <Button type="submit" variant="primary" disabled={isBusy}>
        {isBusy ? "Creating…" : "Create workspace"}
      </Button>
    </form>
  );
}
