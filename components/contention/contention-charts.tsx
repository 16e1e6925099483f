"use client";
// The contention page's charts (recharts, drawn in the browser only: see contention-page.tsx).
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { MinutePoint } from "@/lib/contention";

type Series = { key: keyof MinutePoint; name: string; color: string };

const time = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

/** `isSparse`: the series has no value in quiet minutes (a share, a percentile), so each value gets a dot. */
function Chart({
  title,
  points,
  series,
  unit,
  domain,
  isSparse = false,
}: {
  title: string;
  points: MinutePoint[];
  series: Series[];
  unit?: string;
  domain?: [number, number];
  isSparse?: boolean;
}) {
  return (
    <figure aria-label={title} className="rounded-xl border border-slate-200 bg-surface p-4 shadow-sm">
      <figcaption className="mb-2 text-sm font-semibold text-slate-900">{title}</figcaption>
      <div className="h-48">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={points} margin={{ top: 4, right: 8, bottom: 0, left: -12 }}>
            <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" />
            <XAxis dataKey="minute" tickFormatter={time} minTickGap={40} fontSize={11} />
            <YAxis fontSize={11} unit={unit} domain={domain} allowDecimals={unit !== undefined} />
            <Tooltip labelFormatter={(label) => time(String(label))} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            {series.map((s) => (
              <Line
                key={s.key}
                type="monotone"
                dataKey={s.key}
                name={s.name}
                stroke={s.color}
                dot={isSparse ? { r: 3 } : false}
                isAnimationActive={false}
                connectNulls
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

export default function ContentionCharts({ points }: { points: MinutePoint[] }) {
  const shares = points.map((p) => ({ ...p, uninterrupted: p.uninterrupted === null ? null : Math.round(p.uninterrupted * 1000) / 10 }));
  return (
    <div className="grid gap-4 md:grid-cols-2">
      <Chart
        title="Saves, refusals and auto-merges per minute"
        points={points}
        series={[
          { key: "saves", name: "Saves", color: "#4f46e5" },
          { key: "refused", name: "Refused (dialog)", color: "#e11d48" },
          { key: "autoMerged", name: "Auto-merged", color: "#059669" },
          { key: "limited", name: "Limit refusals", color: "#d97706" },
        ]}
      />
      <Chart
        title="Concurrent edits that interrupted nobody"
        points={shares}
        unit="%"
        domain={[0, 100]}
        isSparse
        series={[{ key: "uninterrupted", name: "Merged by themselves", color: "#059669" }]}
      />
      <Chart
        title="Save latency (server)"
        points={points}
        unit=" ms"
        isSparse
        series={[
          { key: "p50", name: "p50", color: "#4f46e5" },
          { key: "p99", name: "p99", color: "#e11d48" },
        ]}
      />
      <Chart
        title="Retries and lock waits"
        points={points}
        series={[
          { key: "retries", name: "Transaction retries", color: "#d97706" },
          { key: "lockWaitMs", name: "Mean lock wait (ms)", color: "#0891b2" },
        ]}
      />
    </div>
  );
}
