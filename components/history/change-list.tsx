import type { FieldChanges, FieldDef, FieldValue } from "@/lib/types";
import { richTextToPlain } from "@/lib/rich-text-plain";
import { Button } from "@/components/ui/button";
import { formatValue, type UserNames } from "@/components/ui/format";
import { inFormOrder } from "./field-order";
import { WordDiff } from "./word-diff";

type Props = {
  changes: FieldChanges;
  fields: FieldDef[];
  users: UserNames;
  /** when given, each field offers "Restore" to bring back its `to` value */
  onRestoreField?: (key: string) => void;
  isBusy?: boolean;
  /** what "from" and "to" are, for screen readers: "Before" / "After" unless said otherwise */
  labels?: { from: string; to: string };
};

const asText = (def: FieldDef | undefined, value: FieldValue): string | null => {
  if (value !== null && typeof value !== "string") return null;
  if (def?.type === "richtext") return richTextToPlain(value);
  return def?.type === "text" || def?.type === "longtext" ? (value ?? "") : null;
};

/** Field by field, in form order: what it was and what it became (a word diff for text). */
export function ChangeList({ changes, fields, users, onRestoreField, isBusy, labels = { from: "Before", to: "After" } }: Props) {
  const keys = inFormOrder(fields, Object.keys(changes));
  if (keys.length === 0) return <p className="text-sm text-slate-600">No field changed.</p>;
  const defs = new Map(fields.map((f) => [f.key, f]));
  return (
    <ul className="divide-y divide-slate-100">
      {keys.map((key) => {
        const def = defs.get(key);
        const { from, to } = changes[key]!;
        const [fromText, toText] = [asText(def, from), asText(def, to)];
        return (
          <li key={key} className="grid gap-1 py-3 sm:grid-cols-[10rem_1fr_auto] sm:gap-4" aria-label={def?.label ?? key}>
            <p className="text-sm font-medium text-slate-700">{def?.label ?? key}</p>
            <div className="min-w-0 text-sm text-slate-800">
              {fromText !== null && toText !== null ? (
                <WordDiff from={fromText} to={toText} />
              ) : (
                <p className="break-words">
                  <span className="sr-only">{labels.from}: </span>
                  <del className="rounded-sm bg-rose-100 px-1 text-rose-800">{formatValue(def, from, users)}</del>
                  <span aria-hidden="true" className="px-2 text-slate-500">
                    →
                  </span>
                  <span className="sr-only">, {labels.to}: </span>
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
