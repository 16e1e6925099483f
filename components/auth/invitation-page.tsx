"use client";
// The page an invitation link opens: which workspace and role, then join. Someone signed in joins
// with one button; anyone else creates an account (let through by the link's token) or signs in,
// and joins straight after.
import { useRouter } from "next/navigation";
import { useEffect, useState, type FormEvent } from "react";
import { api, ApiError, messageOf, type InvitationInfo } from "@/components/api/client";
import { Button } from "@/components/ui/button";
import { AccountFields, type AccountInput } from "./account-fields";

type Viewer = { state: "loading" } | { state: "signed-in"; name: string } | { state: "signed-out" };

export function InvitationPage({ token }: { token: string }) {
  const router = useRouter();
  const [info, setInfo] = useState<InvitationInfo | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [viewer, setViewer] = useState<Viewer>({ state: "loading" });
  const [mode, setMode] = useState<"sign-up" | "sign-in">("sign-up");
  const [input, setInput] = useState<AccountInput>({ name: "", email: "", password: "" });
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);

  useEffect(() => {
    api
      .invitation(token)
      .then(setInfo, (e: unknown) =>
        setLoadError(e instanceof ApiError && e.status === 404 ? "This invitation link is not valid. Check that you copied all of it." : messageOf(e)),
      );
    api.me().then(
      (me) => setViewer({ state: "signed-in", name: me.user.name }),
      () => setViewer({ state: "signed-out" }),
    );
  }, [token]);

  const join = async () => {
    try {
      const workspace = await api.acceptInvitation(token);
      router.replace(`/workspaces/${workspace.id}`);
    } catch (e) {
      // Already a member (409): the link stays unused, and the workspace is where they wanted to go.
      const workspaceId = e instanceof ApiError && e.status === 409 ? e.body.workspaceId : null;
      if (typeof workspaceId !== "string") throw e;
      router.replace(`/workspaces/${workspaceId}`);
    }
  };
  const run = async (work: () => Promise<void>) => {
    setIsBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setIsBusy(false);
      setError(e instanceof ApiError && e.status === 401 ? "Wrong email or password." : messageOf(e));
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      if (mode === "sign-up") {
        if (!input.name.trim() || !input.email.trim() || input.password.length < 8)
          throw new Error("Give your name, your email and a password of at least 8 characters.");
        await api.signUp(input.name.trim(), input.email.trim(), input.password, token);
      }
      await api.signIn(input.email.trim(), input.password);
      await join();
    });
  };

  if (loadError)
    return (
      <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800">
        {loadError}
      </p>
    );
  if (!info || viewer.state === "loading")
    return (
      <p role="status" className="text-sm text-slate-600">
        Loading the invitation…
      </p>
    );
  const heading = (
    <h1 className="text-2xl font-semibold tracking-tight">
      Join {info.workspaceName}{" "}
      <span className="text-slate-600">as {info.role === "owner" ? "an owner" : info.role === "editor" ? "an editor" : "a viewer"}</span>
    </h1>
  );
  if (info.status !== "pending") {
    return (
      <div className="space-y-3">
        {heading}
        <p role="alert" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {info.status === "expired"
            ? "This invitation has expired."
            : info.status === "revoked"
              ? "This invitation was revoked."
              : "This invitation has already been used."}{" "}
          Ask an owner of the workspace for a new link.
        </p>
      </div>
    );
  }
  if (viewer.state === "signed-in") {
    return (
      <div className="space-y-4">
        {heading}
        <p className="text-sm text-slate-600">You are signed in as {viewer.name}.</p>
        {error && (
          <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800">
            {error}
          </p>
        )}
        <Button variant="primary" disabled={isBusy} onClick={() => void run(join)}>
          {isBusy ? "Joining…" : `Join ${info.workspaceName}`}
        </Button>
      </div>
    );
  }
  return (
    <div className="space-y-4">
      {heading}
      <div role="tablist" aria-label="Account" className="flex gap-2 text-sm">
        <button
          type="button"
          role="tab"
          aria-selected={mode === "sign-up"}
          onClick={() => setMode("sign-up")}
          className={`rounded-md px-3 py-1.5 ${mode === "sign-up" ? "bg-indigo-600 text-white" : "ring-1 ring-slate-300"}`}
        >
          Create an account
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={mode === "sign-in"}
          onClick={() => setMode("sign-in")}
          className={`rounded-md px-3 py-1.5 ${mode === "sign-in" ? "bg-indigo-600 text-white" : "ring-1 ring-slate-300"}`}
        >
          I have an account
        </button>
      </div>
      <form onSubmit={submit} noValidate className="space-y-4" aria-label={mode === "sign-up" ? "Create an account and join" : "Sign in and join"}>
        <AccountFields value={input} onChange={setInput} isNew={mode === "sign-up"} />
        {error && (
          <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800 ring-1 ring-rose-200">
            {error}
          </p>
        )}
        <Button type="submit" variant="primary" className="w-full" disabled={isBusy}>
          {isBusy ? "Joining…" : mode === "sign-up" ? "Create account and join" : "Sign in and join"}
        </Button>
      </form>
    </div>
  );
}
