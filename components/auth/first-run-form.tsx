"use client";
// First run (no account exists yet): the owner's account and the first workspace in one form.
import { useRouter } from "next/navigation";
import { useEffect, useState, type FormEvent } from "react";
import { api, ApiError, messageOf } from "@/components/api/client";
import { INPUT_CLASS } from "@/components/fields/types";
import { Button } from "@/components/ui/button";
import { AccountFields, type AccountInput } from "./account-fields";

export function FirstRunForm() {
  const router = useRouter();
  const [isOpen, setIsOpen] = useState<boolean | null>(null);
  const [input, setInput] = useState<AccountInput>({ name: "", email: "", password: "" });
  const [workspaceName, setWorkspaceName] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  useEffect(() => {
    api.isFirstRun().then(setIsOpen, () => setIsOpen(false));
  }, []);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setIsBusy(true);
    setErrors({});
    setError(null);
    try {
      const workspace = await api.setUp({ ...input, workspaceName });
      await api.signIn(input.email.trim(), input.password);
      router.replace(`/workspaces/${workspace.id}`);
    } catch (e) {
      setIsBusy(false);
      if (e instanceof ApiError && e.fieldErrors) setErrors(e.fieldErrors);
      else setError(messageOf(e));
    }
  };
  if (isOpen === null)
    return (
      <p role="status" className="text-sm text-slate-600">
        Loading…
      </p>
    );
  if (!isOpen) {
    return (
      <p className="text-sm text-slate-700">
        Tandem is already set up.{" "}
        <a href="/sign-in" className="font-medium text-indigo-700 underline">
          Sign in
        </a>
        , or ask an owner for an invitation.
      </p>
    );
  }
  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-label="Set up Tandem">
      <AccountFields value={input} onChange={setInput} errors={errors} isNew />
      <div className="grid gap-1.5">
        <label htmlFor="first-workspace" className="text-sm font-medium text-slate-800">
          Workspace name
        </label>
        <input
          id="first-workspace"
          value={workspaceName}
          onChange={(e) => setWorkspaceName(e.target.value)}
          aria-invalid={!!errors.workspaceName || undefined}
          className={INPUT_CLASS}
        />
        {errors.workspaceName && <p className="text-sm text-rose-700">{errors.workspaceName}</p>}
      </div>
      {error && (
        <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800 ring-1 ring-rose-200">
          {error}
        </p>
      )}
      <Button type="submit" variant="primary" className="w-full" disabled={isBusy}>
        {isBusy ? "Setting up…" : "Create owner account and workspace"}
      </Button>
    </form>
  );
}
