"use client";
import type { ComponentType } from "react";
import type { FieldType } from "@/lib/types";
import { NumberInput } from "./number-input";
import { RichTextField } from "./richtext-field";
import { TagsInput } from "./tags-input";
import { INPUT_CLASS, type FieldEditorProps } from "./types";

// No maxLength attribute: the browser would cut a paste short without a word. The row counts
// characters near the limit and the form refuses what is over it.
function TextInput({ id, def, value, onChange, isReadOnly, isInvalid, describedBy }: FieldEditorProps) {
  return (
    <input
      id={id}
      type="text"
      value={typeof value === "string" ? value : ""}
      aria-required={def.required || undefined}
      onChange={(e) => onChange(e.target.value === "" ? null : e.target.value)}
      readOnly={isReadOnly}
      aria-invalid={isInvalid || undefined}
      aria-describedby={describedBy}
      className={INPUT_CLASS}
    />
  );
}

function LongTextInput({ id, def, value, onChange, isReadOnly, isInvalid, describedBy }: FieldEditorProps) {
  return (
    <textarea
      id={id}
      rows={4}
      value={typeof value === "string" ? value : ""}
      aria-required={def.required || undefined}
      onChange={(e) => onChange(e.target.value === "" ? null : e.target.value)}
      readOnly={isReadOnly}
      aria-invalid={isInvalid || undefined}
      aria-describedby={describedBy}
      className={`${INPUT_CLASS} resize-y font-mono text-[13px] leading-relaxed`}
    />
  );
}

function SelectInput({ id, def, value, onChange, isReadOnly, isInvalid, describedBy, members }: FieldEditorProps) {
  const options =
    def.type === "user" ? members.map((m) => ({ value: m.id, label: m.name })) : (def.options?.choices ?? []).map((c) => ({ value: c, label: c }));
  const current = typeof value === "string" ? value : "";
  if (current && !options.some((o) => o.value === current)) options.push({ value: current, label: def.type === "user" ? "Unknown user" : current });
  return (
    <select
      id={id}
      value={current}
      aria-required={def.required || undefined}
      onChange={(e) => onChange(e.target.value === "" ? null : e.target.value)}
      disabled={isReadOnly}
      aria-invalid={isInvalid || undefined}
      aria-describedby={describedBy}
      className={INPUT_CLASS}
    >
      <option value="">—</option>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}

function DateInput({ id, def, value, onChange, isReadOnly, isInvalid, describedBy }: FieldEditorProps) {
  return (
    <input
      id={id}
      type="date"
      aria-required={def.required || undefined}
      value={typeof value === "string" ? value : ""}
      onChange={(e) => onChange(e.target.value === "" ? null : e.target.value)}
      readOnly={isReadOnly}
      aria-invalid={isInvalid || undefined}
      aria-describedby={describedBy}
      className={`${INPUT_CLASS} max-w-48`}
    />
  );
}

function CheckboxInput({ id, value, onChange, isReadOnly, describedBy }: FieldEditorProps) {
  return (
    <input
      id={id}
      type="checkbox"
      checked={value === true}
      onChange={(e) => onChange(e.target.checked)}
      disabled={isReadOnly}
      aria-describedby={describedBy}
      className="size-4 rounded border-slate-300 text-indigo-600 accent-indigo-600 focus-visible:outline-2 focus-visible:outline-indigo-600"
    />
  );
}

/** One editor per field type; swap an entry to change how a type is edited everywhere. */
export const FIELD_EDITORS: Record<FieldType, ComponentType<FieldEditorProps>> = {
  text: TextInput,
  longtext: LongTextInput,
  number: NumberInput,
  counter: NumberInput,
  select: SelectInput,
  tags: TagsInput,
  date: DateInput,
  checkbox: CheckboxInput,
  user: SelectInput,
  richtext: RichTextField,
};

export function FieldInput(props: FieldEditorProps) {
  const Editor = FIELD_EDITORS[props.def.type] ?? TextInput;
  return <Editor {...props} />;
}
