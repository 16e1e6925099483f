"use client";
// "Restore this version" asks first: what will change against the current version, field by field.
import { useEffect, useRef, useState } from "react";
import type { FieldChanges, FieldDef } from "@/lib/types";
import { api, messageOf } from "@/components/api/client";
import { useFocusTrap } from "@/components/merge/use-focus-trap";
import { Button } from "@/components/ui/button";
import type { UserNames } from "@/components/ui/format";
import { LoadingBlock } from "@/components/ui/states";
import { ChangeList } from "./change-list";

export type RestoreRequest = { version: number; fields?: string[] };

type Props = {
  recordId: string;
  currentVersion: number;
  request: RestoreRequest;
  fields: FieldDef[];
  users: UserNames;
  isBusy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
};

/** Only the fields the restore would write; a field restore writes just its field. */
export function restoreChanges(changes: FieldChanges, only?: string[]): FieldChanges {
  if (!only) return changes;
  return Object.fromEntries(Object.entries(changes).filter(([key]) => only.includes(key)));
}

export function RestoreConfirm({ recordId, currentVersion, request, fields, users, isBusy, onConfirm, onCancel }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  useFocusTrap(ref, onCancel);
  const [changes, setChanges] = useState<FieldChanges | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let isCurrent = true;
    api.compare(recordId, currentVersion, request.version).then(
      (data) => isCurrent && setChanges(restoreChanges(data.changes, request.fields)),
      (e) => isCurrent && setError(messageOf(e)),
    );
    return () => {
      isCurrent = false;
    };
  }, [recordId, currentVersion, request.version, request.fields]);
  const label = request.fields?.length === 1 ? (fields.find((f) => f.key === request.fields![0])?.label ?? request.fields[0]) : null;
  const title = label ? `Restore ${label} from v${request.version}?` : `Restore v${request.version}?`;
  const count = changes ? Object.keys(changes).length : 0;
  return (
    <div className="fixed inset-0 z-50 flex items-start justify-center overflow-y-auto bg-black/50 p-3 sm:p-10">
      <div
        ref={ref}
        role="dialog"
        aria-modal="true"
        aria-labelledby="restore-title"
        aria-describedby="restore-desc"
        tabIndex={-1}
        className="w-full max-w-2xl min-w-0 rounded-xl bg-surface shadow-2xl ring-1 ring-slate-900/10 outline-none"
      >
        <header className="border-b border-slate-200 px-4 py-4 sm:px-6">
          <h2 id="restore-title" className="text-lg font-semibold text-slate-900">
            {title}
          </h2>
          <p id="restore-desc" className="mt-1 text-sm text-slate-600">
            {changes === null && !error
              ? "Working out what would change…"
              : count === 0
                ? `Nothing would change: the current version (v${currentVersion}) already has these values.`
                : `This saves a new version. Compared with the current version (v${currentVersion}), ${count === 1 ? "this field changes" : `these ${count} fields change`}:`}
          </p>
        </header>
        <div className="max-h-[60vh] overflow-y-auto px-4 py-2 sm:px-6">
          {error && (
            <p role="alert" className="py-3 text-sm text-rose-700">
              Couldn’t compare the versions: {error}
            </p>
          )}
          {!changes && !error && <LoadingBlock label="Comparing versions" rows={2} />}
          {changes && count > 0 && (
            <ChangeList changes={changes} fields={fields} users={users} labels={{ from: `now (v${currentVersion})`, to: `after the restore` }} />
          )}
        </div>
        <footer className="flex flex-wrap items-center justify-end gap-2 border-t border-slate-200 px-4 py-3 sm:px-6">
          <Button onClick={onCancel}>Cancel</Button>
          <Button variant="primary" onClick={onConfirm} disabled={isBusy || !changes || count === 0}>
            {isBusy ? "Restoring…" : label ? `Restore ${label} from v${request.version}` : `Restore v${request.version}`}
          </Button>
        </footer>
      </div>
    </div>
  );
}
