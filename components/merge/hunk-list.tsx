"use client";
import type { HunkChoice } from "@/lib/merge";
import type { TextHunk } from "@/lib/types";
import { ChoiceButton } from "./choice-button";

/** A long text as hunks: merged lines shown plainly, each overlapping hunk asks mine, theirs or both. */
export function HunkList({
  hunks,
  choices,
  onChoose,
  theirsName,
}: {
  hunks: TextHunk[];
  choices: (HunkChoice | undefined)[];
  onChoose: (index: number, choice: HunkChoice) => void;
  theirsName: string;
}) {
  let conflictIndex = -1;
  return (
    <ol className="space-y-2 font-mono text-xs">
      {hunks.map((hunk, i) => {
        if (hunk.kind === "ok") {
          return hunk.lines.length === 0 ? null : (
            <li key={i} className="rounded-md bg-slate-50 px-3 py-2 break-words whitespace-pre-wrap text-slate-600" aria-label="Merged lines">
              {hunk.lines.join("\n")}
            </li>
          );
        }
        const index = ++conflictIndex;
        const choice = choices[index];
        return (
          <li key={i} className="rounded-md border border-amber-300 bg-amber-50/60 p-2" aria-label={`Conflicting lines ${index + 1}`}>
            <div className="grid gap-2 sm:grid-cols-2">
              <Lines title="Mine" lines={hunk.mine} isChosen={choice === "mine" || choice === "both"} />
              <Lines title={theirsName} lines={hunk.theirs} isChosen={choice === "theirs" || choice === "both"} />
            </div>
            <div className="mt-2 flex flex-wrap gap-1.5 font-sans">
              <ChoiceButton isPressed={choice === "mine"} onClick={() => onChoose(index, "mine")}>
                Keep mine
              </ChoiceButton>
              <ChoiceButton isPressed={choice === "theirs"} onClick={() => onChoose(index, "theirs")}>
                Take theirs
              </ChoiceButton>
              <ChoiceButton isPressed={choice === "both"} onClick={() => onChoose(index, "both")}>
                Keep both
              </ChoiceButton>
            </div>
          </li>
        );
      })}
    </ol>
  );
}

function Lines({ title, lines, isChosen }: { title: string; lines: string[]; isChosen: boolean }) {
  return (
    <div className={`min-w-0 rounded border bg-surface px-2 py-1.5 ${isChosen ? "border-indigo-500 ring-1 ring-indigo-500" : "border-slate-200"}`}>
      <p className="mb-1 font-sans text-[11px] font-semibold tracking-wide text-slate-600 uppercase">{title}</p>
      <p className="break-words whitespace-pre-wrap text-slate-800">{lines.length ? lines.join("\n") : <em className="text-slate-600">(lines removed)</em>}</p>
    </div>
  );
}
