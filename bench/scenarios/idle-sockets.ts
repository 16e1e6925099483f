// 5 (second half). Memory per idle watching socket: the resident set (VmRSS from /proc/<pid>/status)
// of a freshly started server before and after 1,000 clients (in a child process) connect and each
// watch a record of its own, divided by their number; beside the same for a bare socket.io server
// whose clients each join a room. In the full run both servers run with --inspect on 127.0.0.1 so
// that a full garbage collection can be forced before each reading (live memory, not garbage
// waiting for a GC), and the JS heap and external memory are read too. The quick run saves the
// start-up: main server, a few quiet seconds instead of a forced GC.
import { createCollection, insertRecords, listRecordIds } from "../lib/fixtures.ts";
import { freePort } from "@/server/db/embedded";
import { connectInspector, type MemoryUsage } from "../lib/inspector.ts";
import { emptyResult } from "../lib/load.ts";
import { rssKb } from "../lib/proc.ts";
import { fmt, sleep, startBareServer, startSocketWorker, userCookies } from "../lib/realtime-bench.ts";
import type { OpenResult } from "../workers/socket-clients.ts";
import type { BenchRow, Scenario } from "./types.ts";

type Reading = { rssKb: number; heapKb?: number };
type Target = { url: string; pid: number; read: () => Promise<Reading>; stop: () => Promise<void> };

export const idleSockets: Scenario = {
  name: "idle sockets",
  description: "memory per idle watching socket (server RSS before/after 1,000 of them), beside a bare socket.io server",
  async run(ctx) {
    const quick = ctx.options.quick;
    const count = quick ? 300 : 1000;
    const settleMs = quick ? 1000 : 2000;
    const collectionId = await createCollection(ctx.admin, ctx.workspace.id, "Idle sockets");
    await insertRecords(ctx.admin, collectionId, ctx.workspace.users[0]!.id, count);
    const recordIds = await listRecordIds(ctx.admin, collectionId, count);
    const stops: (() => Promise<void>)[] = [];
    const worker = await startSocketWorker(ctx);
    stops.push(worker.stop);
    try {
      const inspected = async (pid: number, port: number): Promise<Pick<Target, "read" | "stop">> => {
        const inspector = await connectInspector(port);
        return {
          read: async () => {
            const usage: MemoryUsage = await inspector.gcAndMeasure();
            return { rssKb: rssKb(pid), heapKb: (usage.heapUsed + usage.external) / 1024 };
          },
          stop: async () => inspector.close(),
        };
      };
      const target = async (side: "bare" | "tandem"): Promise<Target> => {
        if (quick) {
          const bare = side === "bare" ? await startBareServer(ctx) : undefined;
          const pid = bare?.pid ?? ctx.serverPid;
          return { url: bare?.url ?? ctx.url, pid, read: () => settledRss(pid), stop: async () => void (await bare?.stop()) };
        }
        const port = await freePort();
        const inspect = [`--inspect=127.0.0.1:${port}`];
        const server = side === "bare" ? await startBareServer(ctx, inspect) : await ctx.startServer(inspect);
        const probe = await inspected(server.pid, port);
        return {
          url: server.url,
          pid: server.pid,
          read: probe.read,
          stop: async () => {
            await probe.stop();
            await server.stop();
          },
        };
      };
      const measure = async (side: "bare" | "tandem") => {
        const t = await target(side);
        stops.push(t.stop);
        const cookies = side === "tandem" ? userCookies(ctx) : [];
        // Warm-up: the handshake and watch code paths run once before the baseline.
        await worker.call("open", { group: `${side}-warm`, url: t.url, cookies, count: 20, recordIds });
        await worker.call("close", { group: `${side}-warm` });
        await sleep(settleMs);
        const before = await t.read();
        const opened = await worker.call<OpenResult>("open", { group: side, url: t.url, cookies, count, recordIds });
        await sleep(settleMs);
        const after = await t.read();
        await worker.call("close", { group: side });
        ctx.log(`  ${side}: ${fmt(count)} sockets opened in ${(opened.ms / 1000).toFixed(1)} s; RSS ${mb(before.rssKb)} → ${mb(after.rssKb)} MB`);
        return {
          before,
          after,
          perSocketKb: (after.rssKb - before.rssKb) / count,
          heapPerSocketKb: after.heapKb !== undefined && before.heapKb !== undefined ? (after.heapKb - before.heapKb) / count : undefined,
        };
      };
      const raw = await measure("bare");
      const tandem = await measure("tandem");
      const describe = (m: typeof raw) =>
        `${m.perSocketKb.toFixed(1)} (RSS ${mb(m.before.rssKb)} → ${mb(m.after.rssKb)} MB${m.heapPerSocketKb === undefined ? "" : `; JS heap + external ${m.heapPerSocketKb.toFixed(1)} KB/socket`})`;
      const row: BenchRow = {
        scenario: "memory",
        case: `${fmt(count)} idle watching sockets`,
        kind: "latency",
        tandem: emptyResult(),
        raw: emptyResult(),
        ratio: raw.perSocketKb / tandem.perSocketKb,
        goals: [{ label: "≤50KB/socket", ok: tandem.perSocketKb <= 50 }],
        notes: { "KB/socket": `tandem ${describe(tandem)}, bare ${describe(raw)}${quick ? "" : ", after a forced full GC"}` },
      };
      return [row];
    } finally {
      for (const stop of stops.reverse()) await stop();
    }
  },
};

const mb = (kb: number) => (kb / 1024).toFixed(0);

/** The median of three readings half a second apart. */
async function settledRss(pid: number): Promise<Reading> {
  const readings: number[] = [];
  for (let i = 0; i < 3; i++) {
    if (i > 0) await sleep(500);
    readings.push(rssKb(pid));
  }
  return { rssKb: readings.sort((a, b) => a - b)[1]! };
}
