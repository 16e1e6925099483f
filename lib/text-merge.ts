// Line-level three-way merge of plain multi-line text (longtext), and rebuilding a text from
// the merge dialog's choices. Lines are split on "\n" only, so join(split(t)) === t for every
// t: a trailing newline, "\r\n" endings and blank lines all survive a round trip exactly.
import { diff3Merge } from "node-diff3";
import type { TextHunk } from "./types";

/** "" and null have no lines; otherwise the pieces between "\n" (a trailing "\n" gives a last ""). */
export function splitLines(text: string | null): string[] {
  return text === null || text === "" ? [] : text.split("\n");
}

export function joinLines(lines: string[]): string {
  return lines.join("\n");
}

export type TextMerge = { isClean: true; text: string; hunks: TextHunk[] } | { isClean: false; hunks: TextHunk[] };

/**
 * diff3 of mine and theirs against base. Changes that do not overlap merge; overlapping (or
 * touching, as in GNU diff3) changes become "conflict" hunks. Identical changes on both sides
 * are not conflicts.
 */
export function mergeText(base: string | null, mine: string | null, theirs: string | null): TextMerge {
  const regions = diff3Merge<string>(splitLines(mine), splitLines(base), splitLines(theirs), {
    excludeFalseConflicts: true,
  });
  const hunks: TextHunk[] = regions.map((region) =>
    region.conflict
      ? { kind: "conflict", base: region.conflict.o, mine: region.conflict.a, theirs: region.conflict.b }
      : { kind: "ok", lines: region.ok ?? [] },
  );
  if (hunks.some((hunk) => hunk.kind === "conflict")) return { isClean: false, hunks };
  return { isClean: true, text: resolveHunks(hunks, []), hunks };
}

export type HunkChoice = "mine" | "theirs" | "both" | "base" | string[];

/** The lines one choice gives for a conflict hunk; "both" is mine's lines, then theirs'. */
export function hunkLines(hunk: Extract<TextHunk, { kind: "conflict" }>, choice: HunkChoice): string[] {
  if (Array.isArray(choice)) return choice;
  if (choice === "both") return [...hunk.mine, ...hunk.theirs];
  return hunk[choice];
}

/**
 * Rebuilds the text from hunks: "ok" hunks as they are, the i-th "conflict" hunk from
 * choices[i] ("mine", "theirs", "both", "base", or the lines the user typed). Throws when a
 * conflict hunk has no choice, because guessing would silently drop someone's lines.
 */
export function resolveHunks(hunks: TextHunk[], choices: HunkChoice[]): string {
  const lines: string[] = [];
  let conflictIndex = 0;
  for (const hunk of hunks) {
    if (hunk.kind === "ok") {
      lines.push(...hunk.lines);
      continue;
    }
    const choice = choices[conflictIndex++];
    if (choice === undefined) throw new RangeError(`No choice for conflict hunk ${conflictIndex - 1}`);
    lines.push(...hunkLines(hunk, choice));
  }
  return joinLines(lines);
}
