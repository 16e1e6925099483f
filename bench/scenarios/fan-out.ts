// 3. Fan-out: N socket.io clients (in a child process of their own) watch one record while the
// bench saves it at a steady rate; latency = a watcher's receipt of `record:saved` minus the
// save's HTTP response, on one clock (performance.timeOrigin + performance.now() in both
// processes). Beside a bare socket.io server that broadcasts the same payload to a room of as
// many clients when the bench POSTs to it at the same rate. Capacity = the highest rate held
// (≥ 90 % of the rate reached, p99 < 100 ms, nothing missing).
import { emptyResult, measuredWindows, resultOf, type LoadResult } from "../lib/load.ts";
import { createCollection, insertRecords, listRecordIds } from "../lib/fixtures.ts";
import { HttpClient } from "../lib/http-client.ts";
import { cpuMeter, wallNow } from "../lib/proc.ts";
import { round, summarize, type LatencySummary } from "../lib/stats.ts";
import { fmt, sleep, startBareServer, startSocketWorker, userCookies, type BareServer, type SocketWorker } from "../lib/realtime-bench.ts";
import type { CollectResult, OpenResult } from "../workers/socket-clients.ts";
import type { BenchRow, Scenario, ScenarioContext } from "./types.ts";

const HELD_P99_MS = 100;
/** a rate is reached when this share of its saves happened */
const REACHED = 0.9;
/** rates above this are skipped for a side that failed the rate just below */
const ALWAYS_UP_TO = 50;

type Side = "tandem" | "bare";
type Step = { latencies: number[]; fromRequest: number[]; saves: number; windowMs: number; missing: number; errors: number; firstError?: string; serverCpu: number[]; workerCpu: number[] };
type Saver = { save: () => Promise<number>; close: () => void };

export const fanOut: Scenario = {
  name: "fan-out",
  description: "record:saved to 100 and 1,000 watchers (another process) at steady save rates, beside a bare socket.io room broadcast",
  async run(ctx) {
    const quick = ctx.options.quick;
    const watcherCounts = quick ? [100, 300] : [100, 1000];
    const rates = quick ? [10, 50] : [10, 25, 50, 100];
    const collectionId = await createCollection(ctx.admin, ctx.workspace.id, "Fan-out");
    await insertRecords(ctx.admin, collectionId, ctx.workspace.users[0]!.id, watcherCounts.length);
    const recordIds = await listRecordIds(ctx.admin, collectionId, watcherCounts.length);
    const worker = await startSocketWorker(ctx);
    const bare = await startBareServer(ctx);
    const rows: BenchRow[] = [];
    try {
      for (const [k, watchers] of watcherCounts.entries()) {
        rows.push(...(await measureWatchers(ctx, worker, bare, watchers, recordIds[k]!, rates)));
      }
    } finally {
      await worker.stop();
      await bare.stop();
    }
    return rows;
  },
};

async function measureWatchers(ctx: ScenarioContext, worker: SocketWorker, bare: BareServer, watchers: number, recordId: string, rates: number[]): Promise<BenchRow[]> {
  const { quick, rounds } = ctx.options;
  const groups: Record<Side, string> = { tandem: `tandem-${watchers}`, bare: `bare-${watchers}` };
  const opened = {
    tandem: await worker.call<OpenResult>("open", { group: groups.tandem, url: ctx.url, cookies: userCookies(ctx), count: watchers, recordIds: [recordId] }),
    bare: await worker.call<OpenResult>("open", { group: groups.bare, url: bare.url, cookies: [], count: watchers, recordIds: [recordId] }),
  };
  const joined = `tandem ${(opened.tandem.ms / 1000).toFixed(1)} s (${fmt(opened.tandem.received)} messages to the joiners), bare ${(opened.bare.ms / 1000).toFixed(1)} s (${fmt(opened.bare.received)})`;
  ctx.log(`  ${fmt(watchers)} watchers connected and watching: ${joined}`);
  const savers: Record<Side, Saver> = { tandem: await tandemSaver(ctx, recordId), bare: bareSaver(ctx, bare, recordId) };
  const pids: Record<Side, number> = { tandem: ctx.serverPid, bare: bare.pid };
  const rows: BenchRow[] = [];
  const held: Record<Side, number[]> = { tandem: [], bare: [] };
  const failedAt: Record<Side, number | undefined> = { tandem: undefined, bare: undefined };
  let previous: number | undefined;
  try {
    for (const rate of rates) {
      const label = `fan-out / ${fmt(watchers)} watchers, ${rate} saves/s`;
      const windowMs = Math.max(quick ? 1000 : 1500, ((quick ? 10 : 20) / rate) * 1000);
      const run = (side: Side) => rate <= ALWAYS_UP_TO || previous === undefined || held[side].includes(previous);
      const steps: Record<Side, Step[]> = { tandem: [], bare: [] };
      for (let round = 0; round < rounds; round++) {
        const order: Side[] = round % 2 === 0 ? ["bare", "tandem"] : ["tandem", "bare"];
        for (const side of order) {
          if (!run(side)) continue;
          const warmupMs = round === 0 ? (quick ? 300 : 500) : 250;
          steps[side].push(await measureStep(worker, groups[side], savers[side], { tandem: pids[side], worker: worker.pid }, rate, warmupMs, windowMs, `${label} [${side === "bare" ? "raw" : "tandem"}]`));
        }
      }
      const result = { tandem: merge(steps.tandem, rate), bare: merge(steps.bare, rate) };
      for (const side of ["tandem", "bare"] as const) {
        if (!result[side]) continue;
        if (result[side].ok) held[side].push(rate);
        else failedAt[side] = rate;
      }
      previous = rate;
      const goal = watchers === 1000 && rate === 50 ? [{ label: "p99≤50ms", ok: (result.tandem?.load.p99Ms ?? Infinity) <= 50 }] : [];
      rows.push({
        scenario: "fan-out",
        case: `${fmt(watchers)} watchers, ${rate} saves/s`,
        kind: "throughput",
        tandem: result.tandem?.load ?? emptyResult(),
        raw: result.bare?.load ?? emptyResult(),
        ratio: NaN,
        goals: goal,
        notes: {
          ...(result.tandem ? {} : { tandem: `not run (failed at ${failedAt.tandem}/s)` }),
          ...(result.bare ? {} : { bare: `not run (failed at ${failedAt.bare}/s)` }),
          held: `tandem ${result.tandem?.ok ? "yes" : "no"}, bare ${result.bare?.ok ? "yes" : "no"}`,
          "events/s": `${fmt(Math.round((result.tandem?.load.samples ?? 0) / ((result.tandem?.windowMs ?? 1) / 1000)))} / ${fmt(Math.round((result.bare?.load.samples ?? 0) / ((result.bare?.windowMs ?? 1) / 1000)))}`,
          "p50/p99 from request": `${fromReq(result.tandem?.fromRequest)} / ${fromReq(result.bare?.fromRequest)} ms`,
          "server CPU": `${pct(result.tandem?.serverCpu)} / ${pct(result.bare?.serverCpu)}`,
          "watcher process CPU": `${pct(result.tandem?.workerCpu)} / ${pct(result.bare?.workerCpu)}`,
          ...(result.tandem?.missing || result.bare?.missing ? { missing: `${result.tandem?.missing ?? 0} / ${result.bare?.missing ?? 0}` } : {}),
        },
      });
    }
  } finally {
    savers.tandem.close();
    savers.bare.close();
    await worker.call("close", { group: groups.tandem });
    await worker.call("close", { group: groups.bare });
  }
  const capacity = (side: Side) => Math.max(0, ...held[side]);
  const top = rates[rates.length - 1]!;
  const cap = { tandem: capacity("tandem"), bare: capacity("bare") };
  const ratio = cap.bare > 0 ? cap.tandem / cap.bare : NaN;
  rows.push({
    scenario: "fan-out",
    case: `${fmt(watchers)} watchers, capacity`,
    kind: "throughput",
    tandem: { ...emptyResult(), opsPerSec: cap.tandem },
    raw: { ...emptyResult(), opsPerSec: cap.bare },
    ratio,
    goals: watchers === 1000 ? [{ label: "≥70% bare", ok: ratio >= 0.7 }] : [],
    notes: {
"all joined in": joined,
      "highest rate held (p99<100ms)": `tandem ${cap.tandem || "none"}${cap.tandem === top ? "+" : ""}, bare ${cap.bare || "none"}${cap.bare === top ? "+" : ""} saves/s of ${rates.join(", ")}`,
    },
  });
  return rows;
}

const fromReq = (s: LatencySummary | undefined) => (s && s.samples ? `${round(s.p50Ms, 1)}/${round(s.p99Ms, 1)}` : "-");
const pct = (values: number[] | undefined) => (values?.length ? `${Math.round(values.reduce((a, b) => a + b, 0) / values.length)}%` : "-");

function merge(steps: Step[], rate: number) {
  if (steps.length === 0) return undefined;
  const latencies = steps.flatMap((s) => s.latencies);
  const windowMs = steps.reduce((a, s) => a + s.windowMs, 0);
  const saves = steps.reduce((a, s) => a + s.saves, 0);
  const missing = steps.reduce((a, s) => a + s.missing, 0);
  const errors = steps.reduce((a, s) => a + s.errors, 0);
  const firstError = steps.find((s) => s.firstError)?.firstError ?? (missing ? `${missing} record:saved events never arrived` : undefined);
  const load: LoadResult = resultOf(latencies, windowMs, errors + missing, firstError, saves / (windowMs / 1000));
  const ok = load.opsPerSec >= REACHED * rate && load.p99Ms < HELD_P99_MS && errors + missing === 0;
  const fromRequest = summarize(steps.flatMap((s) => s.fromRequest));
  return { load, ok, windowMs, missing, fromRequest, serverCpu: steps.flatMap((s) => s.serverCpu), workerCpu: steps.flatMap((s) => s.workerCpu) };
}

/** Saves at `rate`/s, one after another (a save waits for the previous one: the ETag chain); ticks missed while a save ran are skipped, not bunched. */
async function measureStep(
  worker: SocketWorker,
  group: string,
  saver: Saver,
  pids: { tandem: number; worker: number },
  rate: number,
  warmupMs: number,
  windowMs: number,
  label: string,
): Promise<Step> {
  await worker.call("listen", { group });
  const period = 1000 / rate;
  const start = wallNow();
  const windowStart = start + warmupMs;
  const windowEnd = windowStart + windowMs;
  const sent: [number, number][] = [];
  const requested: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let meter: ReturnType<typeof cpuMeter> | undefined;
  for (let tick = 0; ; tick++) {
    let due = start + tick * period;
    const now = wallNow();
    if (now - due > period) {
      tick = Math.ceil((now - start) / period);
      due = start + tick * period;
    }
    if (due > windowEnd) break;
    if (!meter && due >= windowStart) meter = cpuMeter({ server: pids.tandem, worker: pids.worker });
    if (due > now) await sleep(due - now);
    const requestedAt = wallNow();
    try {
      const version = await saver.save();
      const respondedAt = wallNow();
      if (requestedAt >= windowStart && respondedAt <= windowEnd) {
        sent.push([version, respondedAt]);
        requested.push(requestedAt);
      }
    } catch (error) {
      if (requestedAt >= windowStart) errors++;
      firstError ??= error instanceof Error ? error.message : String(error);
    }
  }
  const cpu = meter?.stop();
  const perfStart = windowStart - performance.timeOrigin;
  measuredWindows.push({ label, startMs: perfStart, endMs: perfStart + windowMs });
  const got = await worker.call<CollectResult>("collect", { group, sent, waitMs: 3000 });
  return {
    latencies: Array.from(got.latencies),
    fromRequest: Array.from(got.latencies, (ms, k) => ms + sent[got.index[k]!]![1] - requested[got.index[k]!]!),
    saves: sent.length,
    windowMs,
    missing: got.missing,
    errors,
    firstError,
    serverCpu: cpu ? [cpu.server!] : [],
    workerCpu: cpu ? [cpu.worker!] : [],
  };
}

/** PATCH /api/records/:id with the ETag of the previous save: the new version. */
async function tandemSaver(ctx: ScenarioContext, recordId: string): Promise<Saver> {
  const agent = ctx.newAgent(1);
  const client: HttpClient = ctx.workspace.users[0]!.client.fork(agent);
  const read = await client.json<{ version: number; values: { n: number } }>("GET", `/api/records/${recordId}`, { expect: 200 });
  let etag = String(read.headers.etag);
  let n = read.body.values.n;
  const reread = async () => {
    const res = await client.json<{ values: { n: number } }>("GET", `/api/records/${recordId}`, { expect: 200 });
    etag = String(res.headers.etag);
    n = res.body.values.n;
  };
  return {
    async save() {
      const res = await client.request("PATCH", `/api/records/${recordId}`, { json: { values: { n: n + 1 } }, headers: { "if-match": etag } });
      if (res.status !== 200) {
        await reread();
        throw new Error(`PATCH: ${res.status} ${res.text.slice(0, 200)}`);
      }
      n++;
      etag = String(res.headers.etag);
      return (JSON.parse(res.text) as { version: number }).version;
    },
    close: () => agent.destroy(),
  };
}

/** POST /emit to the bare server: the same record:saved payload, broadcast before the response. */
function bareSaver(ctx: ScenarioContext, bare: BareServer, recordId: string): Saver {
  const agent = ctx.newAgent(1);
  const client = new HttpClient(bare.url, agent);
  const by = { id: ctx.workspace.users[0]!.id, name: "Bench 0" };
  let version = 1;
  return {
    async save() {
      version++;
      const payload = { recordId, collectionId: recordId, version, changedFields: ["n"], by };
      const res = await client.request("POST", "/emit", { json: { room: `record:${recordId}`, event: "record:saved", payload } });
      if (res.status !== 200) throw new Error(`bare emit: ${res.status}`);
      return version;
    },
    close: () => agent.destroy(),
  };
}
