"use client";
import { useState } from "react";
import type { FieldChanges, FieldDef } from "@/lib/types";
import { api, messageOf } from "@/components/api/client";
import { INPUT_CLASS } from "@/components/fields/types";
import { Button } from "@/components/ui/button";
import type { UserNames } from "@/components/ui/format";
import { ChangeList } from "./change-list";

/** Any two versions: what turns the first into the second. */
export function ComparePanel({ recordId, currentVersion, fields, users }: { recordId: string; currentVersion: number; fields: FieldDef[]; users: UserNames }) {
  const [from, setFrom] = useState(Math.max(1, currentVersion - 1));
  const [to, setTo] = useState(currentVersion);
  const [result, setResult] = useState<{ from: number; to: number; changes: FieldChanges } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const versions = Array.from({ length: currentVersion }, (_, i) => currentVersion - i);
  const run = async () => {
    setIsBusy(true);
    setError(null);
    try {
      const data = await api.compare(recordId, from, to);
      setResult({ from, to, changes: data.changes });
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setIsBusy(false);
    }
  };
  const picker = (id: string, label: string, value: number, set: (v: number) => void) => (
    <div className="flex items-center gap-2">
      <label htmlFor={id} className="text-sm whitespace-nowrap text-slate-600">
        {label}
      </label>
      <select id={id} value={value} onChange={(e) => set(Number(e.target.value))} className={`${INPUT_CLASS} w-24`}>
        {versions.map((v) => (
          <option key={v} value={v}>
            v{v}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <section aria-labelledby="compare-title" className="rounded-xl border border-slate-200 bg-surface p-5 shadow-sm">
      <h2 id="compare-title" className="text-base font-semibold">
        Compare versions
      </h2>
      <div className="mt-3 flex flex-wrap items-center gap-3">
        {picker("compare-from", "From version", from, setFrom)}
        {picker("compare-to", "To version", to, setTo)}
        <Button onClick={run} disabled={isBusy || from === to}>
          {isBusy ? "Comparing…" : "Compare"}
        </Button>
      </div>
      {error && (
        <p role="alert" className="mt-3 text-sm text-rose-700">
          {error}
        </p>
      )}
      {result && (
        <div className="mt-3">
          <p className="text-xs text-slate-600">
            From v{result.from} to v{result.to}
          </p>
          <ChangeList changes={result.changes} fields={fields} users={users} />
        </div>
      )}
    </section>
  );
}
