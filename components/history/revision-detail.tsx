import type { FieldDef, RevisionDto } from "@/lib/types";
import { joinNames, revisionAuthors } from "@/lib/revision-meta";
import { Button } from "@/components/ui/button";
import { formatTime, type UserNames } from "@/components/ui/format";
import { ChangeList } from "./change-list";
import { InitialValues } from "./initial-values";
import { MetaLine } from "./meta-line";
import { KindBadge } from "./timeline";

type Props = {
  revision: RevisionDto;
  fields: FieldDef[];
  users: UserNames;
  canRestore: boolean;
  isCurrent: boolean;
  isBusy: boolean;
  onRestore: (fields?: string[]) => void;
};

export function RevisionDetail({ revision, fields, users, canRestore, isCurrent, isBusy, onRestore }: Props) {
  const label = (key: string) => fields.find((f) => f.key === key)?.label ?? key;
  const canRestoreHere = canRestore && !isCurrent && revision.kind !== "delete";
  const authors = revisionAuthors(revision.author, revision.meta).map((p) => p.name);
  return (
    <section aria-labelledby="revision-title" className="rounded-xl border border-slate-200 bg-surface p-5 shadow-sm">
      <div className="flex flex-wrap items-start gap-3">
        <div className="min-w-0 flex-1">
          <h2 id="revision-title" className="flex items-center gap-2 text-lg font-semibold">
            Version {revision.version} <KindBadge revision={revision} />
          </h2>
          <p className="text-sm text-slate-600">
            {joinNames(authors)} · {formatTime(revision.createdAt)}
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
      <h3 className="mt-4 text-xs font-semibold tracking-wide text-slate-600 uppercase">
        {revision.kind === "create" ? "Initial values" : `Changes from v${revision.version - 1}`}
      </h3>
      {revision.kind === "create" ? (
        <InitialValues changes={revision.changes} fields={fields} users={users} />
      ) : (
        <ChangeList
          changes={revision.changes}
          fields={fields}
          users={users}
          isBusy={isBusy}
          onRestoreField={canRestoreHere ? (key) => onRestore([key]) : undefined}
          labels={{ from: `v${revision.version - 1}`, to: `v${revision.version}` }}
        />
      )}
    </section>
  );
}
