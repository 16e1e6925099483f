// 3. Fan-out capacity: N watchers (1,000 and 5,000; light websocket clients in a process of their
// own) watch one record while the bench saves it at a steady rate, swept upward on a ladder of
// rates (×√2 a step) until a side no longer keeps up (≥ 90 % of the saves made, nothing missing,
// latency not climbing). A rate is held when it is kept up with and p99 of save → `record:saved`
// at a watcher stays under 100 ms; one step between the last rate held and the first missed
// narrows that capacity. Beside a bare socket.io server that broadcasts the same payload to a
// room of as many watchers; capacity ratio = tandem/bare.
import { bareSaver, measureStep, tandemSaver, HELD_P99_MS, type Saver, type Step } from "../lib/fan-out-step.ts";
import { createCollection, insertRecords, listRecordIds } from "../lib/fixtures.ts";
import { emptyResult } from "../lib/load.ts";
import { monoNow } from "../lib/proc.ts";
import { fmt, startBareServer, startSocketWorker, userCookies, type BareServer, type SocketWorker } from "../lib/realtime-bench.ts";
import type { WatchersOpenResult } from "../workers/watchers.ts";
import type { BenchRow, Scenario, ScenarioContext } from "./types.ts";

const LADDER = [0.5, 0.7, 1, 1.5, 2, 3, 4, 6, 8, 11, 16, 23, 32, 45, 64, 90, 128, 180, 256, 360, 512, 720, 1024];
/** the sweep starts at the rate that makes about this many deliveries per second */
const START_DELIVERIES = 5000;

type Side = "tandem" | "bare";
const SIDES: Side[] = ["tandem", "bare"];
type Room = { watchers: number; groups: Record<Side, string>; savers: Record<Side, Saver>; pids: Record<Side, number> };
type Measured = Step & { retried?: boolean };
type Sweep = {
  steps: Map<number, Partial<Record<Side, Measured>>>;
  /** the highest rate held with every rate below it held too */
  held: Record<Side, number>;
  /** the highest rate kept up with, whatever its latency */
  sustained: Record<Side, number>;
  /** the lowest rate not held */
  missed: Record<Side, number | undefined>;
};

export const fanOut: Scenario = {
  name: "fan-out",
  description:
    "capacity: record:saved to 1,000 and 5,000 watchers, the save rate swept up until it is no longer kept up with (held: p99 < 100 ms), beside a bare socket.io broadcast",
  async run(ctx) {
    const sizes = ctx.options.watchers;
    const collectionId = await createCollection(ctx.admin, ctx.workspace.id, "Fan-out");
    await insertRecords(ctx.admin, collectionId, ctx.workspace.users[0]!.id, sizes.length);
    const recordIds = await listRecordIds(ctx.admin, collectionId, sizes.length);
    const worker = await startSocketWorker(ctx);
    const bare = await startBareServer(ctx);
    const rows: BenchRow[] = [];
    try {
      await checkOneClock(worker);
      for (const [k, watchers] of sizes.entries()) rows.push(...(await measureRoom(ctx, worker, bare, watchers, recordIds[k]!)));
    } finally {
      await worker.stop();
      await bare.stop();
    }
    return rows;
  },
};

/** The watchers' process must read the bench's clock: its reading falls between two of ours. */
async function checkOneClock(worker: SocketWorker): Promise<void> {
  for (let i = 0; i < 5; i++) {
    const before = monoNow();
    const theirs = await worker.call<number>("clock");
    const after = monoNow();
    if (theirs < before || theirs > after) throw new Error(`the watchers' clock (${theirs}) is not the bench's (${before}…${after})`);
  }
}

async function measureRoom(ctx: ScenarioContext, worker: SocketWorker, bare: BareServer, watchers: number, recordId: string): Promise<BenchRow[]> {
  const groups: Record<Side, string> = { tandem: `tandem-${watchers}`, bare: `bare-${watchers}` };
  const join = async (side: Side, url: string, cookies: string[]) =>
    (await worker.call<WatchersOpenResult>("watchers:open", { group: groups[side], url, cookies, count: watchers, recordId })).ms;
  const joinedMs = { tandem: await join("tandem", ctx.url, userCookies(ctx)), bare: await join("bare", bare.url, []) };
  const joined = `tandem ${(joinedMs.tandem / 1000).toFixed(1)} s, bare ${(joinedMs.bare / 1000).toFixed(1)} s`;
  ctx.log(`  ${fmt(watchers)} watchers connected and watching: ${joined}`);
  const room: Room = {
    watchers,
    groups,
    savers: { tandem: await tandemSaver(ctx, recordId), bare: bareSaver(ctx, bare, recordId) },
    pids: { tandem: ctx.serverPid, bare: bare.pid },
  };
  try {
    const sweep = await runSweep(ctx, worker, room);
    return [...rateRows(room, sweep), capacityRow(room, sweep, joined)];
  } finally {
    room.savers.tandem.close();
    room.savers.bare.close();
    await worker.call("watchers:close", { group: groups.tandem });
    await worker.call("watchers:close", { group: groups.bare });
  }
}

async function runSweep(ctx: ScenarioContext, worker: SocketWorker, room: Room): Promise<Sweep> {
  const sweep: Sweep = { steps: new Map(), held: { tandem: 0, bare: 0 }, sustained: { tandem: 0, bare: 0 }, missed: { tandem: undefined, bare: undefined } };
  let count = 0;
  const measure = (side: Side, rate: number) => {
    count++;
    const label = `fan-out / ${fmt(room.watchers)} watchers, ${rate} saves/s [${side === "bare" ? "raw" : "tandem"}]`;
    const pids = { server: room.pids[side], worker: worker.pid };
    return measureStep(worker, room.savers[side], { group: room.groups[side], rate, quick: ctx.options.quick, label, pids });
  };
  // A first miss (of the latency bound, or of keeping up) is measured again before it counts:
  // on a shared machine one step can be unlucky.
  const step = async (side: Side, rate: number, retry: boolean) => {
    let result: Measured = await measure(side, rate);
    const firstMiss = !result.held && sweep.missed[side] === undefined;
    if (retry && !ctx.options.quick && (firstMiss || !result.sustained)) result = { ...(await measure(side, rate)), retried: true };
    sweep.steps.set(rate, { ...sweep.steps.get(rate), [side]: result });
    if (result.held && sweep.missed[side] === undefined) sweep.held[side] = rate;
    else if (!result.held && rate < (sweep.missed[side] ?? Infinity)) sweep.missed[side] = rate;
    if (result.sustained) sweep.sustained[side] = Math.max(sweep.sustained[side], rate);
    return result.sustained;
  };
  const first = Math.max(
    0,
    LADDER.findIndex((rate) => rate * room.watchers >= START_DELIVERIES),
  );
  const maxSteps = ctx.options.quick ? 2 : 14;
  const sweeping = new Set<Side>(SIDES);
  for (let i = first; i < LADDER.length && i - first < maxSteps && sweeping.size > 0; i++) {
    const order = i % 2 === 0 ? SIDES : [...SIDES].reverse();
    for (const side of order.filter((s) => sweeping.has(s))) {
      if (!(await step(side, LADDER[i]!, true))) sweeping.delete(side);
    }
  }
  // One step between the last rate held and the first missed (the ladder's steps are ×1.41).
  for (const side of ctx.options.quick ? [] : SIDES) {
    const { [side]: held } = sweep.held;
    const { [side]: missed } = sweep.missed;
    const mid = missed && held ? roundRate(Math.sqrt(held * missed)) : undefined;
    if (mid && mid > held && mid < missed! && (await step(side, mid, false)) && sweep.steps.get(mid)![side]!.held) sweep.held[side] = mid;
  }
  ctx.log(`  ${fmt(room.watchers)} watchers: ${count} steps; held tandem ${sweep.held.tandem || "none"}, bare ${sweep.held.bare || "none"} saves/s`);
  return sweep;
}

const roundRate = (rate: number) => (rate < 10 ? Math.round(rate * 10) / 10 : Math.round(rate));

function rateRows(room: Room, sweep: Sweep): BenchRow[] {
  const rates = [...sweep.steps.keys()].sort((a, b) => a - b);
  return rates.map((rate) => {
    const got = sweep.steps.get(rate)!;
    const both = (f: (s: Measured) => string) => SIDES.map((side) => (got[side] ? f(got[side]) : "-")).join(" / ");
    return {
      scenario: "fan-out",
      case: `${fmt(room.watchers)} watchers, ${rate} saves/s`,
      kind: "throughput",
      tandem: got.tandem?.load ?? emptyResult(),
      raw: got.bare?.load ?? emptyResult(),
      ratio: NaN,
      goals: [],
      notes: {
        held: both((s) => `${s.held ? "yes" : `no (${s.why.join(", ")})`}${s.retried ? " on a second try" : ""}`),
        "server CPU": both((s) => `${Math.round(s.serverCpuPct)}%`),
        "watchers' CPU": both((s) => `${Math.round(s.workerCpuPct)}%`),
        "server µs/delivery": both((s) => s.serverUsPerDelivery.toFixed(1)),
      },
    };
  });
}

function capacityRow(room: Room, sweep: Sweep, joined: string): BenchRow {
  const { held, missed, sustained } = sweep;
  // When no rate holds the latency bound on either side, the capacity compared is the rate kept up with.
  const byLatency = held.tandem > 0 || held.bare > 0;
  const cap = byLatency ? held : sustained;
  const ratio = cap.bare > 0 ? cap.tandem / cap.bare : NaN;
  // Server CPU per delivery at the highest rate both sides kept up with: what one event to one watcher costs each.
  const common = [...sweep.steps.entries()].filter(([, s]) => s.tandem?.sustained && s.bare?.sustained).sort((a, b) => b[0] - a[0])[0];
  const side = (s: Side) => `${s} ${held[s] || "none"}${missed[s] === undefined ? "+" : ` (missed ${missed[s]})`}`;
  return {
    scenario: "fan-out",
    case: `${fmt(room.watchers)} watchers, capacity${byLatency ? "" : " at any latency"}`,
    kind: "throughput",
    tandem: { ...emptyResult(), opsPerSec: cap.tandem },
    raw: { ...emptyResult(), opsPerSec: cap.bare },
    ratio,
    goals: room.watchers === 1000 ? [{ label: "≥70% bare", ok: ratio >= 0.7 }] : [],
    notes: {
      [`highest rate held (p99<${HELD_P99_MS}ms)`]: `${side("tandem")}, ${side("bare")} saves/s`,
      "highest rate kept up with (any latency)": `tandem ${sustained.tandem || "none"}, bare ${sustained.bare || "none"} saves/s${sustained.bare ? ` (${Math.round((100 * sustained.tandem) / sustained.bare)}%)` : ""}`,
      "deliveries/s at it": `${fmt(Math.round(cap.tandem * room.watchers))} / ${fmt(Math.round(cap.bare * room.watchers))}`,
      ...(common
        ? {
            [`server µs/delivery at ${common[0]}/s`]: `${common[1].tandem!.serverUsPerDelivery.toFixed(1)} / ${common[1].bare!.serverUsPerDelivery.toFixed(1)}`,
          }
        : {}),
      "all joined in": joined,
    },
  };
}
