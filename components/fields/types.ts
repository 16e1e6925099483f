import type { FieldDef, FieldValue } from "@/lib/types";
import type { Member } from "@/components/api/client";

/** What every field editor receives; a new editor (e.g. TipTap for richtext) implements just this. */
export type FieldEditorProps = {
  id: string;
  def: FieldDef;
  value: FieldValue;
  onChange: (value: FieldValue) => void;
  isReadOnly: boolean;
  isInvalid: boolean;
  describedBy?: string;
  members: Member[];
  /** a counter on the record page: its pending delta, and how to add to it ("−", "+", "adjust by") */
  counter?: { pending: number; onAdjust: (delta: number) => void };
};

export const INPUT_CLASS =
  "block w-full rounded-md border-0 bg-surface px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 placeholder:text-slate-400 focus:ring-2 focus:ring-inset focus:ring-indigo-600 focus:outline-none read-only:bg-slate-50 read-only:text-slate-700 disabled:bg-slate-50 disabled:text-slate-700 aria-invalid:ring-rose-400";
