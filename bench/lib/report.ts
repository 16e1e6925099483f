// The table printed at the end and the JSON written under bench/results/.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { BenchOptions, BenchRow } from "../scenarios/types.ts";
import { round } from "./stats.ts";

const ms = (value: number) => (Number.isFinite(value) ? round(value, value < 10 ? 2 : 1).toString() : "-");
const rate = (value: number) => (Number.isFinite(value) ? Math.round(value).toString() : "-");

const pct = (value: number | undefined) => (value !== undefined && Number.isFinite(value) ? `${Math.round(value * 100)}%` : "-");

/** Columns: Tandem, raw baseline, ratio to it, then the bare HTTP baseline and the ratio to it where a row has one. */
export function formatTable(rows: BenchRow[]): string {
  const header = [
    "scenario",
    "case",
    "tandem ops/s",
    "p50 ms",
    "p99 ms",
    "raw ops/s",
    "p50 ms",
    "p99 ms",
    "ratio",
    "bare http ops/s",
    "p50 ms",
    "p99 ms",
    "vs http",
    "goals",
    "notes",
  ];
  const numeric = (i: number) => i >= 2 && i <= 12;
  const lines = rows.map((row) => [
    row.scenario,
    row.case,
    row.kind === "throughput" ? rate(row.tandem.opsPerSec) : "",
    ms(row.tandem.p50Ms),
    ms(row.tandem.p99Ms),
    row.kind === "throughput" ? rate(row.raw.opsPerSec) : "",
    ms(row.raw.p50Ms),
    ms(row.raw.p99Ms),
    pct(row.ratio),
    row.http ? rate(row.http.opsPerSec) : "",
    row.http ? ms(row.http.p50Ms) : "",
    row.http ? ms(row.http.p99Ms) : "",
    row.http ? pct(row.httpRatio) : "",
    row.goals.map((g) => `${g.ok ? "ok" : "MISS"} ${g.label}`).join("; "),
    [
      ...Object.entries(row.notes).map(([k, v]) => `${k} ${v}`),
      ...(errorCount(row) > 0
        ? [
            `errors ${row.tandem.errors}/${row.raw.errors}${row.http ? `/${row.http.errors}` : ""}: ${row.tandem.firstError ?? row.raw.firstError ?? row.http?.firstError}`,
          ]
        : []),
    ].join(", "),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]) => `| ${cells.map((c, i) => (numeric(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(" | ")} |`;
  return [format(header), `|${widths.map((w, i) => (numeric(i) ? `${"-".repeat(w + 1)}:` : "-".repeat(w + 2))).join("|")}|`, ...lines.map(format)].join("\n");
}

/** Failed operations on any side of a row. */
export const errorCount = (row: BenchRow) => row.tandem.errors + row.raw.errors + (row.http?.errors ?? 0);

export type Machine = {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  os: string;
  node: string;
  postgres: string;
  /** 1-minute load average before and after the run: other work on the machine skews absolute figures */
  loadAverage: string;
};

export function describeMachine(postgres: string, loadBefore: number): Machine {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? "unknown",
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    postgres,
    loadAverage: `${loadBefore.toFixed(1)} → ${os.loadavg()[0]!.toFixed(1)}`,
  };
}

export async function writeResults(
  dir: string,
  data: { startedAt: Date; options: BenchOptions; machine: Machine; rows: BenchRow[]; durationS: number },
): Promise<string> {
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, `${data.startedAt.toISOString().replace(/[:.]/g, "-")}.json`);
  const rows = data.rows.map((row) => ({
    ...row,
    tandem: { ...row.tandem, latencies: undefined },
    raw: { ...row.raw, latencies: undefined },
    http: row.http && { ...row.http, latencies: undefined },
  }));
  await fs.writeFile(file, `${JSON.stringify({ ...data, rows, startedAt: data.startedAt.toISOString() }, null, 2)}\n`);
  return file;
}
