"use client";
import type { FieldEditorProps } from "./types";

/** Tags as toggle chips: one keyboard stop per choice, pressed state announced. */
export function TagsInput({ id, def, value, onChange, isReadOnly, describedBy }: FieldEditorProps) {
  const selected = Array.isArray(value) ? value : [];
  const toggle = (choice: string) => onChange(selected.includes(choice) ? selected.filter((t) => t !== choice) : [...selected, choice]);
  return (
    <div id={id} role="group" aria-labelledby={`${id}-label`} aria-describedby={describedBy} className="flex flex-wrap gap-1.5">
      {(def.options?.choices ?? []).map((choice) => {
        const isOn = selected.includes(choice);
        return (
          <button
            key={choice}
            type="button"
            aria-pressed={isOn}
            disabled={isReadOnly}
            onClick={() => toggle(choice)}
            className={`rounded-full px-3 py-1 text-xs font-medium ring-1 ring-inset transition-colors focus-visible:outline-2 focus-visible:outline-indigo-600 ${
              isOn ? "bg-indigo-600 text-white ring-indigo-600" : "bg-surface text-slate-700 ring-slate-300 hover:bg-slate-50"
            } disabled:cursor-default disabled:opacity-90`}
          >
            {choice}
          </button>
        );
      })}
    </div>
  );
}
