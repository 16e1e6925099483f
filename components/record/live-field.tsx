"use client";
// One field of the record form with its live decorations: a ring and name tag for whoever is in
// it, a brief highlight when someone else's save changed it, and, on a field the viewer is editing
// that changed underneath, the "changed by Dana · v8" marker with Take theirs / Compare.
import { useEffect, useState, type ReactNode } from "react";
import type { FieldDef, FieldValue } from "@/lib/types";
import type { PresencePeer } from "@/components/realtime/use-live-record";
import { Button } from "@/components/ui/button";
import { formatValue, type UserNames } from "@/components/ui/format";
import type { FieldChange } from "./live-merge";

const FLASH_MS = 6000;
export const firstName = (name: string) => name.split(/\s+/)[0] || name;

export type Underneath = { base: FieldValue; mine: FieldValue; theirs: FieldValue; change: FieldChange };

type Props = {
  def: FieldDef;
  editors: PresencePeer[];
  flash?: FieldChange & { at: number };
  underneath?: Underneath;
  users: UserNames;
  onTakeTheirs: () => void;
  onFocusChange: (isFocused: boolean) => void;
  children: ReactNode;
};

export function LiveField({ def, editors, flash, underneath, users, onTakeTheirs, onFocusChange, children }: Props) {
  const [seenFlash, setSeenFlash] = useState<number | null>(null);
  useEffect(() => {
    if (!flash) return;
    const timer = setTimeout(() => setSeenFlash(flash.at), FLASH_MS);
    return () => clearTimeout(timer);
  }, [flash]);
  const isFlashing = !!flash && seenFlash !== flash.at;
  const ring = editors[0]?.user.color;
  return (
    <div
      data-field={def.key}
      onFocus={() => onFocusChange(true)}
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) onFocusChange(false);
      }}
      className="relative rounded-lg transition-shadow"
      style={ring ? { outline: `2px solid ${ring}`, outlineOffset: "6px" } : undefined}
    >
      {editors.length > 0 && (
        <div data-testid={`editing-${def.key}`} className="absolute -top-4 -right-1.5 z-10 flex gap-1">
          {editors.map((p) => (
            <span
              key={p.clientId}
              className="rounded px-1.5 py-0.5 text-[10px] leading-none font-medium text-white shadow-sm"
              style={{ backgroundColor: p.user.color }}
            >
              {p.user.name}
            </span>
          ))}
        </div>
      )}
      <div key={isFlashing ? flash.at : "still"} className={isFlashing ? "tandem-flash rounded-lg" : ""}>
        {children}
      </div>
      {isFlashing && (
        <p data-testid={`changed-${def.key}`} className="mt-1 text-xs text-sky-800">
          {firstName(flash.by)} changed this · v{flash.version}
        </p>
      )}
      {underneath && <UnderneathMarker def={def} underneath={underneath} users={users} onTakeTheirs={onTakeTheirs} />}
    </div>
  );
}

function UnderneathMarker({ def, underneath, users, onTakeTheirs }: { def: FieldDef; underneath: Underneath; users: UserNames; onTakeTheirs: () => void }) {
  const [isComparing, setIsComparing] = useState(false);
  const { change } = underneath;
  const show = (value: FieldValue) => formatValue(def, value, users);
  return (
    <div role="status" data-testid={`underneath-${def.key}`} className="mt-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-xs text-amber-900">
      <div className="flex flex-wrap items-center gap-2">
        <span aria-hidden="true" className="size-1.5 rounded-full bg-amber-500" />
        <span className="flex-1 font-medium" title={`${change.by} saved a new value while you were editing`}>
          changed by {firstName(change.by)} · v{change.version}
        </span>
        <Button size="sm" onClick={onTakeTheirs}>
          Take theirs
        </Button>
        <Button size="sm" variant="ghost" aria-expanded={isComparing} onClick={() => setIsComparing((v) => !v)}>
          {isComparing ? "Hide" : "Compare"}
        </Button>
      </div>
      {isComparing && (
        <dl aria-label={`${def.label}: compare`} className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
          <dt className="text-amber-700">You started from</dt>
          <dd className="break-words whitespace-pre-wrap text-slate-600 line-through decoration-slate-300">{show(underneath.base)}</dd>
          <dt className="text-amber-700">Yours</dt>
          <dd className="break-words whitespace-pre-wrap text-slate-900">{show(underneath.mine)}</dd>
          <dt className="text-amber-700">
            {firstName(change.by)}’s (v{change.version})
          </dt>
          <dd className="break-words whitespace-pre-wrap text-slate-900">{show(underneath.theirs)}</dd>
          <dd className="col-span-2 mt-1 text-amber-800">To keep yours, just save: you will choose per field in the merge dialog.</dd>
        </dl>
      )}
    </div>
  );
}
