"use client";
import type { FieldDef, FieldValue } from "@/lib/types";
import type { Member } from "@/components/api/client";
import { FieldInput } from "./field-input";
import type { FieldEditorProps } from "./types";
import { lengthCount } from "./length-count";

type Props = {
  def: FieldDef;
  value: FieldValue;
  onChange: (value: FieldValue) => void;
  isReadOnly: boolean;
  isChanged?: boolean;
  error?: string;
  members: Member[];
  idPrefix?: string;
  counter?: FieldEditorProps["counter"];
  /** a line under the field, e.g. how much of a collection limit is left */
  note?: string;
};

/** A labelled field: the label is exactly the field's label, so it names the input. */
export function FieldRow({ def, value, onChange, isReadOnly, isChanged, error, members, idPrefix = "field", counter, note }: Props) {
  const id = `${idPrefix}-${def.key}`;
  const errorId = `${id}-error`;
  const countId = `${id}-count`;
  const count = isReadOnly ? null : lengthCount(def, value);
  const describedBy = [error ? errorId : null, count ? countId : null].filter(Boolean).join(" ") || undefined;
  const isInvalid = !!error || !!count?.isOver;
  // Tags are a group of buttons and rich text a contenteditable: both are named by aria-labelledby.
  const isGroup = def.type === "tags" || def.type === "richtext";
  const labelClass = "text-sm font-medium text-slate-800";
  const input = (
    <FieldInput
      id={id}
      def={def}
      value={value}
      onChange={onChange}
      isReadOnly={isReadOnly}
      isInvalid={isInvalid}
      describedBy={describedBy}
      members={members}
      counter={counter}
    />
  );
  return (
    <div className={`grid min-w-0 gap-1.5 ${def.type === "checkbox" ? "grid-cols-[auto_1fr] items-center gap-x-3" : ""}`}>
      {def.type === "checkbox" && input}
      <div className="flex min-w-0 items-center gap-2">
        {isGroup ? (
          <span id={`${id}-label`} className={labelClass}>
            {def.label}
          </span>
        ) : (
          <label htmlFor={id} className={labelClass}>
            {def.label}
          </label>
        )}
        {def.required && <span className="text-xs text-slate-600">required</span>}
        {isChanged && <span className="size-1.5 rounded-full bg-amber-500" title="Unsaved change" />}
        {count && (
          <span
            id={countId}
            aria-live={count.isOver ? "polite" : "off"}
            className={`ml-auto text-xs tabular-nums ${count.isOver ? "font-medium text-rose-700" : "text-slate-600"}`}
          >
            {count.text}
          </span>
        )}
      </div>
      {def.type !== "checkbox" && input}
      {note && (
        <p data-testid={`note-${def.key}`} className="col-span-full text-xs text-slate-600">
          {note}
        </p>
      )}
      {error && (
        <p id={errorId} className="col-span-full text-xs text-rose-700">
          {error}
        </p>
      )}
    </div>
  );
}
