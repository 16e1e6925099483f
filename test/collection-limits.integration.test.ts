// Collection limits edited after creation (SPEC F10–F12): PATCH /api/collections/:id with
// If-Match adds, changes and removes limits as a new schema version; a limit below what the live
// records use is refused (409) against the materialised total, and a new limit's total is summed
// and stored in the same transaction, with the collection's writes held meanwhile.
import { beforeAll, describe, expect, it } from "vitest";
import type { CollectionDto, CollectionLimit, FieldDef, RecordDto } from "@/lib/types";
import type { SchemaConflict } from "@/lib/schema";
import { ApiClient } from "./client";
import { useTestPool } from "./db";
import { createRecord, createWorkspace, uniqueId, type WorkspaceFixture } from "./factories";
import { useTestServer } from "./server";

const server = useTestServer();
const pool = useTestPool();
let ws: WorkspaceFixture;
let stranger: ApiClient;

const FIELDS: FieldDef[] = [
  { key: "name", label: "Name", type: "text", required: true },
  { key: "seats", label: "Seats", type: "counter", options: { min: 0 } },
  { key: "hours", label: "Hours", type: "number" },
];
const seatsMax = (max: number): CollectionLimit => ({ kind: "sum", field: "seats", max });

type Schema = CollectionDto & { etag: string; limits: (CollectionLimit & { used: number })[] };
type Refusal = { error: string; message: string; field?: string; fields?: Record<string, string>; merge?: { conflicts: SchemaConflict[] } };

beforeAll(async () => {
  ws = await createWorkspace(server.url, pool);
  stranger = new ApiClient(server.url);
  await stranger.signUp(`stranger-${uniqueId()}@example.test`, "Stranger");
});

const owner = () => ws.members.owner.client;

async function newCollection(limits: CollectionLimit[] = []): Promise<{ id: string; etag: string }> {
  const res = await owner().request<Schema>("POST", `/api/workspaces/${ws.workspaceId}/collections`, {
    json: { name: `Licences ${uniqueId()}`, fields: FIELDS, limits },
  });
  expect(res.status).toBe(201);
  return { id: res.body.id, etag: res.headers.get("etag")! };
}

const patch = (id: string, etag: string | null, body: unknown, client = owner(), headers: Record<string, string> = {}) =>
  client.request<Schema & Refusal>("PATCH", `/api/collections/${id}`, { json: body, headers: { ...(etag ? { "if-match": etag } : {}), ...headers } });

const totalRow = async (id: string) =>
  (await pool.query<{ used: string }>(`SELECT used FROM collection_totals WHERE "collectionId" = $1 AND field = 'seats'`, [id])).rows[0]?.used;
const liveSum = async (id: string) =>
  Number(
    (
      await pool.query<{ n: string }>(
        `SELECT COALESCE(sum(("values" ->> 'seats')::numeric), 0) AS n FROM records WHERE "collectionId" = $1 AND "deletedAt" IS NULL`,
        [id],
      )
    ).rows[0]!.n,
  );

/** A collection with 30 + 40 + 22 = 92 seats in live records and 50 in a deleted one, then `limits`. */
async function seated(limits: CollectionLimit[] = []) {
  const collection = await newCollection();
  for (const seats of [30, 40, 22]) await createRecord(owner(), collection.id, { name: `Team ${seats}`, seats });
  const gone = await createRecord(owner(), collection.id, { name: "Gone", seats: 50 });
  expect((await owner().request("DELETE", `/api/records/${gone.record.id}`, { headers: { "if-match": gone.etag } })).status).toBe(200);
  if (limits.length === 0) return collection;
  const limited = await patch(collection.id, collection.etag, { limits });
  expect(limited.status).toBe(200);
  return { id: collection.id, etag: limited.headers.get("etag")! };
}

describe("adding, changing and removing a limit", () => {
  it("adds a limit to a collection that has records: the total of its live records is counted and kept, as a new version", async () => {
    const { id, etag } = await seated();
    const res = await patch(id, etag, { limits: [seatsMax(100)] });
    expect(res.status).toBe(200);
    expect(res.headers.get("etag")).toMatch(/^"2-/);
    expect(res.body.limits).toEqual([{ ...seatsMax(100), used: 92 }]);
    expect(Number(await totalRow(id))).toBe(92);
    expect((await ws.members.viewer.client.get<Schema>(`/api/collections/${id}`)).body.limits).toEqual([{ ...seatsMax(100), used: 92 }]);
    const versions = await ws.members.viewer.client.get<{ versions: { version: number; changes: unknown; limits: CollectionLimit[] }[] }>(
      `/api/collections/${id}/versions`,
    );
    expect(versions.body.versions[0]).toMatchObject({ version: 2, changes: { limits: { seats: { from: null, to: 100 } } }, limits: [seatsMax(100)] });
    expect(versions.body.versions[1]).toMatchObject({ version: 1, limits: [] });
    // It holds at once: 9 more seats would cross it, 8 do not.
    const [first] = (await owner().get<{ records: RecordDto[] }>(`/api/collections/${id}/records?limit=1`)).body.records;
    expect((await ws.members.editor.client.request("PATCH", `/api/records/${first!.id}`, { json: { ops: { seats: { add: 9 } } } })).status).toBe(409);
    expect((await ws.members.editor.client.request("PATCH", `/api/records/${first!.id}`, { json: { ops: { seats: { add: 8 } } } })).status).toBe(200);
  });

  it("refuses a limit below what is in use, 409 with the numbers in words, and writes nothing (adding one, or lowering one)", async () => {
    const { id, etag } = await seated();
    const adding = await patch(id, etag, { name: "Renamed too", limits: [seatsMax(90)] });
    expect(adding.status).toBe(409);
    expect(adding.body).toMatchObject({
      error: "limit",
      message: "92 seats are in use; the limit cannot be lower",
      field: "seats",
      limit: { kind: "sum", field: "seats", max: 90, used: 92 },
    });
    expect(await totalRow(id)).toBeUndefined();
    const unchanged = await owner().get<Schema>(`/api/collections/${id}`);
    expect(unchanged.body).toMatchObject({ version: 1, limits: [] });
    expect(unchanged.body.name).not.toBe("Renamed too");

    const added = await patch(id, etag, { limits: [seatsMax(100)] });
    expect(added.status).toBe(200);
    const lowering = await patch(id, added.headers.get("etag"), { limits: [seatsMax(91)] });
    expect(lowering.status).toBe(409);
    expect(lowering.body.message).toBe("92 seats are in use; the limit cannot be lower");
    expect((await owner().get<Schema>(`/api/collections/${id}`)).body).toMatchObject({ version: 2, limits: [{ ...seatsMax(100), used: 92 }] });
    // Down to exactly what is in use is fine.
    const exact = await patch(id, added.headers.get("etag"), { limits: [seatsMax(92)] });
    expect(exact.status).toBe(200);
    expect(exact.body.limits).toEqual([{ ...seatsMax(92), used: 92 }]);
  });

  it("raises, lowers and removes a limit; a removed limit no longer holds and its total is gone", async () => {
    const { id, etag } = await seated([seatsMax(100)]);
    const raised = await patch(id, etag, { limits: [seatsMax(150)] });
    expect(raised.status).toBe(200);
    const a = await createRecord(owner(), id, { name: "Big", seats: 50 });
    expect(a.record.values.seats).toBe(50);
    const removed = await patch(id, raised.headers.get("etag"), { limits: [] });
    expect(removed.status).toBe(200);
    expect(removed.body.limits).toEqual([]);
    expect(await totalRow(id)).toBeUndefined();
    expect((await createRecord(owner(), id, { name: "Huge", seats: 1000 })).record.values.seats).toBe(1000);
    const versions = await owner().get<{ versions: { changes: { limits?: unknown } }[] }>(`/api/collections/${id}/versions`);
    expect(versions.body.versions[0]!.changes.limits).toEqual({ seats: { from: 150, to: null } });
    // Added again, the total is counted again from the live records: 92 + 50 + 1000.
    const back = await patch(id, removed.headers.get("etag"), { limits: [seatsMax(5000)] });
    expect(back.body.limits).toEqual([{ ...seatsMax(5000), used: 1142 }]);
  });

  it("refusals: 428 without If-Match, 412 stale, 422 an invalid limit (naming it), 403 editor, 404 stranger; nothing written", async () => {
    const { id, etag } = await seated();
    const body = { limits: [seatsMax(100)] };
    expect((await patch(id, null, body)).status).toBe(428);
    expect((await patch(id, etag, body, ws.members.editor.client)).status).toBe(403);
    expect((await patch(id, etag, body, ws.members.viewer.client)).status).toBe(403);
    expect((await patch(id, etag, body, stranger)).status).toBe(404);
    for (const limits of [[{ kind: "sum", field: "name", max: 3 }], [{ kind: "sum", field: "nope", max: 3 }], [seatsMax(10), seatsMax(20)]]) {
      const res = await patch(id, etag, { limits });
      expect(res.status).toBe(422);
      expect(Object.keys(res.body.fields ?? {})[0]).toMatch(/^limits\./);
    }
    expect((await patch(id, etag, { limits: [seatsMax(-1)] })).status).toBe(400);
    // A limited field cannot stop being a number or counter field, nor leave the form, while limited.
    const limited = await patch(id, etag, body);
    expect(limited.status).toBe(200);
    const retype = await patch(id, limited.headers.get("etag"), { fields: [FIELDS[0], { key: "seats", label: "Seats", type: "text" }, FIELDS[2]] });
    expect(retype.status).toBe(422);
    expect(retype.body.fields).toHaveProperty("seats");
    expect((await patch(id, limited.headers.get("etag"), { fields: [FIELDS[0], FIELDS[2]] })).status).toBe(422);
    // The old token is stale now.
    expect((await patch(id, etag, { limits: [] })).status).toBe(412);
    expect(Number(await totalRow(id))).toBe(92);
  });

  it("two owners change different limits from one token: one 200, one 412 whose merge has no conflict; Prefer: merge keeps both", async () => {
    const { id, etag } = await seated([seatsMax(100)]);
    const second = ws.members.owner.client;
    const [a, b] = await Promise.all([
      patch(id, etag, { limits: [seatsMax(120)] }),
      patch(id, etag, { limits: [seatsMax(100), { kind: "sum", field: "hours", max: 40 }] }, second),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 412]);
    const refused = a.status === 412 ? a : b;
    expect(refused.body.merge!.conflicts).toEqual([]);
    const retried = await patch(id, etag, { limits: [seatsMax(100), { kind: "sum", field: "hours", max: 40 }] }, second, { prefer: "merge" });
    const retriedOther = a.status === 412 ? await patch(id, etag, { limits: [seatsMax(120)] }, owner(), { prefer: "merge" }) : retried;
    expect([retried.status, retriedOther.status]).toEqual([200, 200]);
    const final = (await owner().get<Schema>(`/api/collections/${id}`)).body.limits;
    expect(final).toEqual(
      expect.arrayContaining([
        { ...seatsMax(120), used: 92 },
        { kind: "sum", field: "hours", max: 40, used: 0 },
      ]),
    );
    // The same limit changed differently from one token conflicts.
    const token = (await owner().get(`/api/collections/${id}`)).headers.get("etag")!;
    const x = await patch(id, token, { limits: final.map(({ used: _u, ...l }) => (l.field === "seats" ? seatsMax(130) : l)) });
    const y = await patch(id, token, { limits: final.map(({ used: _u, ...l }) => (l.field === "seats" ? seatsMax(140) : l)) });
    expect(x.status).toBe(200);
    expect(y.status).toBe(412);
    expect(y.body.merge!.conflicts).toEqual([{ part: "_limit.seats", base: 120, mine: 140, theirs: 130 }]);
  });
});

describe("limits changed while records are written", () => {
  it("lowering a limit while 12 clients add seats: the limit holds, the total matches the live records, and a refused lowering changed nothing", async () => {
    const { id, etag } = await newCollection([seatsMax(200)]);
    const records: string[] = [];
    for (let i = 0; i < 6; i++) records.push((await createRecord(owner(), id, { name: `R${i}`, seats: 5 })).record.id);
    const clients = [ws.members.owner.client, ws.members.editor.client];
    const deadline = Date.now() + 2500;
    // At most 120 seats are added (12 more in flight when the count is reached): the live sum
    // stays below 180, so the first lowering (200 → 180) is allowed however fast the writers are,
    // and the later ones meet them wherever they have got to.
    let added = 0;
    const writers = Array.from({ length: 12 }, async (_, n) => {
      let statuses = "";
      while (Date.now() < deadline && added < 120) {
        const res = await clients[n % 2]!.request("PATCH", `/api/records/${records[n % records.length]}`, { json: { ops: { seats: { add: 1 } } } });
        expect([200, 409]).toContain(res.status);
        if (res.status === 200) added++;
        statuses += res.status === 200 ? "." : "x";
      }
      return statuses;
    });
    let token = etag;
    const outcomes: number[] = [];
    for (const max of [180, 120, 90, 60]) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const res = await patch(id, token, { limits: [seatsMax(max)] });
      expect([200, 409]).toContain(res.status);
      outcomes.push(res.status);
      if (res.status === 200) token = res.headers.get("etag")!;
    }
    await Promise.all(writers);
    const schema = (await owner().get<Schema>(`/api/collections/${id}`)).body;
    const sum = await liveSum(id);
    expect(Number(await totalRow(id))).toBe(sum);
    expect(schema.limits[0]!.used).toBe(sum);
    expect(sum).toBeLessThanOrEqual(schema.limits[0]!.max);
    expect(outcomes[0]).toBe(200);
  });

  it("adding a limit while 8 clients create records: its total is exactly what the live records hold afterwards", async () => {
    const { id, etag } = await newCollection();
    const deadline = Date.now() + 2000;
    const writers = Array.from({ length: 8 }, async (_, n) => {
      while (Date.now() < deadline) {
        const res = await (n % 2 ? ws.members.editor.client : owner()).request("POST", `/api/collections/${id}/records`, {
          json: { values: { name: "Pop-up", seats: 1 + (n % 3) } },
        });
        expect([201, 409]).toContain(res.status);
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 600));
    const added = await patch(id, etag, { limits: [seatsMax(1_000_000)] });
    expect(added.status).toBe(200);
    await Promise.all(writers);
    expect(Number(await totalRow(id))).toBe(await liveSum(id));
    expect(await liveSum(id)).toBeGreaterThan(0);
  });
});
