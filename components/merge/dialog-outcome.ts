// What a closed merge dialog reports to the server's metrics (POST /api/records/:id/merge-outcome).
import type { MergeChoice } from "@/lib/merge-choices";

export type DialogOutcome = "mine" | "theirs" | "both" | "edit" | "cancel";

/** Edited by hand (a value or line hunks) wins; then all mine, all theirs; anything mixed is "both". */
export function dialogOutcome(choices: Record<string, MergeChoice>): Exclude<DialogOutcome, "cancel"> {
  const all = Object.values(choices);
  if (all.some((c) => typeof c === "object")) return "edit";
  if (all.length > 0 && all.every((c) => c === "mine")) return "mine";
  if (all.length > 0 && all.every((c) => c === "theirs")) return "theirs";
  return "both";
}
