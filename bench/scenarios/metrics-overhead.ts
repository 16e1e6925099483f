// Metrics overhead: the save path (PATCH with the ETag of the previous save, records of their own)
// against two fresh server processes on the same database, one counting metrics and contention
// rollups (the default), one started with TANDEM_METRICS=false, in the same alternating rounds.
// BENCH_AA=1 starts both with metrics on: the spread of that A/A figure is the machine's noise.
import { httpSide, RECORDS_PER_CLIENT } from "../lib/save-sides.ts";
import { sideBySide, type Measure } from "../lib/compare.ts";
import { cpuTimeMs } from "../lib/proc.ts";
import type { BenchRow, Scenario } from "./types.ts";

const CLIENTS = 32;

/** Counts the server process's CPU time over each measurement, and the saves it made (warm-up included, near enough). */
function metered(pid: number, measure: Measure) {
  const used = { cpuMs: 0, saves: 0 };
  const wrapped: Measure = async (timing) => {
    const before = cpuTimeMs(pid);
    const result = await measure(timing);
    used.cpuMs += cpuTimeMs(pid) - before;
    used.saves += (result.opsPerSec * (timing.warmupMs + timing.durationMs)) / 1000;
    return result;
  };
  return { measure: wrapped, perSaveUs: () => (used.saves === 0 ? 0 : (1000 * used.cpuMs) / used.saves) };
}

export const metricsOverhead: Scenario = {
  name: "metrics overhead",
  description: "saves/s at 32 clients with metrics and contention rollups on, beside the same server with TANDEM_METRICS=false",
  async run(ctx) {
    const [withMetrics, off] = [
      await ctx.startServer([], { TANDEM_METRICS: "true" }),
      await ctx.startServer([], { TANDEM_METRICS: process.env.BENCH_AA ? "true" : "false" }),
    ];
    try {
      const size = ctx.options.records[0]!;
      await ctx.scale.grow(size);
      const ids = await ctx.scale.sample(Math.min(size, 2 * CLIENTS * RECORDS_PER_CLIENT));
      const half = Math.floor(ids.length / 2);
      const groups = (from: string[]) => Array.from({ length: CLIENTS }, (_, c) => from.filter((_id, i) => i % CLIENTS === c));
      const read: Parameters<typeof httpSide>[3] = async (client, slot) => {
        const res = await client.json<{ values: { n: number } }>("GET", `/api/records/${slot.id}`, { expect: 200 });
        Object.assign(slot, { n: res.body.values.n, etag: String(res.headers.etag) });
      };
      const on = await httpSide(ctx, groups(ids.slice(0, half)), withMetrics.url, read);
      const bare = await httpSide(ctx, groups(ids.slice(half)), off.url, read);
      try {
        const onCpu = metered(withMetrics.pid, on.measure);
        const offCpu = metered(off.pid, bare.measure);
        const result = await sideBySide(ctx.options, `metrics overhead / ${CLIENTS} clients`, { raw: offCpu.measure, tandem: onCpu.measure }, 0.6);
        const ratio = result.tandem.opsPerSec / result.raw.opsPerSec;
        const cpuOn = onCpu.perSaveUs();
        const cpuOff = offCpu.perSaveUs();
        const row: BenchRow = {
          scenario: "metrics overhead",
          case: `${CLIENTS} clients, metrics on vs TANDEM_METRICS=false`,
          kind: "throughput",
          tandem: result.tandem,
          raw: result.raw,
          ratio,
          goals: [{ label: "≥95% of metrics off", ok: ratio >= 0.95 }],
          notes: {
            baseline: "two fresh processes of one build: TANDEM_METRICS=true (tandem) and false (raw)",
            "server CPU per save, on / off (µs)": `${Math.round(cpuOn)} / ${Math.round(cpuOff)}`,
            "CPU ratio off/on": `${Math.round((100 * cpuOff) / cpuOn)}%`,
          },
        };
        return [row];
      } finally {
        await Promise.allSettled([on.close(), bare.close()]);
      }
    } finally {
      await Promise.allSettled([withMetrics.stop(), off.stop()]);
    }
  },
};
