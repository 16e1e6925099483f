"use client";
import { useState } from "react";
import type { CounterIntent, FieldConflict, FieldDef, FieldValue } from "@/lib/types";
import { firstName } from "@/components/record/live-field";
import { resolveHunks } from "@/lib/merge";
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
  /** someone saved this field again while the dialog was open */
  isChangedAgain?: boolean;
  theirs: { name: string; at: string; version: number };
  members: Member[];
  users: UserNames;
  error?: string;
};

/** What one side did to a counter: "Dana set 5", "you took 2", "Dana added 3". */
function intentText(who: string, intent: CounterIntent): string {
  const name = who === "you" ? "you" : firstName(who);
  if ("set" in intent) return `${name} set ${intent.set ?? "nothing"}`;
  return intent.add < 0 ? `${name} took ${-intent.add}` : `${name} added ${intent.add}`;
}

/** One conflicting field: base, mine and theirs (stacked on a phone), and one set of ways to settle it. */
export function ConflictField({ conflict, def, choice, onChoose, isChangedAgain, theirs, members, users, error }: Props) {
  const label = def?.label ?? conflict.key;
  const headingId = `conflict-${conflict.key}`;
  const hunkCount = conflictHunkCount(conflict.hunks);
  const show = (value: FieldValue) => formatValue(def, value, users);
  const resolved = choiceValue(conflict, choice);
  return (
    <section
      role="group"
      aria-labelledby={headingId}
      className={`min-w-0 rounded-lg border bg-surface p-3 sm:p-4 ${isChangedAgain ? "border-amber-400" : "border-slate-200"}`}
    >
      <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
        <h3 id={headingId} className="font-semibold text-slate-900">
          {label}
        </h3>
        <p className="text-xs text-slate-600">
          changed by {theirs.name} {formatRelative(theirs.at)} (v{theirs.version})
        </p>
      </div>
      {isChangedAgain && (
        <p
          data-testid={`changed-again-${conflict.key}`}
          className="mt-2 rounded-md bg-amber-50 px-2.5 py-1.5 text-xs font-medium text-amber-900 ring-1 ring-amber-200"
        >
          Changed again by {theirs.name} (v{theirs.version}) while you were choosing: choose again.
        </p>
      )}
      {hunkCount > 0 && conflict.hunks ? (
        <LineChoices conflict={conflict} choice={choice} onChoose={onChoose} theirsName={theirs.name} def={def} members={members} error={error} />
      ) : (
        <>
          {conflict.intents && (
            <p data-testid={`intents-${conflict.key}`} className="mt-2 text-sm text-slate-700">
              {intentText(theirs.name, conflict.intents.theirs)}; {intentText("you", conflict.intents.mine)}.
            </p>
          )}
          <dl className="mt-3 grid gap-2 text-sm sm:grid-cols-3">
            <Side title="Base" value={show(conflict.base)} tone="base" />
            <Side title="Mine" value={show(conflict.mine)} tone="mine" isChosen={choice?.kind === "mine"} />
            <Side title={`Theirs · ${theirs.name}`} value={show(conflict.theirs)} tone="theirs" isChosen={choice?.kind === "theirs"} />
          </dl>
          <div className="mt-3 flex flex-wrap gap-1.5">
            <ChoiceButton isPressed={choice?.kind === "mine"} onClick={() => onChoose({ kind: "mine" })}>
              Keep mine
            </ChoiceButton>
            <ChoiceButton isPressed={choice?.kind === "theirs"} onClick={() => onChoose({ kind: "theirs" })}>
              Take theirs
            </ChoiceButton>
            {canApplyBoth(def, conflict) && (
              <ChoiceButton isPressed={choice?.kind === "both"} onClick={() => onChoose({ kind: "both" })}>
                Apply both ({show(bothValue(conflict))})
              </ChoiceButton>
            )}
            <ChoiceButton isPressed={choice?.kind === "edit"} onClick={() => onChoose({ kind: "edit", value: resolved ?? conflict.mine })}>
              Edit
            </ChoiceButton>
          </div>
          {choice?.kind === "edit" && def && (
            <HandEdit def={def} conflict={conflict} value={choice.value} onChoose={onChoose} members={members} error={error} />
          )}
          {resolved !== undefined && choice?.kind !== "edit" && (
            <p className="mt-2 text-xs text-slate-700">
              Result: <span className="font-medium text-slate-900">{show(resolved)}</span>
            </p>
          )}
        </>
      )}
      {error && <p className="mt-2 text-xs text-rose-700">{error}</p>}
    </section>
  );
}

/**
 * A long text: the lines that don't overlap are merged already; each overlapping part asks mine,
 * theirs or both. Editing the whole text by hand is the one other way, and leads back.
 */
function LineChoices({
  conflict,
  choice,
  onChoose,
  theirsName,
  def,
  members,
  error,
}: {
  conflict: FieldConflict;
  choice: FieldChoice | undefined;
  onChoose: (choice: FieldChoice) => void;
  theirsName: string;
  def: FieldDef | undefined;
  members: Member[];
  error?: string;
}) {
  const hunks = conflict.hunks!;
  const count = conflictHunkCount(hunks);
  const [lineChoice, setLineChoice] = useState<FieldChoice | undefined>(choice?.kind === "hunks" ? choice : undefined);
  if (choice?.kind === "edit" && def) {
    return (
      <div className="mt-3">
        <HandEdit def={def} conflict={conflict} value={choice.value} onChoose={onChoose} members={members} error={error} />
        <button
          type="button"
          className="mt-2 text-xs font-medium text-indigo-700 underline underline-offset-2"
          onClick={() => onChoose(lineChoice ?? { kind: "hunks", choices: Array.from({ length: count }, () => undefined) })}
        >
          Back to choosing line by line
        </button>
      </div>
    );
  }
  const chosen = choice?.kind === "hunks" ? choice.choices : [];
  const startEdit = () => {
    if (choice?.kind === "hunks") setLineChoice(choice);
    // Unchosen parts start with both sides' lines, so nothing is dropped before the user decides.
    const text = resolveHunks(
      hunks,
      Array.from({ length: count }, (_, i) => chosen[i] ?? "both"),
    );
    onChoose({ kind: "edit", value: text === "" ? null : text });
  };
  return (
    <div className="mt-3">
      <p className="mb-2 text-xs text-slate-700">
        Lines that don’t overlap are merged already. For {count === 1 ? "the overlapping part" : `each of the ${count} overlapping parts`}, keep yours, take{" "}
        {theirsName}’s, or keep both.
      </p>
      <HunkList
        hunks={hunks}
        choices={chosen}
        theirsName={theirsName}
        onChoose={(index, hunkChoice) => onChoose(setHunkChoice(choice, count, index, hunkChoice))}
      />
      {def && (
        <button type="button" className="mt-2 text-xs font-medium text-indigo-700 underline underline-offset-2" onClick={startEdit}>
          Edit the whole text by hand instead
        </button>
      )}
    </div>
  );
}

function HandEdit({
  def,
  conflict,
  value,
  onChoose,
  members,
  error,
}: {
  def: FieldDef;
  conflict: FieldConflict;
  value: FieldValue;
  onChoose: (choice: FieldChoice) => void;
  members: Member[];
  error?: string;
}) {
  const id = `merge-edit-${conflict.key}`;
  return (
    <div className="mt-3 grid gap-1.5">
      <label htmlFor={id} className="text-xs font-medium text-slate-700">
        Your value for {def.label}
      </label>
      <FieldInput
        id={id}
        def={def}
        value={value}
        onChange={(next) => onChoose({ kind: "edit", value: next })}
        isReadOnly={false}
        isInvalid={!!error}
        members={members}
      />
    </div>
  );
}

const TONE = { base: "bg-slate-50 border-slate-200", mine: "bg-indigo-50 border-indigo-200", theirs: "bg-amber-50 border-amber-200" };

function Side({ title, value, tone, isChosen }: { title: string; value: string; tone: keyof typeof TONE; isChosen?: boolean }) {
  return (
    <div data-side={tone} className={`min-w-0 rounded-md border px-3 py-2 ${TONE[tone]} ${isChosen ? "ring-2 ring-indigo-500" : ""}`}>
      <dt className="text-[11px] font-semibold tracking-wide text-slate-600 uppercase">{title}</dt>
      <dd className="mt-0.5 line-clamp-6 break-words whitespace-pre-wrap text-slate-900">{value}</dd>
    </div>
  );
}
