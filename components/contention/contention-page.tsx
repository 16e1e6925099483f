"use client";
// The workspace owners' contention page: per-minute charts over the last hour or day, the records
// and fields that collide most (each linking to the record's history), and advice drawn from the
// counts, with the "always ask" setting offered where it applies. Others are told who can see it.
import dynamic from "next/dynamic";
import Link from "next/link";
import { useCallback, useEffect, useState } from "react";
import type { ContentionDto, ContentionPeriod } from "@/lib/contention";
import { api, ApiError, messageOf } from "@/components/api/client";
import { useDocumentTitle } from "@/components/shell/use-document-title";
import { Button } from "@/components/ui/button";
import { LoadingBlock, OwnersPageError } from "@/components/ui/states";

// recharts measures the DOM: drawn in the browser only.
const ContentionCharts = dynamic(() => import("./contention-charts"), { ssr: false, loading: () => <LoadingBlock label="Drawing charts" rows={2} /> });

const REFRESH_MS = 30_000;
const pct = (share: number | null) => (share === null ? "—" : `${Math.round(share * 100)} %`);
const ms = (value: number | null) => (value === null ? "—" : `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`);

function Figures({ period }: { period: ContentionPeriod }) {
  const items: [string, string][] = [
    ["Saves", String(period.saves)],
    ["Refused", String(period.refused)],
    ["Auto-merged", String(period.autoMerged)],
    ["Interrupted nobody", pct(period.uninterrupted)],
    ["p50 / p99", `${ms(period.p50)} / ${ms(period.p99)}`],
    ["Retries", String(period.retries)],
    ["Mean lock wait", ms(period.lockWaitMs)],
    ["Limit refusals", String(period.limited)],
  ];
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
      {items.map(([label, value]) => (
        <div key={label} className="rounded-lg border border-slate-200 bg-surface px-3 py-2">
          <dt className="text-xs text-slate-600">{label}</dt>
          <dd className="text-lg font-semibold tabular-nums text-slate-900">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function ContentionPage({ workspaceId }: { workspaceId: string }) {
  const [data, setData] = useState<ContentionDto | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [range, setRange] = useState<"hour" | "day">("hour");
  const [applying, setApplying] = useState<string | null>(null);
  const [applyError, setApplyError] = useState<string | null>(null);
  useDocumentTitle(["Contention", data?.workspace.name]);

  const load = useCallback(async () => {
    try {
      setData(await api.contention(workspaceId));
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, "network", messageOf(e), {}, null));
    }
  }, [workspaceId]);
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  if (error && !data) {
    return (
      <OwnersPageError
        error={error}
        forOwners={{ title: "Contention is for owners", message: "Only the workspace's owners see its contention." }}
        title="Couldn’t load contention"
        onRetry={load}
      />
    );
  }
  if (!data) return <LoadingBlock label="Loading contention" rows={4} />;
  const period = data[range];

  const alwaysAsk = async (collectionId: string, field: string, etag: string | undefined) => {
    if (!etag) return;
    setApplying(`${collectionId}:${field}`);
    setApplyError(null);
    try {
      await api.setMergePolicy(collectionId, field, etag, true);
      await load();
    } catch (e) {
      setApplyError(
        e instanceof ApiError && e.status === 412 ? "The collection's fields changed meanwhile: the advice is refreshed, try again." : messageOf(e),
      );
      await load();
    } finally {
      setApplying(null);
    }
  };

  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm text-slate-600">
          <Link href="/" className="underline underline-offset-2">
            Collections
          </Link>
          {data.workspace.name && ` · ${data.workspace.name}`}
        </p>
        <h1 className="text-2xl font-semibold tracking-tight">Contention</h1>
        <p className="mt-1 max-w-2xl text-sm text-slate-600">
          Which records and fields collide, how often a save was refused or merged by itself, how long saves and locks take. Counted per minute by every server
          and kept for a limited time.
        </p>
      </div>

      <section aria-labelledby="advice" className="space-y-2">
        <h2 id="advice" className="font-semibold text-slate-900">
          Advice
        </h2>
        {applyError && (
          <p role="alert" className="text-sm text-rose-800">
            {applyError}
          </p>
        )}
        {data.advice.length === 0 ? (
          <p className="text-sm text-slate-600">Nothing to suggest: no field is refused, merged or limited often enough to need a change.</p>
        ) : (
          <ul className="space-y-2">
            {data.advice.map((a) => (
              <li
                key={`${a.kind}:${"recordId" in a ? a.recordId : ""}:${a.field}`}
                className="flex flex-wrap items-center justify-between gap-3 rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-950"
              >
                <span>{a.text}</span>
                {a.kind === "always_ask" && !a.isSet && a.etag && (
                  <Button size="sm" disabled={applying !== null} onClick={() => void alwaysAsk(a.collectionId, a.field, a.etag)}>
                    {applying === `${a.collectionId}:${a.field}` ? "Setting…" : "Set to always ask"}
                  </Button>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="charts" className="space-y-3">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="charts" className="font-semibold text-slate-900">
            {range === "hour" ? "The last hour" : "The last day"}
          </h2>
          <div role="group" aria-label="Period" className="flex gap-1">
            <Button size="sm" variant={range === "hour" ? "primary" : "secondary"} aria-pressed={range === "hour"} onClick={() => setRange("hour")}>
              Last hour
            </Button>
            <Button size="sm" variant={range === "day" ? "primary" : "secondary"} aria-pressed={range === "day"} onClick={() => setRange("day")}>
              Last day
            </Button>
          </div>
        </div>
        <Figures period={period} />
        <ContentionCharts points={period.series} />
      </section>

      <div className="grid gap-6 md:grid-cols-2">
        <section aria-labelledby="hot-records">
          <h2 id="hot-records" className="mb-2 font-semibold text-slate-900">
            Hottest records (last day)
          </h2>
          {data.hotRecords.length === 0 ? (
            <p className="text-sm text-slate-600">No saves counted yet.</p>
          ) : (
            <table className="w-full text-sm">
              <thead className="text-left text-xs text-slate-600">
                <tr>
                  <th className="py-1">Record</th>
                  <th>Saves</th>
                  <th>Refused</th>
                  <th>Auto-merged</th>
                </tr>
              </thead>
              <tbody>
                {data.hotRecords.map((h) => (
                  <tr key={h.recordId} className="border-t border-slate-100">
                    <td className="py-1">
                      <Link href={`/records/${h.recordId}/history`} className="text-indigo-700 underline underline-offset-2">
                        {h.name}
                      </Link>{" "}
                      <span className="text-slate-500">· {h.collectionName}</span>
                    </td>
                    <td className="tabular-nums">{h.saves}</td>
                    <td className="tabular-nums">{h.refused}</td>
                    <td className="tabular-nums">{h.autoMerged}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section aria-labelledby="hot-fields">
          <h2 id="hot-fields" className="mb-2 font-semibold text-slate-900">
            Fields that conflict most (last day)
          </h2>
          {data.hotFields.length === 0 ? (
            <p className="text-sm text-slate-600">No field was refused, merged or limited.</p>
          ) : (
            <table className="w-full text-sm">
              <thead className="text-left text-xs text-slate-600">
                <tr>
                  <th className="py-1">Field</th>
                  <th>Refused</th>
                  <th>Auto-merged</th>
                  <th>Limit</th>
                </tr>
              </thead>
              <tbody>
                {data.hotFields.map((h) => (
                  <tr key={`${h.recordId}:${h.field}`} className="border-t border-slate-100">
                    <td className="py-1">
                      {h.fieldLabel} on{" "}
                      <Link href={`/records/${h.recordId}/history`} className="text-indigo-700 underline underline-offset-2">
                        {h.name}
                      </Link>
                    </td>
                    <td className="tabular-nums">{h.refused}</td>
                    <td className="tabular-nums">{h.autoMerged}</td>
                    <td className="tabular-nums">{h.limited}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
    </div>
  );
}
