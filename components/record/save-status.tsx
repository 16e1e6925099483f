export function SaveStatus({ isSaving, isDirty, isReadOnly, version }: { isSaving: boolean; isDirty: boolean; isReadOnly: boolean; version: number }) {
  const [dot, text] = isSaving
    ? ["bg-sky-500 animate-pulse", "Saving…"]
    : isDirty
      ? ["bg-amber-500", "Unsaved changes"]
      : isReadOnly
        ? ["bg-slate-400", `Read-only · v${version}`]
        : ["bg-emerald-500", `Saved · v${version}`];
  return (
    <span data-testid="save-status" aria-live="polite" className="inline-flex min-w-36 items-center gap-2 text-sm text-slate-600">
      <span aria-hidden="true" className={`size-2 rounded-full ${dot}`} />
      {text}
    </span>
  );
}
