"use client";
import type { FieldConflict, FieldDef, FieldValue } from "@/lib/types";
import type { Member } from "@/components/api/client";
import { FieldInput } from "@/components/fields/field-input";
import { formatValue, formatRelative, type UserNames } from "@/components/ui/format";
import { ChoiceButton } from "./choice-button";
import { HunkList } from "./hunk-list";
import { bothValue, canApplyBoth, choiceValue, conflictHunkCount, setHunkChoice, type FieldChoice } from "./merge-state";

type Props = {
  conflict: FieldConflict;
  def: FieldDef | undefined;
  choice: FieldChoice | undefined;
  onChoose: (choice: FieldChoice) => void;
  theirs: { name: string; at: string; version: number };
  members: Member[];
  users: UserNames;
  error?: string;
};

/** One conflicting field: base, mine and theirs side by side, and the ways to settle it. */
export function ConflictField({ conflict, def, choice, onChoose, theirs, members, users, error }: Props) {
  const label = def?.label ?? conflict.key;
  const headingId = `conflict-${conflict.key}`;
  const hunkCount = conflictHunkCount(conflict.hunks);
  const show = (value: FieldValue) => formatValue(def, value, users);
  const resolved = choiceValue(conflict, choice);
  return (
    <section role="group" aria-labelledby={headingId} className="rounded-lg border border-slate-200 bg-white p-4">
      <div className="flex items-baseline justify-between gap-3">
        <h3 id={headingId} className="font-semibold text-slate-900">{label}</h3>
        <p className="text-xs text-slate-500">
          changed by {theirs.name} {formatRelative(theirs.at)} (v{theirs.version})
        </p>
      </div>
      <dl className="mt-3 grid gap-2 text-sm sm:grid-cols-3">
        <Side title="Base" value={show(conflict.base)} tone="base" />
        <Side title="Mine" value={show(conflict.mine)} tone="mine" isChosen={choice?.kind === "mine"} />
        <Side title={`Theirs · ${theirs.name}`} value={show(conflict.theirs)} tone="theirs" isChosen={choice?.kind === "theirs"} />
      </dl>
      <div className="mt-3 flex flex-wrap gap-1.5">
        <ChoiceButton isPressed={choice?.kind === "mine"} onClick={() => onChoose({ kind: "mine" })}>Keep mine</ChoiceButton>
        <ChoiceButton isPressed={choice?.kind === "theirs"} onClick={() => onChoose({ kind: "theirs" })}>Take theirs</ChoiceButton>
        {canApplyBoth(def, conflict) && (
          <ChoiceButton isPressed={choice?.kind === "both"} onClick={() => onChoose({ kind: "both" })}>
            Apply both ({bothValue(conflict)})
          </ChoiceButton>
        )}
        <ChoiceButton isPressed={choice?.kind === "edit"} onClick={() => onChoose({ kind: "edit", value: resolved ?? conflict.mine })}>Edit</ChoiceButton>
      </div>
      {hunkCount > 0 && conflict.hunks && choice?.kind !== "edit" && (
        <div className="mt-3">
          <p className="mb-2 text-xs text-slate-500">Lines that don’t overlap are already merged. Choose for each overlapping part:</p>
          <HunkList
            hunks={conflict.hunks}
            choices={choice?.kind === "hunks" ? choice.choices : []}
            onChoose={(index, hunkChoice) => onChoose(setHunkChoice(choice, hunkCount, index, hunkChoice))}
            theirsName={theirs.name}
          />
        </div>
      )}
      {choice?.kind === "edit" && def && (
        <div className="mt-3 grid gap-1.5">
          <label htmlFor={`merge-edit-${conflict.key}`} className="text-xs font-medium text-slate-600">Your value for {label}</label>
          <FieldInput id={`merge-edit-${conflict.key}`} def={def} value={choice.value} onChange={(value) => onChoose({ kind: "edit", value })} isReadOnly={false} isInvalid={!!error} members={members} />
        </div>
      )}
      {resolved !== undefined && choice?.kind !== "edit" && (
        <p className="mt-2 text-xs text-slate-600">
          Result: <span className="font-medium text-slate-900">{hunkCount > 0 && def?.type === "longtext" ? "merged text" : show(resolved)}</span>
        </p>
      )}
      {error && <p className="mt-2 text-xs text-rose-700">{error}</p>}
    </section>
  );
}

const TONE = { base: "bg-slate-50 border-slate-200", mine: "bg-indigo-50/50 border-indigo-200", theirs: "bg-amber-50/50 border-amber-200" };

function Side({ title, value, tone, isChosen }: { title: string; value: string; tone: keyof typeof TONE; isChosen?: boolean }) {
  return (
    <div className={`rounded-md border px-3 py-2 ${TONE[tone]} ${isChosen ? "ring-2 ring-indigo-500" : ""}`}>
      <dt className="text-[11px] font-semibold tracking-wide text-slate-500 uppercase">{title}</dt>
      <dd className="mt-0.5 line-clamp-6 break-words whitespace-pre-wrap text-slate-900">{value}</dd>
    </div>
  );
}
