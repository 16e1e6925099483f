// The three sides of a save figure, each doing the same work for the same number of clients:
// - tandem: PATCH /api/records/:id on the real server, with the ETag the previous save of that
//   record returned (no GET in the loop), one changed number field;
// - http: the same request to the bare HTTP server (workers/bare-http.ts, node:http + pg);
// - raw: the server's save statement (lib/save-sql.ts) from the bench by pg, with the version its
//   previous save returned.
// Every client cycles through records of its own, picked at random over the whole collection,
// so that saves reach all of its indexes rather than a few hot pages.
import pg from "pg";
import { formatEtag } from "@/lib/etag";
import { sideBySide, type Measure } from "./compare.ts";
import type { HttpClient } from "./http-client.ts";
import { runLoad } from "./load.ts";
import { rawRead, rawSave } from "./save-sql.ts";
import type { ScenarioContext } from "../scenarios/types.ts";

export const RECORDS_PER_CLIENT = 16;

export type SaveSide = { measure: Measure; close: () => Promise<void> };
export type SaveSides = { raw: SaveSide; http: SaveSide; tandem: SaveSide };

type Slot = { id: string; n: number; etag: string; version: number };
type Client = { slots: Slot[]; next: number; last?: Slot };

/** Records wanted for `clients` clients on every side. */
export const recordsWanted = (clients: number) => 3 * clients * RECORDS_PER_CLIENT;

/** `recordIds` are shared out evenly: up to RECORDS_PER_CLIENT to every client of every side. */
export async function prepareSaveSides(ctx: ScenarioContext, clients: number, recordIds: string[]): Promise<SaveSides> {
  const perClient = Math.min(RECORDS_PER_CLIENT, Math.floor(recordIds.length / (3 * clients)));
  if (perClient < 1) throw new Error(`${3 * clients} records needed for ${clients} clients on three sides, got ${recordIds.length}`);
  const groups = (side: number) =>
    Array.from({ length: clients }, (_, c) => recordIds.slice((side * clients + c) * perClient, (side * clients + c + 1) * perClient));
  const bare = await ctx.bareHttp();
  return {
    raw: await rawSide(ctx, groups(0)),
    http: await httpSide(ctx, groups(1), bare.url, async (_client, slot) => {
      const { values, version } = await rawRead(ctx.admin, slot.id);
      Object.assign(slot, { n: values.n as number, etag: formatEtag(slot.id, version) });
    }),
    tandem: await httpSide(ctx, groups(2), ctx.url, async (client, slot) => {
      const res = await client.json<{ values: { n: number } }>("GET", `/api/records/${slot.id}`, { expect: 200 });
      Object.assign(slot, { n: res.body.values.n, etag: String(res.headers.etag) });
    }),
  };
}

const nextSlot = (c: Client) => (c.last = c.slots[c.next++ % c.slots.length]!);
const newClient = (ids: string[]): Client => ({ slots: ids.map((id) => ({ id, n: 0, etag: "", version: 0 })), next: 0 });

export async function httpSide(
  ctx: ScenarioContext,
  groups: string[][],
  baseUrl: string,
  read: (client: HttpClient, slot: Slot) => Promise<void>,
): Promise<SaveSide> {
  const agent = ctx.newAgent(groups.length);
  const users = ctx.workspace.users;
  const workers = groups.map((ids, i) => ({ ...newClient(ids), http: users[i % users.length]!.client.at(baseUrl, agent) }));
  await Promise.all(
    workers.map(async (w) => {
      for (const slot of w.slots) await read(w.http, slot);
    }),
  );
  const operation = async (w: (typeof workers)[number]) => {
    const slot = nextSlot(w);
    const res = await w.http.request("PATCH", `/api/records/${slot.id}`, { json: { values: { n: slot.n + 1 } }, headers: { "if-match": slot.etag } });
    if (res.status !== 200) throw new Error(`PATCH ${baseUrl === ctx.url ? "" : "(bare http) "}${res.status} ${res.text.slice(0, 200)}`);
    slot.n++;
    slot.etag = String(res.headers.etag);
  };
  return {
    measure: (timing) => runLoad({ ...timing, workers, operation, recover: async (w) => w.last && read(w.http, w.last) }),
    close: async () => agent.destroy(),
  };
}

async function rawSide(ctx: ScenarioContext, groups: string[][]): Promise<SaveSide> {
  const db = new pg.Pool({ connectionString: ctx.databaseUrl, max: Math.min(ctx.options.poolSize, groups.length) });
  const users = ctx.workspace.users;
  const workers = groups.map((ids, i) => ({ ...newClient(ids), authorId: users[i % users.length]!.id }));
  const read = async (slot: Slot) => {
    const row = await rawRead(db, slot.id);
    Object.assign(slot, { n: row.values.n as number, version: row.version });
  };
  await Promise.all(
    workers.map(async (w) => {
      for (const slot of w.slots) await read(slot);
    }),
  );
  const workspaceId = ctx.workspace.id;
  const operation = async (w: (typeof workers)[number]) => {
    const slot = nextSlot(w);
    const version = await rawSave(db, { recordId: slot.id, expectedVersion: slot.version, workspaceId, authorId: w.authorId, patch: { n: slot.n + 1 } });
    if (version === null) throw new Error("raw save found a stale version");
    slot.n++;
    slot.version = version;
  };
  return {
    measure: (timing) => runLoad({ ...timing, workers, operation, recover: async (w) => w.last && read(w.last) }),
    close: () => db.end(),
  };
}

/** Closes every side, whatever happens to the others. */
export async function closeSaveSides(sides: SaveSides): Promise<void> {
  await Promise.allSettled([sides.raw.close(), sides.http.close(), sides.tandem.close()]);
}

/** One save figure: every side measured in the same alternating rounds; ratios tandem/raw and tandem/bare HTTP. */
export async function measureSaves(ctx: ScenarioContext, label: string, clients: number, recordIds: string[], scale: number) {
  const sides = await prepareSaveSides(ctx, clients, recordIds);
  try {
    const result = await sideBySide(ctx.options, label, { raw: sides.raw.measure, http: sides.http.measure, tandem: sides.tandem.measure }, scale);
    return { ...result, ratio: result.tandem.opsPerSec / result.raw.opsPerSec, httpRatio: result.tandem.opsPerSec / result.http.opsPerSec };
  } finally {
    await closeSaveSides(sides);
  }
}
