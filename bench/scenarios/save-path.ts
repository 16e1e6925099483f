// 1. Save path: each client saves its own record in a loop (PATCH with the ETag of its previous
// save, no GET), through the whole HTTP stack; beside the same save statement sent by raw pg.
import pg from "pg";
import { createCollection, insertRecords, listRecordIds } from "../lib/fixtures.ts";
import { sideBySide, type Measure } from "../lib/compare.ts";
import type { HttpClient } from "../lib/http-client.ts";
import { runLoad } from "../lib/load.ts";
import { rawRead, rawSave } from "../lib/save-sql.ts";
import type { BenchRow, Scenario, ScenarioContext } from "./types.ts";

const CONCURRENCY = [8, 32];

export const savePath: Scenario = {
  name: "save path",
  description: "saves/s and latency, N clients on N distinct records, beside the save statement by raw pg",
  async run(ctx) {
    const collectionId = await createCollection(ctx.admin, ctx.workspace.id, "Save path");
    const total = CONCURRENCY.reduce((a, c) => a + 2 * c, 0);
    await insertRecords(ctx.admin, collectionId, ctx.workspace.users[0]!.id, total);
    const ids = await listRecordIds(ctx.admin, collectionId, total);
    const rows: BenchRow[] = [];
    for (const clients of CONCURRENCY) {
      const http = await prepareHttp(ctx, ids.splice(0, clients));
      const raw = await prepareRaw(ctx, ids.splice(0, clients));
      try {
        const result = await sideBySide(ctx.options, `save path / ${clients} clients`, { raw: raw.measure, tandem: http.measure });
        const ratio = result.tandem.opsPerSec / result.raw.opsPerSec;
        rows.push({
          scenario: "save path",
          case: `${clients} clients`,
          kind: "throughput",
          ...result,
          ratio,
          goals: [{ label: "≥60% raw", ok: ratio >= 0.6 }, ...(clients === 32 ? [{ label: "p99≤25ms", ok: result.tandem.p99Ms <= 25 }] : [])],
          notes: {},
        });
      } finally {
        await http.close();
        await raw.close();
      }
    }
    return rows;
  },
};

type Side = { measure: Measure; close: () => Promise<void> };

async function prepareHttp(ctx: ScenarioContext, recordIds: string[]): Promise<Side> {
  const agent = ctx.newAgent(recordIds.length);
  const users = ctx.workspace.users;
  const read = async (w: { client: HttpClient; recordId: string; etag: string; n: number }) => {
    const res = await w.client.json<{ values: { n: number } }>("GET", `/api/records/${w.recordId}`, { expect: 200 });
    w.etag = String(res.headers.etag);
    w.n = res.body.values.n;
    return w;
  };
  const workers = await Promise.all(
    recordIds.map((recordId, i) => read({ client: users[i % users.length]!.client.fork(agent), recordId, etag: "", n: 0 })),
  );
  const operation = async (w: (typeof workers)[number]) => {
    const res = await w.client.request("PATCH", `/api/records/${w.recordId}`, {
      json: { values: { n: w.n + 1 } },
      headers: { "if-match": w.etag },
    });
    if (res.status !== 200) throw new Error(`PATCH: ${res.status} ${res.text.slice(0, 200)}`);
    w.n++;
    w.etag = String(res.headers.etag);
  };
  return {
    measure: (timing) => runLoad({ ...timing, workers, operation, recover: async (w) => void (await read(w)) }),
    close: async () => agent.destroy(),
  };
}

async function prepareRaw(ctx: ScenarioContext, recordIds: string[]): Promise<Side> {
  const db = new pg.Pool({ connectionString: ctx.databaseUrl, max: Math.min(ctx.options.poolSize, recordIds.length) });
  const authorId = ctx.workspace.users[0]!.id;
  const workers = await Promise.all(
    recordIds.map(async (recordId) => {
      const row = await rawRead(db, recordId);
      return { recordId, version: row.version, values: row.values as { n: number } };
    }),
  );
  const operation = async (w: (typeof workers)[number]) => {
    const values = { ...w.values, n: w.values.n + 1 };
    const version = await rawSave(db, {
      recordId: w.recordId,
      expectedVersion: w.version,
      values,
      changes: { n: { from: w.values.n, to: values.n } },
      authorId,
    });
    if (version === null) throw new Error("raw save found a stale version");
    w.version = version;
    w.values = values;
  };
  return {
    measure: (timing) => runLoad({ ...timing, workers, operation }),
    close: () => db.end(),
  };
}
