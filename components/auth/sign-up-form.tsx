"use client";
// Open sign-up (TANDEM_OPEN_SIGNUP=true): an account with no workspace yet; the home page then
// offers to create one. Without open sign-up the server refuses, and this says how to get in.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { api, ApiError, messageOf } from "@/components/api/client";
import { Button } from "@/components/ui/button";
import { AccountFields, type AccountInput } from "./account-fields";

export function SignUpForm() {
  const router = useRouter();
  const [input, setInput] = useState<AccountInput>({ name: "", email: "", password: "" });
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!input.name.trim() || !input.email.trim() || input.password.length < 8)
      return setError("Give your name, your email and a password of at least 8 characters.");
    setIsBusy(true);
    setError(null);
    try {
      await api.signUp(input.name.trim(), input.email.trim(), input.password);
      await api.signIn(input.email.trim(), input.password);
      router.replace("/");
    } catch (e) {
      setIsBusy(false);
      setError(e instanceof ApiError && e.status === 401 ? "This account could not be signed in. If you already have one, sign in instead." : messageOf(e));
    }
  };
  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-label="Create an account">
      <AccountFields value={input} onChange={setInput} isNew />
      {error && (
        <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800 ring-1 ring-rose-200">
          {error}
        </p>
      )}
      <Button type="submit" variant="primary" className="w-full" disabled={isBusy}>
        {isBusy ? "Creating…" : "Create account"}
      </Button>
      <p className="text-center text-sm text-slate-600">
        Have an account?{" "}
        <a href="/sign-in" className="font-medium text-indigo-700 underline">
          Sign in
        </a>
      </p>
    </form>
  );
}
