"use client";
import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState, type FormEvent } from "react";
import { api, ApiError, messageOf } from "@/components/api/client";
import { INPUT_CLASS } from "@/components/fields/types";
import { Button } from "@/components/ui/button";
import { safeRedirectPath } from "@/lib/safe-redirect";

export function SignInForm() {
  const router = useRouter();
  const params = useSearchParams();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const [isOpenSignup, setIsOpenSignup] = useState(false);
  // First run (no account yet, no demo): the visitor is led to create the owner account instead.
  useEffect(() => {
    api.signUpOptions().then(
      (options) => {
        if (options.isFirstRun) router.replace("/setup");
        setIsOpenSignup(options.isOpenSignup);
      },
      () => undefined,
    );
  }, [router]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!email || !password) return setError("Enter your email and password.");
    setIsBusy(true);
    setError(null);
    try {
      await api.signIn(email.trim(), password);
      router.replace(safeRedirectPath(params.get("next")));
    } catch (e) {
      setIsBusy(false);
      setError(e instanceof ApiError && (e.status === 401 || e.status === 400) ? "Wrong email or password." : messageOf(e));
    }
  };

  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-describedby={error ? "sign-in-error" : undefined}>
      <div className="grid gap-1.5">
        <label htmlFor="email" className="text-sm font-medium text-slate-800">
          Email
        </label>
        <input
          id="email"
          type="email"
          autoComplete="email"
          autoFocus
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          aria-invalid={!!error || undefined}
          className={INPUT_CLASS}
        />
      </div>
      <div className="grid gap-1.5">
        <label htmlFor="password" className="text-sm font-medium text-slate-800">
          Password
        </label>
        <input
          id="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          aria-invalid={!!error || undefined}
          className={INPUT_CLASS}
        />
      </div>
      {error && (
        <p id="sign-in-error" role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800 ring-1 ring-rose-200">
          {error}
        </p>
      )}
      <Button type="submit" variant="primary" className="w-full" disabled={isBusy}>
        {isBusy ? "Signing in…" : "Sign in"}
      </Button>
      {isOpenSignup && (
        <p className="text-center text-sm text-slate-600">
          New here?{" "}
          <a href="/sign-up" className="font-medium text-indigo-700 underline">
            Create an account
          </a>
        </p>
      )}
    </form>
  );
}
