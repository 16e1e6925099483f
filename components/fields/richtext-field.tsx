"use client";
import { INPUT_CLASS, type FieldEditorProps } from "./types";

/**
 * The rich-text field, for now a plain textarea holding a string. It is its own component so the
 * collaborative TipTap/Yjs editor can replace it without touching the form.
 */
export function RichTextField({ id, value, onChange, isReadOnly, isInvalid, describedBy }: FieldEditorProps) {
  return (
    <textarea
      id={id}
      rows={5}
      value={typeof value === "string" ? value : ""}
      onChange={(e) => onChange(e.target.value === "" ? null : e.target.value)}
      readOnly={isReadOnly}
      aria-invalid={isInvalid || undefined}
      aria-describedby={describedBy}
      className={`${INPUT_CLASS} min-h-28 resize-y leading-relaxed`}
    />
  );
}
