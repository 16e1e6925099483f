// What another process costs, read from /proc (Linux): a child's process.cpuUsage() and
// memoryUsage() are not visible from outside, but its CPU ticks and resident set are.
import { spawnSync } from "node:child_process";
import fs from "node:fs";

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    const out = spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" });
    ticksPerSecond = Number(out.stdout?.trim()) || 100;
  }
  return ticksPerSecond;
}

/** CPU time (user + system) the process has used so far, in ms (resolution: one clock tick, 10 ms). */
export function cpuTimeMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after "(comm)": state is field 3, utime field 14, stime field 15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks();
}

/** Resident set size in KB (VmRSS). */
export function rssKb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]);
}

/** CPU use of some processes over a stretch of time, as % of one core. */
export function cpuMeter(pids: Record<string, number>) {
  const t0 = performance.now();
  const start = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuTimeMs(pid)]));
  return {
    stop(): Record<string, number> {
      const elapsed = performance.now() - t0;
      return Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, (100 * (cpuTimeMs(pid) - start[k]!)) / elapsed]));
    },
    usedMs(): Record<string, number> {
      return Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuTimeMs(pid) - start[k]!]));
    },
  };
}

/**
 * One clock for every process of the bench: CLOCK_MONOTONIC (process.hrtime), in ms. On Linux it is
 * one kernel clock shared by all processes of the machine, never stepped or slewed apart, unlike
 * performance.timeOrigin + performance.now(), which ties each process's own start to the wall
 * clock as it read at that moment. The fan-out scenario checks it against its watchers' process.
 */
export const monoNow = () => Number(process.hrtime.bigint()) / 1e6;
