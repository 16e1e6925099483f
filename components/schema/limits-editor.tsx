"use client";
// The collection editor's limits (SPEC F10–F12): per number or counter field, the most its live
// records may add up to, with how much is in use now. The max is kept as typed until it is saved;
// the server refuses a limit below what is in use, and the refusal is shown on the limit.
import { INPUT_CLASS } from "@/components/fields/types";
import { Button } from "@/components/ui/button";
import type { CollectionLimit, FieldDef } from "@/lib/types";

/** A limit as the editor holds it: the max as typed. */
export type DraftLimit = { field: string; max: string };

const NUMBER = /^\s*\d+(\.\d+)?\s*$/;

/** The limits to send, or what is wrong with them, by `limits.<field>` as the server names them. */
export function limitsToSend(limits: DraftLimit[]): { ok: true; limits: CollectionLimit[] } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const out: CollectionLimit[] = [];
  for (const limit of limits) {
    if (!NUMBER.test(limit.max)) errors[`limits.${limit.field}`] = "Enter the most it may add up to: a number of 0 or more";
    else out.push({ kind: "sum", field: limit.field, max: Number(limit.max) });
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, limits: out };
}

export function LimitsEditor({
  fields,
  limits,
  used,
  errors,
  onChange,
}: {
  fields: FieldDef[];
  limits: DraftLimit[];
  /** per field already limited, what the live records use now */
  used: Record<string, number>;
  errors: Record<string, string>;
  onChange: (limits: DraftLimit[]) => void;
}) {
  const numeric = fields.filter((f) => f.type === "number" || f.type === "counter");
  const free = numeric.filter((f) => !limits.some((l) => l.field === f.key));
  const set = (i: number, next: DraftLimit) => onChange(limits.map((l, j) => (j === i ? next : l)));
  return (
    <section aria-label="Limits" className="space-y-2">
      <h2 className="text-lg font-semibold">Limits</h2>
      <p className="text-sm text-slate-600">
        The most a number or counter field may add up to across the collection’s records (e.g. seats of a licence). Saves that would go over it are refused; a
        limit cannot be set below what is in use.
      </p>
      {limits.length > 0 && (
        <ul className="space-y-2">
          {limits.map((limit, i) => {
            const def = fields.find((f) => f.key === limit.field);
            const label = def?.label ?? limit.field;
            const error = errors[`limits.${limit.field}`];
            const inUse = used[limit.field];
            return (
              <li key={i} data-testid={`limit-row-${limit.field}`} className="rounded-lg border border-slate-200 bg-surface p-3">
                <div className="flex flex-wrap items-end gap-3">
                  <label className="w-52">
                    <span className="text-xs font-medium text-slate-600">Field</span>
                    <select
                      className={INPUT_CLASS}
                      aria-label={`Field of limit ${i + 1}`}
                      value={limit.field}
                      onChange={(e) => set(i, { ...limit, field: e.target.value })}
                    >
                      {[...(def ? [def] : []), ...free].map((f) => (
                        <option key={f.key} value={f.key}>
                          {f.label}
                        </option>
                      ))}
                      {!def && <option value={limit.field}>{limit.field} (not a number field)</option>}
                    </select>
                  </label>
                  <label className="w-36">
                    <span className="text-xs font-medium text-slate-600">At most</span>
                    <input
                      className={INPUT_CLASS}
                      inputMode="decimal"
                      aria-label={`Limit on ${label}`}
                      aria-invalid={!!error}
                      value={limit.max}
                      onChange={(e) => set(i, { ...limit, max: e.target.value })}
                    />
                  </label>
                  <span className="pb-2 text-sm text-slate-600 tabular-nums">
                    {inUse === undefined ? "in use: counted when saved" : `${inUse.toLocaleString()} in use now`}
                  </span>
                  <Button size="sm" variant="danger" aria-label={`Remove the limit on ${label}`} onClick={() => onChange(limits.filter((_, j) => j !== i))}>
                    Remove
                  </Button>
                </div>
                {error && (
                  <p role="alert" className="mt-2 text-sm text-rose-700">
                    {error}
                  </p>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <Button disabled={free.length === 0} onClick={() => onChange([...limits, { field: free[0]!.key, max: "" }])}>
        Add a limit
      </Button>
      {numeric.length === 0 && <p className="text-sm text-slate-600">Add a number or counter field to limit it.</p>}
    </section>
  );
}
