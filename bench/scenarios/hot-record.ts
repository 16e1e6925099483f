// 2. Hot record: every client saves the same record, as a person would after a refusal: reload
// (GET), reapply +1 to a number, save again (PATCH) until acknowledged. Beside raw pg doing the
// same optimistic loop on one row, and the bare HTTP server (workers/bare-http.ts) serving the same
// two requests. Afterwards the count must add up: no update lost.
import pg from "pg";
import { createCollection, insertRecords, listRecordIds } from "../lib/fixtures.ts";
import { sideBySide, type Measure } from "../lib/compare.ts";
import { runLoad } from "../lib/load.ts";
import { cpuPerOperation } from "../lib/proc.ts";
import { rawRead, rawSave } from "../lib/save-sql.ts";
import type { BenchRow, Scenario, ScenarioContext } from "./types.ts";

const CONCURRENCY = [8, 32];

type Counts = { attempts: number; acked: number };
type Side = { measure: Measure; counts: Counts; cpu: ReturnType<typeof cpuPerOperation>; close: () => Promise<void> };

export const hotRecord: Scenario = {
  name: "hot record",
  description: "every client on one record, reload and retry on 412; attempts per save and lost updates",
  async run(ctx) {
    const collectionId = await createCollection(ctx.admin, ctx.workspace.id, "Hot record");
    await insertRecords(ctx.admin, collectionId, ctx.workspace.users[0]!.id, 3 * CONCURRENCY.length);
    const ids = await listRecordIds(ctx.admin, collectionId, 3 * CONCURRENCY.length);
    const bareHttp = await ctx.bareHttp();
    const rows: BenchRow[] = [];
    for (const clients of CONCURRENCY) {
      const [httpId, rawId, bareId] = [ids.shift()!, ids.shift()!, ids.shift()!];
      const http = prepareHttp(ctx, ctx.url, ctx.serverPid, httpId, clients);
      const bare = prepareHttp(ctx, bareHttp.url, bareHttp.pid, bareId, clients);
      const raw = prepareRaw(ctx, rawId, clients);
      try {
        const result = await sideBySide(ctx.options, `hot record / ${clients} clients`, { raw: raw.measure, http: bare.measure, tandem: http.measure });
        const lost = {
          tandem: await countLost(ctx, httpId, http.counts.acked),
          raw: await countLost(ctx, rawId, raw.counts.acked),
          http: await countLost(ctx, bareId, bare.counts.acked),
        };
        const ratio = result.tandem.opsPerSec / result.raw.opsPerSec;
        const perSave = (c: Counts) => (c.attempts / c.acked).toFixed(2);
        rows.push({
          scenario: "hot record",
          case: `${clients} clients, 1 record`,
          kind: "throughput",
          ...result,
          ratio,
          httpRatio: result.tandem.opsPerSec / result.http.opsPerSec,
          goals: [
            { label: "≥60% raw", ok: ratio >= 0.6 },
            { label: "no lost update", ok: lost.tandem === 0 && lost.raw === 0 && lost.http === 0 },
          ],
          notes: {
            "attempts/save": `${perSave(http.counts)} (raw ${perSave(raw.counts)}, bare http ${perSave(bare.counts)})`,
            "bare http vs raw": `${Math.round((result.http.opsPerSec / result.raw.opsPerSec) * 100)}%`,
            lost: `${lost.tandem} of ${http.counts.acked} (raw ${lost.raw} of ${raw.counts.acked}, bare http ${lost.http} of ${bare.counts.acked})`,
            "CPU µs per acked save, server / PostgreSQL / clients": `tandem ${http.cpu.summary()}; bare http ${bare.cpu.summary()}; raw ${raw.cpu.summary()}`,
          },
        });
      } finally {
        await http.close();
        await bare.close();
        await raw.close();
      }
    }
    return rows;
  },
};

/** The loop over HTTP, against Tandem or the bare HTTP server at `baseUrl`. */
function prepareHttp(ctx: ScenarioContext, baseUrl: string, serverPid: number, recordId: string, clients: number): Side {
  const agent = ctx.newAgent(clients);
  const users = ctx.workspace.users;
  const workers = Array.from({ length: clients }, (_, i) => users[i % users.length]!.client.at(baseUrl, agent));
  const counts: Counts = { attempts: 0, acked: 0 };
  const cpu = cpuPerOperation(serverPid);
  return {
    counts,
    cpu,
    measure: (timing) =>
      cpu.around(
        () =>
          runLoad({
            ...timing,
            workers,
            operation: async (client) => {
              for (;;) {
                const read = await client.request("GET", `/api/records/${recordId}`);
                if (read.status !== 200) throw new Error(`GET: ${read.status} ${read.text.slice(0, 200)}`);
                const n = (JSON.parse(read.text) as { values: { n: number } }).values.n;
                counts.attempts++;
                const res = await client.request("PATCH", `/api/records/${recordId}`, {
                  json: { values: { n: n + 1 } },
                  headers: { "if-match": String(read.headers.etag) },
                });
                if (res.status === 200) {
                  counts.acked++;
                  return;
                }
                if (res.status !== 412) throw new Error(`PATCH: ${res.status} ${res.text.slice(0, 200)}`);
              }
            },
          }),
        () => counts.acked,
      ),
    close: async () => agent.destroy(),
  };
}

function prepareRaw(ctx: ScenarioContext, recordId: string, clients: number): Side {
  const db = new pg.Pool({ connectionString: ctx.databaseUrl, max: Math.min(ctx.options.poolSize, clients) });
  const authorId = ctx.workspace.users[0]!.id;
  const workspaceId = ctx.workspace.id;
  const counts: Counts = { attempts: 0, acked: 0 };
  const cpu = cpuPerOperation(null);
  return {
    counts,
    cpu,
    measure: (timing) =>
      cpu.around(
        () =>
          runLoad({
            ...timing,
            workers: Array.from({ length: clients }, (_, i) => i),
            operation: async () => {
              for (;;) {
                const { values, version } = await rawRead(db, recordId);
                const n = values.n as number;
                counts.attempts++;
                const saved = await rawSave(db, { recordId, expectedVersion: version, workspaceId, authorId, patch: { n: n + 1 } });
                if (saved !== null) {
                  counts.acked++;
                  return;
                }
              }
            },
          }),
        () => counts.acked,
      ),
    close: () => db.end(),
  };
}

/** Acknowledged saves that the record does not show: n counts them, and so must version and history. */
async function countLost(ctx: ScenarioContext, recordId: string, acked: number): Promise<number> {
  const { rows } = await ctx.admin.query<{ n: number; version: number; revisions: string }>(
    `SELECT ("values"->>'n')::int AS n, version, (SELECT count(*) FROM revisions WHERE "recordId" = $1) AS revisions
     FROM records WHERE id = $1`,
    [recordId],
  );
  const row = rows[0]!;
  const revisions = Number(row.revisions);
  if (row.n !== row.version - 1 || row.n !== revisions - 1) {
    ctx.log(`  hot record ${recordId}: n ${row.n}, version ${row.version}, revisions ${revisions} disagree`);
  }
  return acked - Math.min(row.n, row.version - 1, revisions - 1);
}
