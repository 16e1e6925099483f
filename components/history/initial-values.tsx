import type { FieldChanges, FieldDef } from "@/lib/types";
import { emptyValue } from "@/lib/fields";
import { formatValue, type UserNames } from "@/components/ui/format";
import { RichTextView } from "@/components/ui/rich-text-view";
import { inFormOrder } from "./field-order";

/** The first version: every field in form order with the value it started with, rich text formatted. */
export function InitialValues({ changes, fields, users }: { changes: FieldChanges; fields: FieldDef[]; users: UserNames }) {
  const defs = new Map(fields.map((f) => [f.key, f]));
  const keys = inFormOrder(fields, [...fields.map((f) => f.key), ...Object.keys(changes)]);
  return (
    <dl className="divide-y divide-slate-100">
      {keys.map((key) => {
        const def = defs.get(key);
        const value = changes[key]?.to ?? (def ? emptyValue(def) : null);
        return (
          <div key={key} className="grid gap-1 py-2.5 sm:grid-cols-[10rem_1fr] sm:gap-4">
            <dt className="text-sm font-medium text-slate-700">{def?.label ?? key}</dt>
            <dd className="min-w-0 text-sm break-words whitespace-pre-wrap text-slate-900">
              {def?.type === "richtext" && typeof value === "string" ? <RichTextView html={value} /> : formatValue(def, value, users)}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}
