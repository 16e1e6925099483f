"use client";
import { useMemo, useRef, useState } from "react";
import type { MergeChoice } from "@/lib/merge-choices";
import type { FieldDef } from "@/lib/types";
import { formErrors } from "@/components/fields/form-check";
import type { Member } from "@/components/api/client";
import type { MergeSession } from "@/components/record/save-flow";
import { Button } from "@/components/ui/button";
import { formatTime, userLocale } from "@/components/ui/format";
import { ConflictField } from "./conflict-field";
import { buildMerge, toServerChoices, type Choices, type FieldChoice } from "./merge-state";
import { useFocusTrap } from "./use-focus-trap";

type Props = {
  session: MergeSession;
  /** what the user chose so far; kept by the page so that a refreshed dialog carries it over */
  choices: Choices;
  /** fields someone changed again since the dialog opened: their choice starts over */
  changedAgain: string[];
  onChoose: (key: string, choice: FieldChoice) => void;
  fields: FieldDef[];
  members: Member[];
  isSaving: boolean;
  onSave: (choices: Record<string, MergeChoice>) => Promise<Record<string, string> | null>;
  onCancel: () => void;
};

const HOW_TEXT: Record<string, string> = {
  mine: "your change",
  theirs: "their change",
  same: "same change on both sides",
  counter: "both changes applied",
  tags: "both tag changes kept",
  text: "lines merged",
};

/** The modal that settles a refused save field by field. */
export function MergeDialog({ session, choices, changedAgain, onChoose, fields, members, isSaving, onSave, onCancel }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  useFocusTrap(ref, onCancel);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const defs = useMemo(() => new Map(fields.map((f) => [f.key, f])), [fields]);
  const users = useMemo(() => Object.fromEntries(members.map((m) => [m.id, m.name])), [members]);
  const outcome = buildMerge(session.result, choices);
  const theirs = { name: session.current.updatedBy.name, at: session.current.updatedAt, version: session.current.version };
  const label = (key: string) => defs.get(key)?.label ?? key;

  const submit = async () => {
    if (outcome.unresolved.length > 0 || isSaving) return;
    const keys = session.result.conflicts.map((c) => c.key).filter((key) => defs.has(key));
    const problems = formErrors(fields, Object.fromEntries(keys.map((key) => [key, outcome.values[key]])), "patch", userLocale());
    if (Object.keys(problems).length > 0) return setErrors(problems);
    setErrors((await onSave(toServerChoices(choices))) ?? {});
  };

  return (
    <div className="fixed inset-0 z-50 flex items-start justify-center overflow-y-auto bg-black/50 p-2 backdrop-blur-[1px] sm:p-10">
      <div
        ref={ref}
        role="dialog"
        aria-modal="true"
        aria-labelledby="merge-title"
        aria-describedby="merge-desc"
        tabIndex={-1}
        className="w-full max-w-3xl min-w-0 rounded-xl bg-slate-50 shadow-2xl ring-1 ring-slate-900/10 outline-none"
      >
        <header className="border-b border-slate-200 px-4 py-4 sm:px-6">
          <h2 id="merge-title" className="text-lg font-semibold text-slate-900">
            Resolve conflicts
          </h2>
          <p id="merge-desc" className="mt-1 text-sm text-slate-600">
            {theirs.name} saved v{theirs.version} at {formatTime(theirs.at)} while you were editing v{session.baseVersion}. Choose what to keep for
            {session.result.conflicts.length === 1 ? " the field" : ` each of the ${session.result.conflicts.length} fields`} you both changed. Nothing is saved
            until you press Save merged.
          </p>
          {session.isRefreshed && (
            <p role="status" className="mt-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200">
              {theirs.name} saved again (v{theirs.version}) while you were resolving.{" "}
              {changedAgain.length > 0
                ? `${changedAgain.map(label).join(", ")} changed again: choose again there. Your other choices are kept.`
                : "None of the fields you chose for changed again, so your choices are kept."}
            </p>
          )}
        </header>
        <div className="max-h-[60vh] space-y-3 overflow-y-auto px-3 py-4 sm:px-6">
          {session.result.conflicts.map((conflict) => (
            <ConflictField
              key={conflict.key}
              conflict={conflict}
              def={defs.get(conflict.key)}
              choice={choices[conflict.key]}
              onChoose={(choice) => onChoose(conflict.key, choice)}
              isChangedAgain={changedAgain.includes(conflict.key)}
              theirs={theirs}
              members={members}
              users={users}
              error={errors[conflict.key]}
            />
          ))}
          {session.result.autoMerged.length > 0 && (
            <section aria-labelledby="auto-merged" className="rounded-lg border border-emerald-200 bg-emerald-50/60 p-4">
              <h3 id="auto-merged" className="text-sm font-semibold text-emerald-900">
                Merged by themselves
              </h3>
              <ul className="mt-1 space-y-0.5 text-sm text-emerald-900">
                {session.result.autoMerged.map(({ key, how }) => (
                  <li key={key}>
                    <span className="font-medium">{label(key)}</span> — {HOW_TEXT[how] ?? how}
                  </li>
                ))}
              </ul>
            </section>
          )}
          {errors._ && (
            <p role="alert" className="text-sm text-rose-700">
              {errors._}
            </p>
          )}
        </div>
        <footer className="flex flex-wrap items-center justify-end gap-2 border-t border-slate-200 px-4 py-3 sm:px-6">
          <p className="mr-auto basis-full text-xs text-slate-600 sm:basis-auto" aria-live="polite">
            {outcome.unresolved.length > 0 ? `Choose a value for: ${outcome.unresolved.map(label).join(", ")}` : "Ready to save."}
          </p>
          <Button onClick={onCancel}>Cancel</Button>
          <Button variant="primary" onClick={submit} disabled={outcome.unresolved.length > 0 || isSaving}>
            {isSaving ? "Saving…" : "Save merged"}
          </Button>
        </footer>
      </div>
    </div>
  );
}
