// 4. Yjs relay: 20 peers (in a child process of their own) type into one rich-text field (the
// XmlFragment "body" of the record's Y.Doc), 5 small inserts per second each. Latency = a peer's
// receipt of another's `doc:update` minus the sender's send time (same process, same clock).
// Server CPU per update from /proc/<pid>/stat (utime + stime) over the run, divided by the
// updates the server acknowledged. Beside a bare socket.io room relaying the same binary payload
// (no validation, no persistence).
import { createCollection, RICH_TEXT_FIELDS } from "../lib/fixtures.ts";
import { measuredWindows, mergeResults, resultOf, type LoadResult } from "../lib/load.ts";
import { cpuTimeMs, monoNow } from "../lib/proc.ts";
import { startBareServer, startSocketWorker, userCookies } from "../lib/realtime-bench.ts";
import type { YjsRunResult } from "../workers/socket-clients.ts";
import type { BenchRow, Scenario } from "./types.ts";

const PEERS = 20;
const PER_PEER_PER_SECOND = 5;

type Side = "tandem" | "bare";
type Run = { load: LoadResult; cpuMs: number; updates: number; converged: boolean; refused: number };

export const yjsRelay: Scenario = {
  name: "yjs relay",
  description: "20 peers typing in one rich-text field, 5 updates/s each: update-to-peer latency and server CPU per update, beside a bare relay",
  async run(ctx) {
    const { quick, rounds } = ctx.options;
    const collectionId = await createCollection(ctx.admin, ctx.workspace.id, "Rich text", RICH_TEXT_FIELDS);
    const owner = ctx.workspace.users[0]!.client;
    const created = await owner.json<{ id: string }>("POST", `/api/collections/${collectionId}/records`, {
      json: { values: { name: "Shared doc", body: "<p>Typed together</p>" } },
      expect: 201,
    });
    const recordId = created.body.id;
    const worker = await startSocketWorker(ctx);
    const bare = await startBareServer(ctx);
    try {
      const common = { count: PEERS, recordIds: [recordId], concurrency: PEERS };
      await worker.call("yjs:open", { ...common, group: "tandem", url: ctx.url, cookies: userCookies(ctx), sync: true });
      await worker.call("yjs:open", { ...common, group: "bare", url: bare.url, cookies: [], sync: false });
      const pids: Record<Side, number> = { tandem: ctx.serverPid, bare: bare.pid };
      const runs: Record<Side, Run[]> = { tandem: [], bare: [] };
      const durationMs = (quick ? 1500 : 8000) / rounds;
      for (let round = 0; round < rounds; round++) {
        const order: Side[] = round % 2 === 0 ? ["bare", "tandem"] : ["tandem", "bare"];
        for (const side of order) {
          const warmupMs = round === 0 ? (quick ? 500 : 1000) : 500;
          const cpu0 = cpuTimeMs(pids[side]);
          const got = await worker.call<YjsRunResult>("yjs:run", { group: side, perClientPerSecond: PER_PEER_PER_SECOND, warmupMs, durationMs, waitMs: 3000 });
          const cpuMs = cpuTimeMs(pids[side]) - cpu0;
          const missing = got.expectedDeliveries - got.deliveries;
          const perf = got.windowStart - monoNow() + performance.now(); // the worker's monotonic clock is ours
          measuredWindows.push({ label: `yjs relay [${side === "bare" ? "raw" : "tandem"}]`, startMs: perf, endMs: perf + durationMs });
          const errors = got.refused + Math.max(0, missing) + got.disconnected;
          const firstError =
            got.firstError ??
            (missing > 0 ? `${missing} doc:update deliveries never arrived` : got.disconnected ? `${got.disconnected} peers disconnected` : undefined);
          runs[side].push({
            load: resultOf(Array.from(got.latencies), durationMs, errors, firstError, got.sentInWindow / (durationMs / 1000)),
            cpuMs,
            updates: got.acked,
            converged: got.converged,
            refused: got.refused,
          });
        }
      }
      const merged = (side: Side) => {
        const load = mergeResults(runs[side].map((r) => r.load));
        const sent = runs[side].reduce((a, r) => a + r.load.opsPerSec * (r.load.durationMs / 1000), 0);
        return { ...load, opsPerSec: sent / (load.durationMs / 1000) };
      };
      const tandem = merged("tandem");
      const raw = merged("bare");
      const cpuPerUpdate = (side: Side) => {
        const cpu = runs[side].reduce((a, r) => a + r.cpuMs, 0);
        const updates = runs[side].reduce((a, r) => a + r.updates, 0);
        return updates ? cpu / updates : NaN;
      };
      const converged = [...runs.tandem, ...runs.bare].every((r) => r.converged);
      const row: BenchRow = {
        scenario: "yjs relay",
        case: `${PEERS} peers × ${PER_PEER_PER_SECOND} updates/s`,
        kind: "latency",
        tandem: { ...tandem, errors: tandem.errors + (converged ? 0 : 1) },
        raw,
        ratio: raw.p50Ms / tandem.p50Ms,
        goals: [{ label: "p99≤30ms", ok: tandem.p99Ms <= 30 }],
        notes: {
          "updates/s": `${Math.round(tandem.opsPerSec)} / ${Math.round(raw.opsPerSec)}`,
          "deliveries/s": `${Math.round(tandem.samples / (tandem.durationMs / 1000))} / ${Math.round(raw.samples / (raw.durationMs / 1000))}`,
          "server CPU per update": `${cpuPerUpdate("tandem").toFixed(2)} ms / ${cpuPerUpdate("bare").toFixed(2)} ms`,
          converged: converged ? "yes" : "NO",
        },
      };
      return [row];
    } finally {
      await worker.stop();
      await bare.stop();
    }
  },
};
