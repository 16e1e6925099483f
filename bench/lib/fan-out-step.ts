// One step of the fan-out sweep: saves at a steady rate to a record that N watchers (in the
// watchers' process) watch, and what each save's `record:saved` took to reach each of them.
// Latency = arrival at a watcher − the moment the save's request left the bench, both read from
// CLOCK_MONOTONIC (monoNow), one clock for both processes; it cannot be negative (an event
// cannot arrive before the request that caused it), and a step where one is counts as failed.
import { formatEtag } from "@/lib/etag";
import type { RecordSavedEvent } from "@/lib/realtime";
import { HttpClient } from "./http-client.ts";
import { measuredWindows, resultOf, type LoadResult } from "./load.ts";
import { cpuMeter, monoNow } from "./proc.ts";
import { sleep, type BareServer, type SocketWorker } from "./realtime-bench.ts";
import type { WatchersCollectResult } from "../workers/watchers.ts";
import type { ScenarioContext } from "../scenarios/types.ts";

/** A rate is sustained when at least this share of its saves happened, nothing went missing and latency did not climb … */
const REACHED = 0.9;
/** … and held when, on top of that, p99 stays under this. */
export const HELD_P99_MS = 100;

export type Saver = { save: () => Promise<number>; close: () => void };
export type StepPlan = { group: string; rate: number; quick: boolean; label: string; pids: { server: number; worker: number } };
export type Step = {
  load: LoadResult;
  /** kept up: the saves went out at the rate and every watcher got each, with no backlog building */
  sustained: boolean;
  /** sustained, and p99 under HELD_P99_MS */
  held: boolean;
  /** why a rate was not held */
  why: string[];
  serverCpuPct: number;
  workerCpuPct: number;
  /** server CPU time per delivery (one event to one watcher), µs */
  serverUsPerDelivery: number;
};

/** Ticks of warm-up and of measuring: about 0.5 s, and 2–4 s (1–2 s quick) but whole periods. */
function ticksOf(rate: number, quick: boolean) {
  const [min, max] = quick ? [1, 2] : [2, 4];
  return { warmup: Math.max(1, Math.ceil(rate * 0.5)), window: Math.max(Math.ceil(rate * min), Math.min(10, Math.ceil(rate * max))) };
}

export async function measureStep(worker: SocketWorker, saver: Saver, plan: StepPlan): Promise<Step> {
  const ticks = ticksOf(plan.rate, plan.quick);
  await worker.call("watchers:listen", { group: plan.group });
  const run = await runSchedule(saver, plan, ticks);
  const { sent } = run;
  const got = await worker.call<WatchersCollectResult>("watchers:collect", { group: plan.group, versions: sent.map((s) => s.version), waitMs: 3000 });
  const latencies = Array.from(got.arrivals, (at, k) => at - sent[got.index[k]!]!.requestedAt);
  const clockFaults = latencies.filter((ms) => ms <= 0).length;
  let firstError = run.firstError;
  if (clockFaults) firstError ??= `${clockFaults} deliveries before their request: the clocks disagree`;
  if (got.missing) firstError ??= `${got.missing} record:saved deliveries never arrived (${got.disconnected} watchers disconnected)`;
  const failures = run.errors + got.missing + clockFaults;
  const load = resultOf(latencies, run.windowMs, failures, firstError, sent.length / (run.windowMs / 1000));
  const unsustained = [
    ...(sent.length < REACHED * ticks.window ? [`${sent.length} of ${ticks.window} saves`] : []),
    ...(failures ? ["errors or missing events"] : []),
    ...(climbing(latencies, got.index, sent.length) ? ["latency climbing"] : []),
  ];
  const why = [...unsustained, ...(load.p99Ms >= HELD_P99_MS ? [`p99 ${Math.round(load.p99Ms)} ms`] : [])];
  return {
    load,
    sustained: unsustained.length === 0,
    held: why.length === 0,
    why,
    serverCpuPct: (100 * run.cpuMs.server!) / run.elapsedMs,
    workerCpuPct: (100 * run.cpuMs.worker!) / run.elapsedMs,
    serverUsPerDelivery: (1000 * run.cpuMs.server!) / Math.max(1, latencies.length),
  };
}

/** The saves, one per tick; those of the window's ticks are kept, with when each request left. */
async function runSchedule(saver: Saver, plan: StepPlan, ticks: { warmup: number; window: number }) {
  const period = 1000 / plan.rate;
  const sent: { version: number; requestedAt: number }[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let meter: { cpu: ReturnType<typeof cpuMeter>; at: number } | undefined;
  const start = monoNow();
  for (let tick = 0; tick < ticks.warmup + ticks.window; tick++) {
    const due = start + tick * period;
    const now = monoNow();
    if (tick === ticks.warmup) meter = { cpu: cpuMeter(plan.pids), at: now };
    if (now - due > period) continue; // missed while the previous save ran: skipped, not bunched
    if (due > now) await sleep(due - now);
    const requestedAt = monoNow();
    try {
      const version = await saver.save();
      if (tick >= ticks.warmup) sent.push({ version, requestedAt });
    } catch (error) {
      if (tick >= ticks.warmup) errors++;
      firstError ??= error instanceof Error ? error.message : String(error);
    }
  }
  const windowMs = ticks.window * period;
  const windowStart = start + ticks.warmup * period + (performance.now() - monoNow());
  measuredWindows.push({ label: plan.label, startMs: windowStart, endMs: windowStart + windowMs });
  const cpuMs = meter?.cpu.usedMs() ?? { server: NaN, worker: NaN };
  return { sent, errors, firstError, windowMs, cpuMs, elapsedMs: meter ? monoNow() - meter.at : NaN };
}

/**
 * A backlog: the time each save takes to reach its last watcher grows over the window (in its
 * last third, half the latency bound more than in its first third and over 1.5× as long), so a
 * longer run would fall further behind.
 */
function climbing(latencies: number[], index: Uint32Array, saves: number): boolean {
  if (saves < 6) return false;
  const slowest = new Float64Array(saves);
  for (const [k, ms] of latencies.entries()) slowest[index[k]!] = Math.max(slowest[index[k]!]!, ms);
  const third = Math.floor(saves / 3);
  const median = (part: Float64Array) => part.slice().sort()[Math.floor(part.length / 2)]!;
  const first = median(slowest.subarray(0, third));
  const last = median(slowest.subarray(saves - third));
  return last > 1.5 * first && last - first > HELD_P99_MS / 2;
}

/** PATCH /api/records/:id with the ETag of the previous save: the new version. */
export async function tandemSaver(ctx: ScenarioContext, recordId: string): Promise<Saver> {
  const agent = ctx.newAgent(1);
  const client = ctx.workspace.users[0]!.client.fork(agent);
  let etag = "";
  let n = 0;
  const read = async () => {
    const res = await client.json<{ values: { n: number } }>("GET", `/api/records/${recordId}`, { expect: 200 });
    etag = String(res.headers.etag);
    n = res.body.values.n;
  };
  await read();
  return {
    async save() {
      const res = await client.request("PATCH", `/api/records/${recordId}`, { json: { values: { n: n + 1 } }, headers: { "if-match": etag } });
      if (res.status !== 200) {
        await read();
        throw new Error(`PATCH: ${res.status} ${res.text.slice(0, 200)}`);
      }
      n++;
      etag = String(res.headers.etag);
      return (JSON.parse(res.text) as { version: number }).version;
    },
    close: () => agent.destroy(),
  };
}

/** POST /emit to the bare socket.io server: a record:saved payload of the same shape as Tandem's. */
export function bareSaver(ctx: ScenarioContext, bare: BareServer, recordId: string): Saver {
  const agent = ctx.newAgent(1);
  const client = new HttpClient(bare.url, agent);
  const by = { id: ctx.workspace.users[0]!.id, name: "Bench 0" };
  let version = 1;
  return {
    async save() {
      version++;
      const payload: RecordSavedEvent = {
        recordId,
        collectionId: recordId,
        version,
        changedFields: ["n"],
        by,
        values: { n: version - 1 },
        updatedAt: new Date().toISOString(),
        etag: formatEtag(recordId, version),
      };
      const res = await client.request("POST", "/emit", { json: { room: `record:${recordId}`, event: "record:saved", payload } });
      if (res.status !== 200) throw new Error(`bare emit: ${res.status}`);
      return version;
    },
    close: () => agent.destroy(),
  };
}
