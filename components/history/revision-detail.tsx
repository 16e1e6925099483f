import { parseRevisionMeta } from "@/lib/revision-meta";
import type { FieldDef, RevisionDto } from "@/lib/types";
import { Button } from "@/components/ui/button";
import { formatTime, type UserNames } from "@/components/ui/format";
import { ChangeList } from "./change-list";
import { KindBadge } from "./timeline";

const RESOLUTION_TEXT: Record<string, string> = { mine: "kept mine", theirs: "took theirs", both: "applied both", edit: "edited by hand", auto: "merged automatically" };

function MetaLine({ revision, label }: { revision: RevisionDto; label: (key: string) => string }) {
  const parsed = parseRevisionMeta(revision.meta);
  if (parsed.kind === "restore") {
    const { meta } = parsed;
    return <p className="text-sm text-slate-600">Restored from v{meta.restoredFrom}{meta.fields?.length ? ` (${meta.fields.map(label).join(", ")})` : ""}.</p>;
  }
  if (parsed.kind === "checkpoint") {
    return <p className="text-sm text-slate-600">Rich text typed live by {parsed.meta.editors.map((e) => e.name).join(", ")}.</p>;
  }
  if (parsed.kind !== "merge") return null;
  const { meta } = parsed;
  const parts = Object.entries(meta.fields).map(([key, how]) => `${label(key)}: ${RESOLUTION_TEXT[how] ?? how}`);
  return (
    <p className="text-sm text-slate-600">
      Merge of edits based on v{meta.baseVersion} over v{meta.overrodeVersion}{parts.length ? ` — ${parts.join("; ")}` : ""}.
    </p>
  );
}

type Props = { revision: RevisionDto; fields: FieldDef[]; users: UserNames; canRestore: boolean; isCurrent: boolean; isBusy: boolean; onRestore: (fields?: string[]) => void };

export function RevisionDetail({ revision, fields, users, canRestore, isCurrent, isBusy, onRestore }: Props) {
  const label = (key: string) => fields.find((f) => f.key === key)?.label ?? key;
  const canRestoreHere = canRestore && !isCurrent && revision.kind !== "delete";
  return (
    <section aria-labelledby="revision-title" className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
      <div className="flex flex-wrap items-start gap-3">
        <div className="flex-1">
          <h2 id="revision-title" className="flex items-center gap-2 text-lg font-semibold">
            Version {revision.version} <KindBadge kind={revision.kind} />
          </h2>
          <p className="text-sm text-slate-500">
            {revision.author.name} · {formatTime(revision.createdAt)}
          </p>
        </div>
        {canRestoreHere && (
          <Button onClick={() => onRestore()} disabled={isBusy}>
            Restore this version
          </Button>
        )}
      </div>
      <div className="mt-2">
        <MetaLine revision={revision} label={label} />
      </div>
      <h3 className="mt-4 text-xs font-semibold tracking-wide text-slate-500 uppercase">
        {revision.kind === "create" ? "Initial values" : `Changes from v${revision.version - 1}`}
      </h3>
      <ChangeList changes={revision.changes} fields={fields} users={users} isBusy={isBusy} onRestoreField={canRestoreHere ? (key) => onRestore([key]) : undefined} />
    </section>
  );
}
