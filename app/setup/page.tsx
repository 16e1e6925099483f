import type { Metadata } from "next";
import { FirstRunForm } from "@/components/auth/first-run-form";

export const metadata: Metadata = { title: "Set up Tandem" };

export default function SetupPage() {
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-md">
        <div className="mb-6 text-center">
          <span aria-hidden="true" className="mx-auto grid size-10 place-items-center rounded-lg bg-indigo-600 text-lg font-semibold text-white">
            T
          </span>
          <h1 className="mt-4 text-2xl font-semibold tracking-tight">Welcome to Tandem</h1>
          <p className="mt-1 text-sm text-slate-600">Create the owner account and your team’s first workspace.</p>
        </div>
        <div className="rounded-xl border border-slate-200 bg-surface p-6 shadow-sm">
          <FirstRunForm />
        </div>
      </div>
    </main>
  );
}
