"use client";
// One endpoint's deliveries, newest first: what was sent, how it went, and "Redeliver". It
// refreshes itself while open, so retries and new deliveries show up as they happen.
import Link from "next/link";
import { useCallback, useEffect, useState } from "react";
import type { DeliveryDto, DeliveryState } from "@/lib/webhooks";
import { api, messageOf } from "@/components/api/client";
import { Button } from "@/components/ui/button";
import { formatRelative, formatTime } from "@/components/ui/format";
import { LoadingBlock } from "@/components/ui/states";
import { DELIVERY_STATE_TEXT, deliveryLine } from "./webhook-text";

const STATE_CLASS: Record<DeliveryState, string> = {
  pending: "bg-amber-100 text-amber-900",
  delivered: "bg-emerald-100 text-emerald-900",
  failed: "bg-rose-100 text-rose-900",
};

export function DeliveryLog({ endpointId, onChanged }: { endpointId: string; onChanged: () => void }) {
  const [deliveries, setDeliveries] = useState<DeliveryDto[] | null>(null);
  const [nextBefore, setNextBefore] = useState<string | null>(null);
  const [older, setOlder] = useState<DeliveryDto[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const page = await api.deliveries(endpointId);
      setDeliveries(page.deliveries);
      setNextBefore((current) => current ?? page.nextBefore);
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }, [endpointId]);

  useEffect(() => {
    void load();
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") void load();
    }, 3000);
    return () => clearInterval(timer);
  }, [load]);

  const loadOlder = async () => {
    if (!nextBefore) return;
    try {
      const page = await api.deliveries(endpointId, { before: nextBefore });
      setOlder((list) => [...list, ...page.deliveries]);
      setNextBefore(page.nextBefore);
    } catch (e) {
      setError(messageOf(e));
    }
  };

  const redeliver = async (delivery: DeliveryDto) => {
    setBusy(delivery.id);
    setNotice(null);
    try {
      await api.redeliver(endpointId, delivery.id);
      setNotice(`v${delivery.version} (${delivery.type}) is being sent again, with the same event id.`);
      await load();
      onChanged();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(null);
    }
  };

  if (!deliveries && !error) return <LoadingBlock label="Loading deliveries" rows={2} />;
  const seen = new Set((deliveries ?? []).map((d) => d.id));
  const rows = [...(deliveries ?? []), ...older.filter((d) => !seen.has(d.id))];
  return (
    <div className="space-y-2">
      {error && (
        <p role="alert" className="text-sm text-rose-700">
          Couldn’t load the deliveries: {error}
        </p>
      )}
      {notice && (
        <p role="status" className="text-sm text-emerald-800">
          {notice}
        </p>
      )}
      {rows.length === 0 ? (
        <p className="text-sm text-slate-600">Nothing sent yet: deliveries appear here as records change.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full min-w-[44rem] text-left text-sm" aria-label="Deliveries">
            <thead className="border-b border-slate-200 text-xs text-slate-600">
              <tr>
                <th scope="col" className="py-2 pr-3 font-medium">
                  When
                </th>
                <th scope="col" className="py-2 pr-3 font-medium">
                  Event
                </th>
                <th scope="col" className="py-2 pr-3 font-medium">
                  State
                </th>
                <th scope="col" className="py-2 pr-3 font-medium">
                  Attempts
                </th>
                <th scope="col" className="py-2 pr-3 font-medium">
                  Response
                </th>
                <th scope="col" className="py-2 pr-3 font-medium">
                  Last error
                </th>
                <th scope="col" className="py-2 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((d) => (
                <tr key={d.id} data-testid="delivery" className="border-b border-slate-100 align-top">
                  <td className="py-2 pr-3 whitespace-nowrap text-slate-700" title={formatTime(d.createdAt)}>
                    {formatRelative(d.createdAt)}
                  </td>
                  <td className="py-2 pr-3">
                    <span className="font-mono text-xs">{d.type}</span>{" "}
                    <Link href={`/records/${d.recordId}/history`} className="text-indigo-700 underline underline-offset-2">
                      v{d.version}
                    </Link>
                  </td>
                  <td className="py-2 pr-3">
                    <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${STATE_CLASS[d.state]}`} title={deliveryLine(d)}>
                      {DELIVERY_STATE_TEXT[d.state]}
                    </span>
                    <span className="sr-only">: {deliveryLine(d)}</span>
                  </td>
                  <td className="py-2 pr-3 tabular-nums">{d.attempts}</td>
                  <td className="py-2 pr-3 whitespace-nowrap tabular-nums">
                    {d.lastStatus !== null ? `HTTP ${d.lastStatus}` : d.attempts > 0 ? "no answer" : "—"}
                    {d.lastDurationMs !== null && <span className="text-slate-500"> · {d.lastDurationMs} ms</span>}
                  </td>
                  <td className="max-w-xs py-2 pr-3 break-words text-slate-700">{d.lastError ?? "—"}</td>
                  <td className="py-2 text-right">
                    <Button size="sm" onClick={() => redeliver(d)} disabled={busy === d.id}>
                      {busy === d.id ? "Sending…" : "Redeliver"}
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {nextBefore && (
        <Button size="sm" variant="ghost" onClick={loadOlder}>
          Older deliveries
        </Button>
      )}
    </div>
  );
}
