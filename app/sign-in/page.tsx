import type { Metadata } from "next";
import { Suspense } from "react";
import { SignInForm } from "@/components/auth/sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default function SignInPage() {
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm">
        <div className="mb-8 text-center">
          <span aria-hidden="true" className="mx-auto grid size-10 place-items-center rounded-lg bg-indigo-600 text-lg font-semibold text-white">
            T
          </span>
          <h1 className="mt-4 text-2xl font-semibold tracking-tight">Sign in to Tandem</h1>
          <p className="mt-1 text-sm text-slate-600">Shared records, edited together. Nothing lost.</p>
        </div>
        <div className="rounded-xl border border-slate-200 bg-surface p-6 shadow-sm">
          <Suspense>
            <SignInForm />
          </Suspense>
        </div>
      </div>
    </main>
  );
}
