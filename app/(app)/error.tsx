"use client";
import { ErrorBlock } from "@/components/ui/states";

export default function AppError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <ErrorBlock title="Something went wrong on this page" message={error.digest ? `Reference ${error.digest}. Your unsaved edits are kept as a draft.` : "Your unsaved edits are kept as a draft."} onRetry={reset} />;
}
