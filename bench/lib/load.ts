// A closed-loop load generator: N workers, each running one operation after another for a fixed
// time. Only operations that start and end inside the measuring window count, so warm-up and the
// requests still in flight when the window closes do not distort throughput or latency.
import { summarize, type LatencySummary } from "./stats.ts";

export type LoadResult = LatencySummary & {
  /** completed operations per second inside the measuring window(s) */
  opsPerSec: number;
  errors: number;
  firstError?: string;
  /** every sample, for merging rounds; left out of the JSON */
  latencies: number[];
  durationMs: number;
};

export type Timing = { warmupMs: number; durationMs: number; label?: string };

export type LoadOptions<W> = Timing & {
  workers: readonly W[];
  /** One operation; throw to count an error (the worker then goes on with its next operation). */
  operation: (worker: W, index: number) => Promise<void>;
  /** Called after a failed operation, e.g. to re-read a version token before going on. */
  recover?: (worker: W, index: number) => Promise<void>;
};

/** Measuring windows (performance.now()) by label, so a server CPU profile can be cut to them. */
export const measuredWindows: { label: string; startMs: number; endMs: number }[] = [];

export async function runLoad<W>(options: LoadOptions<W>): Promise<LoadResult> {
  const { workers, warmupMs, durationMs, operation, recover } = options;
  const windowStart = performance.now() + warmupMs;
  const windowEnd = windowStart + durationMs;
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;

  const loop = async (worker: W, index: number) => {
    while (performance.now() < windowEnd) {
      const t0 = performance.now();
      try {
        await operation(worker, index);
        const t1 = performance.now();
        if (t0 >= windowStart && t1 <= windowEnd) latencies.push(t1 - t0);
      } catch (error) {
        if (t0 >= windowStart) errors++;
        firstError ??= error instanceof Error ? error.message : String(error);
        if (errors > 1000) throw new Error(`too many errors; first: ${firstError}`, { cause: error });
        await recover?.(worker, index).catch(() => {});
      }
    }
  };
  await Promise.all(workers.map((w, i) => loop(w, i)));
  if (options.label) measuredWindows.push({ label: options.label, startMs: windowStart, endMs: windowEnd });
  return result(latencies, durationMs, errors, firstError);
}

/** Sequential requests one after another (an idle server's page load), for latency figures. */
export function runSequential(options: Omit<LoadOptions<null>, "workers">): Promise<LoadResult> {
  return runLoad({ ...options, workers: [null] });
}

/** Several rounds of the same measurement as one. */
export function mergeResults(parts: LoadResult[]): LoadResult {
  const latencies = parts.flatMap((p) => p.latencies);
  const durationMs = parts.reduce((a, p) => a + p.durationMs, 0);
  const errors = parts.reduce((a, p) => a + p.errors, 0);
  return result(latencies, durationMs, errors, parts.find((p) => p.firstError)?.firstError);
}

/** A result from samples taken elsewhere (another process); `opsPerSec` defaults to samples/s. */
export function resultOf(latencies: number[], durationMs: number, errors = 0, firstError?: string, opsPerSec?: number): LoadResult {
  const r = result(latencies, durationMs, errors, firstError);
  return opsPerSec === undefined ? r : { ...r, opsPerSec };
}

/** No measurement (a side that was not run, or a row whose figures are in its notes). */
export const emptyResult = (): LoadResult => resultOf([], 0, 0, undefined, NaN);

function result(latencies: number[], durationMs: number, errors: number, firstError: string | undefined): LoadResult {
  return { ...summarize(latencies), opsPerSec: latencies.length / (durationMs / 1000), errors, firstError, latencies, durationMs };
}
