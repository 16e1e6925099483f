"use client";
import { useState } from "react";
import { INPUT_CLASS, type FieldEditorProps } from "./types";

/** Keeps the typed text locally so "1." or "-" can be typed; the record gets a number or null. */
export function NumberInput({ id, def, value, onChange, isReadOnly, isInvalid, describedBy }: FieldEditorProps) {
  const external = typeof value === "number" ? String(value) : "";
  const [text, setText] = useState(external);
  const [lastExternal, setLastExternal] = useState(external);
  if (external !== lastExternal) {
    // The value changed from outside (a save, a merge): show it unless it is what was typed.
    setLastExternal(external);
    if (Number(text) !== Number(external) || text.trim() === "") setText(external);
  }
  const commit = (next: string) => {
    setText(next);
    const trimmed = next.trim();
    if (trimmed === "") onChange(null);
    else if (Number.isFinite(Number(trimmed))) onChange(Number(trimmed));
  };
  const isCounter = def.type === "counter";
  const step = (delta: number) => commit(String((typeof value === "number" ? value : 0) + delta));
  const input = (
    <input
      id={id}
      type="number"
      inputMode={isCounter || def.options?.integer ? "numeric" : "decimal"}
      step={isCounter || def.options?.integer ? 1 : "any"}
      min={def.options?.min}
      max={def.options?.max}
      value={text}
      onChange={(e) => commit(e.target.value)}
      readOnly={isReadOnly}
      aria-invalid={isInvalid || undefined}
      aria-describedby={describedBy}
      className={`${INPUT_CLASS} tabular-nums`}
    />
  );
  if (!isCounter || isReadOnly) return input;
  return (
    <div className="flex items-stretch gap-1.5">
      <StepButton label="Minus one" onClick={() => step(-1)}>−</StepButton>
      <div className="w-32">{input}</div>
      <StepButton label="Plus one" onClick={() => step(1)}>+</StepButton>
    </div>
  );
}

function StepButton({ label, onClick, children }: { label: string; onClick: () => void; children: string }) {
  return (
    <button type="button" aria-label={label} title={label} onClick={onClick} className="w-9 rounded-md bg-white text-base font-medium text-slate-700 shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-indigo-600">
      {children}
    </button>
  );
}
