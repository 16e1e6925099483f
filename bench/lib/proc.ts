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

/**
 * CPU time (ms) used so far by every process named `postgres` on the machine: the database's
 * backends, WAL writer and checkpointer (on a shared server, other databases' work too). A backend
 * that ended is counted in its parent's (the postmaster's) children's time, so the sum only grows.
 */
export function postgresCpuMs(): number {
  let total = 0;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      if (stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")) !== "postgres") continue;
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      total += ((Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * 1000) / clockTicks();
    } catch {
      // the process ended while we read it
    }
  }
  return total;
}

/** CPU per operation of one side, added up over its rounds: its server (if any), PostgreSQL, and this process (the clients). */
export function cpuPerOperation(serverPid: number | null) {
  const used = { server: 0, postgres: 0, clients: 0, operations: 0 };
  return {
    /** measures `run` (which returns how many operations it made) */
    async around<T>(run: () => Promise<T>, operations: () => number): Promise<T> {
      const before = { server: serverPid ? cpuTimeMs(serverPid) : 0, postgres: postgresCpuMs(), clients: process.cpuUsage(), operations: operations() };
      const result = await run();
      used.server += serverPid ? cpuTimeMs(serverPid) - before.server : 0;
      used.postgres += postgresCpuMs() - before.postgres;
      const clients = process.cpuUsage(before.clients);
      used.clients += (clients.user + clients.system) / 1000;
      used.operations += operations() - before.operations;
      return result;
    },
    /** µs per operation, as "server / PostgreSQL / clients" ("–" for a side without a server) */
    summary(): string {
      const us = (ms: number) => (used.operations === 0 ? "?" : String(Math.round((1000 * ms) / used.operations)));
      return `${serverPid ? us(used.server) : "–"} / ${us(used.postgres)} / ${us(used.clients)}`;
    },
  };
}
