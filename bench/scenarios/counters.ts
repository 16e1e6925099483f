// Quantities (issue 10): the hot counter through operations (`{"ops": {"stock": {"add": -1}}}`, no
// read before the write, no If-Match) beside a raw one-row conditional UPDATE and the same UPDATE
// behind the bare HTTP server (what HTTP on Node costs on top of it); and seat
// reservations through a collection's shared total across 10 teams beside the writer's own
// statement sent by pg. Afterwards the counts must add up.
import pg from "pg";
import type { FieldDef } from "@/lib/types";
import { rolesFor } from "../../lib/permissions.ts";
import { WRITE_SQL } from "../../server/persistence/pg/write-sql.ts";
import { RAW_ADD } from "../lib/save-sql.ts";
import { sideBySide, type Measure } from "../lib/compare.ts";
import { createCollection, listRecordIds } from "../lib/fixtures.ts";
import { runLoad } from "../lib/load.ts";
import { cpuPerOperation } from "../lib/proc.ts";
import type { BenchRow, Scenario, ScenarioContext } from "./types.ts";

const COUNTER_FIELDS: FieldDef[] = [
  { key: "name", label: "Name", type: "text" },
  { key: "stock", label: "Stock", type: "counter", options: { min: 0 } },
];
const SEAT_FIELDS: FieldDef[] = [
  { key: "name", label: "Name", type: "text" },
  { key: "seats", label: "Seats", type: "counter", options: { min: 0 } },
];
const START = 1_000_000_000;
const TEAMS = 10;

export const counters: Scenario = {
  name: "counters",
  description: "a hot counter by operations beside a raw conditional UPDATE; seat reservations through a shared total",
  async run(ctx) {
    const rows: BenchRow[] = [];
    const counterCollection = await createCollection(ctx.admin, ctx.workspace.id, "Hot counter", COUNTER_FIELDS);
    for (const clients of ctx.options.quick ? [8] : [8, 32]) {
      const [tandemId, rawId, httpId] = await insertRecords(ctx, counterCollection, { stock: START }, 3);
      const agent = ctx.newAgent(clients);
      const bareAgent = ctx.newAgent(clients);
      const bare = await ctx.bareHttp();
      const users = ctx.workspace.users;
      const workers = Array.from({ length: clients }, (_, i) => users[i % users.length]!.client.fork(agent));
      const bareWorkers = Array.from({ length: clients }, (_, i) => users[i % users.length]!.client.at(bare.url, bareAgent));
      const raw = new pg.Pool({ connectionString: ctx.databaseUrl, max: Math.min(ctx.options.poolSize, clients) });
      const counts = { tandem: 0, raw: 0, http: 0, writer: 0 };
      const writerId = (await insertRecords(ctx, counterCollection, { stock: START }, 1))[0]!;
      const roles = rolesFor("record.write");
      const authorId = users[0]!.id;
      const cpu = { tandem: cpuPerOperation(ctx.serverPid), http: cpuPerOperation(bare.pid), raw: cpuPerOperation(null) };
      /** PATCH {"ops": …} in a loop, against Tandem or the bare HTTP server, with that side's CPU counted. */
      const takes =
        (side: "tandem" | "http", clientsOf: typeof workers, recordId: string): Measure =>
        (timing) =>
          cpu[side].around(
            () =>
              runLoad({
                ...timing,
                workers: clientsOf,
                operation: async (client) => {
                  const res = await client.request("PATCH", `/api/records/${recordId}`, { json: { ops: { stock: { add: -1 } } } });
                  if (res.status !== 200) throw new Error(`PATCH ops (${side}): ${res.status} ${res.text.slice(0, 200)}`);
                  counts[side]++;
                },
              }),
            () => counts[side],
          );
      const tandem = takes("tandem", workers, tandemId);
      const httpSide = takes("http", bareWorkers, httpId);
      const rawSide: Measure = (timing) =>
        cpu.raw.around(
          () =>
            runLoad({
              ...timing,
              workers: Array.from({ length: clients }, (_, i) => i),
              operation: async () => {
                const result = await raw.query({ name: "bench_raw_take", text: RAW_ADD, values: [rawId, "stock", -1] });
                if (result.rowCount !== 1) throw new Error("raw take wrote nothing");
                counts.raw++;
              },
            }),
          () => counts.raw,
        );
      // Diagnostic: the writer's own statement on one row, sent by pg, splits the gap into the SQL's share and HTTP's.
      const writerSide: Measure = (timing) =>
        runLoad({
          ...timing,
          workers: Array.from({ length: clients }, (_, i) => i),
          operation: async () => {
            const add = JSON.stringify({ stock: -1 });
            await raw.query({
              name: "bench_writer_take",
              text: WRITE_SQL,
              values: [writerId, null, authorId, roles, "{}", add, null, "save", null, null, null, 200, false],
            });
            counts.writer++;
          },
        });
      try {
        const result = await sideBySide(ctx.options, `hot counter / ${clients} clients`, { raw: rawSide, http: httpSide, writer: writerSide, tandem });
        const lost = {
          tandem: await countTaken(ctx, tandemId, counts.tandem),
          raw: await countTaken(ctx, rawId, counts.raw),
          http: await countTaken(ctx, httpId, counts.http),
        };
        const ratio = result.tandem.opsPerSec / result.raw.opsPerSec;
        rows.push({
          scenario: "counters",
          case: `hot counter by operations, ${clients} clients`,
          kind: "throughput",
          tandem: result.tandem,
          raw: result.raw,
          ratio,
          http: result.http,
          httpRatio: result.tandem.opsPerSec / result.http.opsPerSec,
          goals: [
            { label: "≥70% raw", ok: ratio >= 0.7 },
            { label: "no lost update", ok: lost.tandem === 0 && lost.raw === 0 && lost.http === 0 },
          ],
          notes: {
            baseline: "raw: one conditional UPDATE of the row, no revision; bare http: the same UPDATE behind node:http with the session looked up",
            "bare http vs raw": `${Math.round((result.http.opsPerSec / result.raw.opsPerSec) * 100)}%`,
            "writer SQL alone": `${Math.round(result.writer.opsPerSec)}/s (${Math.round((result.writer.opsPerSec / result.raw.opsPerSec) * 100)}% raw)`,
            lost: `${lost.tandem} (raw ${lost.raw}, bare http ${lost.http})`,
            "CPU µs per op, server / PostgreSQL / clients": `tandem ${cpu.tandem.summary()}; bare http ${cpu.http.summary()}; raw ${cpu.raw.summary()}`,
          },
        });
      } finally {
        agent.destroy();
        bareAgent.destroy();
        await raw.end();
      }
    }
    rows.push(await seatReservations(ctx));
    return rows;
  },
};

/** Reservations (+1) and releases (−1) on 10 teams under one 100,000-seat licence: every write moves the one total row. */
async function seatReservations(ctx: ScenarioContext): Promise<BenchRow> {
  const clients = 16;
  const sides = { tandem: await seatCollection(ctx, "Seats (tandem)"), raw: await seatCollection(ctx, "Seats (raw)") };
  const agent = ctx.newAgent(clients);
  const users = ctx.workspace.users;
  const workers = Array.from({ length: clients }, (_, i) => ({ client: users[i % users.length]!.client.fork(agent), n: i }));
  const raw = new pg.Pool({ connectionString: ctx.databaseUrl, max: Math.min(ctx.options.poolSize, clients) });
  const roles = rolesFor("record.write");
  const authorId = users[0]!.id;
  let step = 0;
  const delta = () => (step++ % 2 === 0 ? 1 : -1);
  const pick = (ids: string[]) => ids[Math.floor(Math.random() * ids.length)]!;
  const tandem: Measure = (timing) =>
    runLoad({
      ...timing,
      workers,
      operation: async ({ client }) => {
        const res = await client.request("PATCH", `/api/records/${pick(sides.tandem.ids)}`, { json: { ops: { seats: { add: delta() } } } });
        if (res.status !== 200 && res.status !== 409) throw new Error(`PATCH seats: ${res.status} ${res.text.slice(0, 200)}`);
      },
    });
  const rawSide: Measure = (timing) =>
    runLoad({
      ...timing,
      workers: Array.from({ length: clients }, (_, i) => i),
      operation: async () => {
        const add = JSON.stringify({ seats: delta() });
        await raw
          .query({
            name: "bench_raw_seats",
            text: WRITE_SQL,
            values: [pick(sides.raw.ids), null, authorId, roles, "{}", add, null, "save", null, null, null, 200, false],
          })
          .catch((error: { code?: string }) => {
            if (error.code !== "TDLIM") throw error;
          });
      },
    });
  try {
    const result = await sideBySide(ctx.options, `seat reservations / ${clients} clients`, { raw: rawSide, tandem });
    const ratio = result.tandem.opsPerSec / result.raw.opsPerSec;
    const holds = await Promise.all([totalHolds(ctx, sides.tandem.collectionId), totalHolds(ctx, sides.raw.collectionId)]);
    return {
      scenario: "counters",
      case: `seat reservations, ${TEAMS} teams, one licence, ${clients} clients`,
      kind: "throughput",
      ...result,
      ratio,
      goals: [{ label: "total = sum", ok: holds.every(Boolean) }],
      notes: { baseline: "raw: the writer's own statement (WRITE_SQL) sent by pg" },
    };
  } finally {
    agent.destroy();
    await raw.end();
  }
}

async function seatCollection(ctx: ScenarioContext, name: string) {
  const collectionId = await createCollection(ctx.admin, ctx.workspace.id, name, SEAT_FIELDS);
  await ctx.admin.query(`UPDATE collections SET limits = '[{"kind":"sum","field":"seats","max":100000}]' WHERE id = $1`, [collectionId]);
  const ids = await insertRecords(ctx, collectionId, { seats: 5000 }, TEAMS);
  await ctx.admin.query(`INSERT INTO collection_totals ("collectionId", field, used) VALUES ($1, 'seats', $2)`, [collectionId, 5000 * TEAMS]);
  return { collectionId, ids };
}

async function insertRecords(ctx: ScenarioContext, collectionId: string, values: Record<string, number>, count: number): Promise<string[]> {
  const authorId = ctx.workspace.users[0]!.id;
  for (let i = 0; i < count; i++) {
    const full = JSON.stringify({ name: `Item ${i}`, ...values });
    await ctx.admin.query(
      `WITH r AS (INSERT INTO records ("collectionId", "values", version, "updatedById") VALUES ($1, $2, 1, $3) RETURNING id, "values", "createdAt")
       INSERT INTO revisions ("recordId", version, kind, "authorId", changes, snapshot, "createdAt") SELECT id, 1, 'create', $3, '{}', "values", "createdAt" FROM r`,
      [collectionId, full, authorId],
    );
  }
  return (await listRecordIds(ctx.admin, collectionId, count)).reverse();
}

/** Acknowledged takes the count does not show. */
async function countTaken(ctx: ScenarioContext, recordId: string, acked: number): Promise<number> {
  const { rows } = await ctx.admin.query<{ stock: string }>(`SELECT "values" ->> 'stock' AS stock FROM records WHERE id = $1`, [recordId]);
  return acked - (START - Number(rows[0]!.stock));
}

async function totalHolds(ctx: ScenarioContext, collectionId: string): Promise<boolean> {
  const { rows } = await ctx.admin.query<{ used: string; sum: string }>(
    `SELECT (SELECT used FROM collection_totals WHERE "collectionId" = $1 AND field = 'seats') AS used,
            (SELECT sum(("values" ->> 'seats')::numeric) FROM records WHERE "collectionId" = $1 AND "deletedAt" IS NULL) AS sum`,
    [collectionId],
  );
  return Number(rows[0]!.used) === Number(rows[0]!.sum);
}
