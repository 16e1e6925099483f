import type { FieldChanges, FieldDef } from "@/lib/types";
import { Button } from "@/components/ui/button";
import { formatValue, type UserNames } from "@/components/ui/format";
import { WordDiff } from "./word-diff";

const TEXTUAL = new Set(["text", "longtext", "richtext"]);

type Props = {
  changes: FieldChanges;
  fields: FieldDef[];
  users: UserNames;
  /** when given, each field offers "Restore" to bring back its `to` value */
  onRestoreField?: (key: string) => void;
  isBusy?: boolean;
};

/** Field by field: what it was and what it became (a word diff for text). */
export function ChangeList({ changes, fields, users, onRestoreField, isBusy }: Props) {
  const keys = Object.keys(changes);
  if (keys.length === 0) return <p className="text-sm text-slate-500">No field changed.</p>;
  const defs = new Map(fields.map((f) => [f.key, f]));
  return (
    <ul className="divide-y divide-slate-100">
      {keys.map((key) => {
        const def = defs.get(key);
        const { from, to } = changes[key]!;
        const isText = def && TEXTUAL.has(def.type) && (typeof from === "string" || from === null) && (typeof to === "string" || to === null);
        return (
          <li key={key} className="grid gap-1 py-3 sm:grid-cols-[10rem_1fr_auto] sm:gap-4" aria-label={def?.label ?? key}>
            <p className="text-sm font-medium text-slate-700">{def?.label ?? key}</p>
            <div className="min-w-0 text-sm text-slate-800">
              {isText ? (
                <WordDiff from={(from as string | null) ?? ""} to={(to as string | null) ?? ""} />
              ) : (
                <p>
                  <del className="rounded-sm bg-rose-100 px-1 text-rose-800">{formatValue(def, from, users)}</del>
                  <span aria-hidden="true" className="px-2 text-slate-400">→</span>
                  <ins className="rounded-sm bg-emerald-100 px-1 text-emerald-900 no-underline">{formatValue(def, to, users)}</ins>
                </p>
              )}
            </div>
            {onRestoreField && def && (
              <Button size="sm" variant="ghost" disabled={isBusy} onClick={() => onRestoreField(key)} aria-label={`Restore ${def.label}`}>
                Restore field
              </Button>
            )}
          </li>
        );
      })}
    </ul>
  );
}
