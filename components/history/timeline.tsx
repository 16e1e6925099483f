import type { FieldDef, RevisionDto, RevisionKind } from "@/lib/types";
import { joinNames, readRevisionMeta, revisionAuthors } from "@/lib/revision-meta";
import { formatTime } from "@/components/ui/format";
import { inFormOrder } from "./field-order";

export const KIND_STYLE: Record<RevisionKind, string> = {
  create: "bg-slate-100 text-slate-700",
  save: "bg-sky-100 text-sky-800",
  merge: "bg-violet-100 text-violet-800",
  restore: "bg-amber-100 text-amber-800",
  delete: "bg-rose-100 text-rose-800",
  undelete: "bg-emerald-100 text-emerald-800",
};

/** The kind of a version; a rich-text checkpoint (a save from the live document) says so. */
export function KindBadge({ revision }: { revision: Pick<RevisionDto, "kind" | "meta"> }) {
  const isCheckpoint = readRevisionMeta(revision.meta).kind === "checkpoint";
  return (
    <span className={`rounded px-1.5 py-0.5 text-[11px] font-medium capitalize ${KIND_STYLE[revision.kind] ?? KIND_STYLE.save}`}>
      {isCheckpoint ? "live text" : revision.kind}
    </span>
  );
}

type Props = { revisions: RevisionDto[]; fields: FieldDef[]; selected: number | null; currentVersion: number; onSelect: (version: number) => void };

/** Newest first; arrow keys move between versions. */
export function Timeline({ revisions, fields, selected, currentVersion, onSelect }: Props) {
  const label = (key: string) => fields.find((f) => f.key === key)?.label ?? key;
  const onKey = (event: React.KeyboardEvent, index: number) => {
    const next = event.key === "ArrowDown" ? index + 1 : event.key === "ArrowUp" ? index - 1 : -1;
    const target = revisions[next];
    if (!target) return;
    event.preventDefault();
    onSelect(target.version);
    document.getElementById(`rev-${target.version}`)?.focus();
  };
  return (
    <ol aria-label="Versions" className="space-y-1">
      {revisions.map((rev, i) => {
        const isSelected = rev.version === selected;
        const changed = inFormOrder(fields, Object.keys(rev.changes));
        return (
          <li key={rev.version}>
            <button
              id={`rev-${rev.version}`}
              type="button"
              aria-current={isSelected ? "true" : undefined}
              onClick={() => onSelect(rev.version)}
              onKeyDown={(e) => onKey(e, i)}
              className={`w-full rounded-lg border px-3 py-2.5 text-left transition focus-visible:outline-2 focus-visible:outline-indigo-600 ${
                isSelected ? "border-indigo-300 bg-indigo-50" : "border-transparent hover:bg-surface"
              }`}
            >
              <span className="flex flex-wrap items-center gap-x-2 gap-y-0.5 text-sm">
                <span className="font-semibold tabular-nums text-slate-900">v{rev.version}</span>
                <KindBadge revision={rev} />
                {rev.version === currentVersion && <span className="text-[11px] font-medium text-emerald-800">current</span>}
                <span className="ml-auto text-xs text-slate-600">{formatTime(rev.createdAt)}</span>
              </span>
              <span className="mt-0.5 block text-sm text-slate-700">{joinNames(revisionAuthors(rev.author, rev.meta).map((p) => p.name))}</span>
              <span className="mt-0.5 block truncate text-xs text-slate-600">{changed.length ? changed.map(label).join(", ") : "no field changes"}</span>
            </button>
          </li>
        );
      })}
    </ol>
  );
}
