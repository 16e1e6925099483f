import type { Metadata } from "next";
import { InvitationPage } from "@/components/auth/invitation-page";

export const metadata: Metadata = { title: "Invitation", referrer: "no-referrer" };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-md rounded-xl border border-slate-200 bg-surface p-6 shadow-sm">
        <InvitationPage token={token} />
      </div>
    </main>
  );
}
