"use client";
// A collection's limits as bars ("92 / 100 seats"), and a hook that keeps their numbers fresh
// while the page is open: every write in the collection may have moved a total.
import { useEffect, useRef } from "react";
import type { CollectionDto } from "@/lib/types";
import { api } from "@/components/api/client";

export function LimitBars({ collection }: { collection: CollectionDto }) {
  if (!collection.limits?.length) return null;
  return (
    <div className="flex flex-wrap gap-4">
      {collection.limits.map((limit) => {
        const label = collection.fields.find((f) => f.key === limit.field)?.label ?? limit.field;
        const share = limit.max > 0 ? Math.min(1, limit.used / limit.max) : 1;
        const tone = share >= 1 ? "bg-rose-600" : share >= 0.9 ? "bg-amber-500" : "bg-indigo-600";
        return (
          <div key={limit.field} className="min-w-52 flex-1 basis-52" data-testid={`limit-${limit.field}`}>
            <div className="flex justify-between text-sm">
              <span className="font-medium text-slate-800">{label}</span>
              <span className="tabular-nums text-slate-700">
                {limit.used.toLocaleString()} / {limit.max.toLocaleString()} {label.toLowerCase()}
              </span>
            </div>
            <div
              role="progressbar"
              aria-label={`${label} used`}
              aria-valuemin={0}
              aria-valuemax={limit.max}
              aria-valuenow={limit.used}
              className="mt-1 h-2 overflow-hidden rounded-full bg-slate-200"
            >
              <div className={`h-full ${tone}`} style={{ width: `${share * 100}%` }} />
            </div>
          </div>
        );
      })}
    </div>
  );
}

/**
 * Returns a function to call on every live event of the collection: when it has limits, their
 * numbers are fetched again (at most every 300 ms) and handed to `onLimits`.
 */
export function useLimitRefresh(collection: CollectionDto | null, onLimits: (limits: CollectionDto["limits"]) => void): () => void {
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef({ collection, onLimits });
  useEffect(() => {
    latest.current = { collection, onLimits };
  });
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  return () => {
    const current = latest.current.collection;
    if (!current?.limits?.length || timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      void api.collection(current.id).then(
        (fresh) => latest.current.onLimits(fresh.limits),
        () => {},
      );
    }, 300);
  };
}
