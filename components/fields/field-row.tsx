"use client";
import type { FieldDef, FieldValue } from "@/lib/types";
import type { Member } from "@/components/api/client";
import { FieldInput } from "./field-input";

type Props = {
  def: FieldDef;
  value: FieldValue;
  onChange: (value: FieldValue) => void;
  isReadOnly: boolean;
  isChanged?: boolean;
  error?: string;
  members: Member[];
  idPrefix?: string;
};

/** A labelled field: the label is exactly the field's label, so it names the input. */
export function FieldRow({ def, value, onChange, isReadOnly, isChanged, error, members, idPrefix = "field" }: Props) {
  const id = `${idPrefix}-${def.key}`;
  const errorId = error ? `${id}-error` : undefined;
  // Tags are a group of buttons and rich text a contenteditable: both are named by aria-labelledby.
  const isGroup = def.type === "tags" || def.type === "richtext";
  const labelClass = "text-sm font-medium text-slate-800";
  return (
    <div className={`grid gap-1.5 ${def.type === "checkbox" ? "grid-cols-[auto_1fr] items-center gap-x-3" : ""}`}>
      {def.type === "checkbox" && <FieldInput id={id} def={def} value={value} onChange={onChange} isReadOnly={isReadOnly} isInvalid={!!error} describedBy={errorId} members={members} />}
      <div className="flex items-center gap-2">
        {isGroup ? (
          <span id={`${id}-label`} className={labelClass}>{def.label}</span>
        ) : (
          <label htmlFor={id} className={labelClass}>{def.label}</label>
        )}
        {def.required && <span className="text-xs text-slate-400" aria-hidden="true">required</span>}
        {isChanged && <span className="size-1.5 rounded-full bg-amber-500" title="Unsaved change" />}
      </div>
      {def.type !== "checkbox" && <FieldInput id={id} def={def} value={value} onChange={onChange} isReadOnly={isReadOnly} isInvalid={!!error} describedBy={errorId} members={members} />}
      {error && <p id={errorId} className="col-span-full text-xs text-rose-700">{error}</p>}
    </div>
  );
}
