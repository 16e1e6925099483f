"use client";
import { useEffect, useState } from "react";
import { browserDraftStorage, countDrafts } from "@/components/record/draft-storage";
import { crashMessage } from "@/components/shell/crash-message";
import { ErrorBlock } from "@/components/ui/states";

export default function AppError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  // Only what is true: count the drafts this browser actually holds (for this record, on a record page).
  const [drafts, setDrafts] = useState(0);
  useEffect(() => {
    const storage = browserDraftStorage();
    const recordId = /^\/records\/([^/]+)/.exec(window.location.pathname)?.[1];
    setDrafts(storage ? countDrafts(storage, recordId) : 0);
  }, []);
  return (
    <ErrorBlock
      title="Something went wrong on this page"
      message={crashMessage(error.digest, drafts)}
      onRetry={reset}
      back={{ href: "/", label: "Back to your collections" }}
    />
  );
}
