"use client";
// "Leave workspace", after asking: the membership goes at once; the last owner is told to name
// another owner first (the server decides).
import { useRouter } from "next/navigation";
import { useState } from "react";
import { api, messageOf } from "@/components/api/client";
import { useSession } from "@/components/shell/session";
import { Button } from "@/components/ui/button";

export function LeaveWorkspace({ workspaceId, workspaceName }: { workspaceId: string; workspaceName: string }) {
  const router = useRouter();
  const { me, refresh } = useSession();
  const [isAsking, setIsAsking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!me) return null;
  const leave = async () => {
    setError(null);
    try {
      await api.removeMember(workspaceId, me.user.id);
      window.localStorage.removeItem("tandem:workspace");
      await refresh();
      router.replace("/");
    } catch (e) {
      setError(messageOf(e));
    }
  };
  if (!isAsking)
    return (
      <Button size="sm" variant="ghost" onClick={() => setIsAsking(true)}>
        Leave workspace…
      </Button>
    );
  return (
    <div
      role="group"
      aria-label={`Leave ${workspaceName}?`}
      className="flex flex-wrap items-center gap-2 rounded-lg border border-rose-200 bg-rose-50 px-3 py-2 text-sm"
    >
      <span>Leave {workspaceName}? You will need a new invitation to come back.</span>
      <Button size="sm" variant="danger" onClick={() => void leave()}>
        Leave
      </Button>
      <Button
        size="sm"
        variant="ghost"
        onClick={() => {
          setIsAsking(false);
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
  );
}
