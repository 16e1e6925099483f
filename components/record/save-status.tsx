export function SaveStatus({
  isSaving,
  isDirty,
  isReadOnly,
  isWaiting = false,
  version,
}: {
  isSaving: boolean;
  isDirty: boolean;
  isReadOnly: boolean;
  isWaiting?: boolean;
  version: number;
}) {
  const [dot, text] = isSaving
    ? ["bg-sky-500 animate-pulse", "Saving…"]
    : isWaiting
      ? ["bg-amber-500 animate-pulse", "Waiting to retry"]
      : isDirty
        ? ["bg-amber-500", "Unsaved changes"]
        : isReadOnly
          ? ["bg-slate-500", `Read-only · v${version}`]
          : ["bg-emerald-500", `Saved · v${version}`];
  return (
    <span data-testid="save-status" aria-live="polite" className="inline-flex items-center gap-2 text-sm whitespace-nowrap text-slate-700 sm:min-w-36">
      <span aria-hidden="true" className={`size-2 rounded-full ${dot}`} />
      {text}
    </span>
  );
}
