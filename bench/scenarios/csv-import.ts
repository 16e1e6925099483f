// CSV import (issue 12): 100,000 generated rows (10,000 with --quick) sent as one text/csv body,
// generated as it is sent (the client never holds the file either), then followed at
// GET /api/imports/:id until done. The server's resident memory is sampled from /proc the whole time:
// the import spools to disk and writes 500-row batches, so its peak must not grow with the file.
// Beside it, the raw baseline: the same rows inserted by pg with the writer's own batch statement
// (CREATE_MANY_SQL), 500 at a time, no HTTP, no parsing, no validation.
import http from "node:http";
import { Readable } from "node:stream";
import pg from "pg";
import type { FieldDef } from "@/lib/types";
import { rolesFor } from "../../lib/permissions.ts";
import { CREATE_MANY_SQL } from "../../server/persistence/pg/write-sql.ts";
import { createCollection } from "../lib/fixtures.ts";
import { freePort } from "@/server/db/embedded";
import { connectInspector } from "../lib/inspector.ts";
import { monoNow, rssKb } from "../lib/proc.ts";
import { summarize } from "../lib/stats.ts";
import type { LoadResult } from "../lib/load.ts";
import type { BenchRow, Scenario } from "./types.ts";

const FIELDS: FieldDef[] = [
  { key: "name", label: "Name", type: "text", required: true },
  { key: "stock", label: "Stock", type: "number", options: { integer: true, min: 0 } },
  { key: "category", label: "Category", type: "select", options: { choices: ["A", "B", "C"] } },
  { key: "notes", label: "Notes", type: "longtext" },
];

function* csvLines(rows: number): Generator<string> {
  yield "Name,Stock,Category,Notes\n";
  let chunk = "";
  for (let i = 1; i <= rows; i++) {
    chunk += `Item ${i},${i % 1000},${"ABC"[i % 3]},"line one of ${i}\nline two, with a comma"\n`;
    if (i % 1000 === 0) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk) yield chunk;
}

function postStream(url: string, path: string, cookie: string, key: string, rows: number): Promise<{ status: number; text: string }> {
  const base = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: base.hostname, port: base.port, method: "POST", path, headers: { cookie, "content-type": "text/csv", "idempotency-key": key, origin: url } },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    Readable.from(csvLines(rows)).pipe(req);
  });
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

const once = (ms: number, errors = 0, firstError?: string): LoadResult => ({
  ...summarize([ms]),
  opsPerSec: 1000 / ms,
  errors,
  latencies: [ms],
  durationMs: ms,
  ...(firstError ? { firstError } : {}),
});

export const csvImport: Scenario = {
  name: "import",
  description: "a 100,000-row CSV import through the API (memory sampled) beside the writer's batch statement sent raw",
  async run(ctx) {
    const rows = ctx.options.quick ? 10_000 : 100_000;
    const user = ctx.workspace.users[0]!;
    const collectionId = await createCollection(ctx.admin, ctx.workspace.id, "Import target", FIELDS);
    // A server of its own with the inspector on, so live memory (after a forced full GC) can be read
    // during the import, not only RSS (which also holds garbage not yet collected).
    const port = await freePort();
    const server = await ctx.startServer([`--inspect=127.0.0.1:${port}`]);
    const inspector = await connectInspector(port);
    const heapBefore = (await inspector.gcAndMeasure()).heapUsed;
    let heapPeak = heapBefore;
    const rssBefore = rssKb(server.pid);
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssKb(server.pid))), 50);
    let isSampling = true;
    const heapSampler = (async () => {
      while (isSampling) {
        heapPeak = Math.max(heapPeak, (await inspector.gcAndMeasure()).heapUsed);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    })();
    const started = monoNow();
    let errors = 0;
    let firstError: string | undefined;
    let created = 0;
    try {
      const res = await postStream(server.url, `/api/collections/${collectionId}/imports`, user.client.cookieHeader(), `bench-${Date.now()}`, rows);
      if (res.status !== 201 && res.status !== 202) throw new Error(`import: ${res.status} ${res.text.slice(0, 200)}`);
      let job = JSON.parse(res.text) as { id: string; status: string; created: number; failedCount: number };
      while (job.status === "running") {
        await new Promise((resolve) => setTimeout(resolve, 200));
        job = (await user.client.json<typeof job>("GET", `/api/imports/${job.id}`, { expect: 200 })).body;
      }
      created = job.created;
      if (job.status !== "done" || job.created !== rows) throw new Error(`import ended ${job.status}: ${job.created} created, ${job.failedCount} failed`);
    } catch (error) {
      errors++;
      firstError = error instanceof Error ? error.message : String(error);
    } finally {
      clearInterval(sampler);
      isSampling = false;
      await heapSampler;
    }
    const tandemMs = monoNow() - started;
    const heapAfter = (await inspector.gcAndMeasure()).heapUsed;
    inspector.close();
    await server.stop();
    const stored = Number((await ctx.admin.query(`SELECT count(*) AS n FROM records WHERE "collectionId" = $1`, [collectionId])).rows[0].n);
    if (stored !== rows) {
      errors++;
      firstError ??= `${stored} records stored for ${rows} rows`;
    }

    // Raw: the same rows as values, 500 per statement, the writer's own statement.
    const rawCollection = await createCollection(ctx.admin, ctx.workspace.id, "Import raw", FIELDS);
    const raw = new pg.Pool({ connectionString: ctx.databaseUrl, max: 1 });
    const rawStarted = monoNow();
    const roles = rolesFor("record.import");
    for (let from = 1; from <= rows; from += 500) {
      const batch = [];
      for (let i = from; i < Math.min(from + 500, rows + 1); i++) {
        batch.push({ name: `Item ${i}`, stock: i % 1000, category: "ABC"[i % 3], notes: `line one of ${i}\nline two, with a comma` });
      }
      await raw.query(CREATE_MANY_SQL, [rawCollection, user.id, roles, JSON.stringify(batch), null]);
    }
    const rawMs = monoNow() - rawStarted;
    await raw.end();
    ctx.log(
      `  import ${rows} rows: ${(tandemMs / 1000).toFixed(1)} s (${Math.round((rows / tandemMs) * 1000)} rows/s), raw batches ${(rawMs / 1000).toFixed(1)} s; server RSS ${Math.round(rssBefore / 1024)} MB before, ${Math.round(rssPeak / 1024)} MB peak; live heap ${mb(heapBefore)} MB before, ${mb(heapPeak)} MB peak, ${mb(heapAfter)} MB after`,
    );
    const row: BenchRow = {
      scenario: "import",
      case: `${rows / 1000}k rows CSV`,
      kind: "latency",
      tandem: once(tandemMs, errors, firstError),
      raw: once(rawMs),
      ratio: rawMs / tandemMs,
      goals: [{ label: "live heap growth under 64 MB", ok: heapPeak - heapBefore < 64 * 1024 * 1024 }],
      notes: {
        rows,
        created,
        rowsPerSec: Math.round((rows / tandemMs) * 1000),
        rssBeforeMB: Math.round(rssBefore / 1024),
        rssPeakMB: Math.round(rssPeak / 1024),
        heapBeforeMB: mb(heapBefore),
        heapPeakMB: mb(heapPeak),
        heapAfterMB: mb(heapAfter),
      },
    };
    return [row];
  },
};
