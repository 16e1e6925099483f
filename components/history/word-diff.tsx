import { wordDiff } from "@/lib/diff";

/** Inline word diff: removed words struck through in red, added ones in green. */
export function WordDiff({ from, to }: { from: string; to: string }) {
  return (
    <p className="whitespace-pre-wrap break-words">
      {wordDiff(from, to).map((part, i) =>
        part.kind === "same" ? (
          <span key={i}>{part.text}</span>
        ) : part.kind === "added" ? (
          <ins key={i} className="rounded-sm bg-emerald-100 text-emerald-900 no-underline">
            {part.text}
          </ins>
        ) : (
          <del key={i} className="rounded-sm bg-rose-100 text-rose-800">
            {part.text}
          </del>
        ),
      )}
    </p>
  );
}
