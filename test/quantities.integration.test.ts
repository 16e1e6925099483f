// Quantities that never go wrong (issue 10): counters change by operations with bounds checked in
// the write itself, and a collection limit holds across records (the write-skew case), proven with
// real concurrent clients against a real PostgreSQL.
import { beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import type { CollectionDto, FieldDef, RecordDto } from "@/lib/types";
import { ApiClient } from "./client";
import { getTestDatabaseUrl, useTestPool } from "./db";
import { countRevisions, createRecord, createWorkspace, type WorkspaceFixture } from "./factories";
import { useTestServer } from "./server";

const server = useTestServer();
const pool = useTestPool({ max: 8 });

const FIELDS: FieldDef[] = [
  { key: "name", label: "Name", type: "text" },
  { key: "stock", label: "Stock", type: "counter", options: { min: 0 } },
  { key: "seats", label: "Seats", type: "counter", options: { min: 0, max: 100 } },
];

let ws: WorkspaceFixture;

beforeAll(async () => {
  ws = await createWorkspace(server.url, pool, FIELDS);
  await pool.query(`UPDATE collections SET limits = $2 WHERE id = $1`, [ws.collectionId, JSON.stringify([{ kind: "sum", field: "seats", max: 100 }])]);
  await pool.query(`INSERT INTO collection_totals ("collectionId", field, used) VALUES ($1, 'seats', 0)`, [ws.collectionId]);
});

type LimitBody = {
  error: string;
  message: string;
  field?: string;
  min?: number;
  current?: number;
  requested?: number;
  limit?: { kind: string; field: string; max: number; used: number };
};

/** `n` clients signed in as the editor, as n tabs or scripts would be. */
function editors(n: number): ApiClient[] {
  return Array.from({ length: n }, () => {
    const client = new ApiClient(server.url);
    client.useCookies(ws.members.editor.client.cookieHeader);
    return client;
  });
}

const realSum = async () =>
  Number(
    (
      await pool.query(`SELECT COALESCE(sum(("values" ->> 'seats')::numeric), 0) AS s FROM records WHERE "collectionId" = $1 AND "deletedAt" IS NULL`, [
        ws.collectionId,
      ])
    ).rows[0].s,
  );
const materialised = async () =>
  Number((await pool.query(`SELECT used FROM collection_totals WHERE "collectionId" = $1 AND field = 'seats'`, [ws.collectionId])).rows[0].used);

async function resetSeats(total: number, teams: number): Promise<RecordDto[]> {
  await pool.query(`UPDATE records SET "deletedAt" = now() WHERE "collectionId" = $1 AND "deletedAt" IS NULL`, [ws.collectionId]);
  await pool.query(`UPDATE collection_totals SET used = 0 WHERE "collectionId" = $1`, [ws.collectionId]);
  const each = Math.floor(total / teams);
  const records: RecordDto[] = [];
  for (let i = 0; i < teams; i++) {
    const seats = i === teams - 1 ? total - each * (teams - 1) : each;
    records.push((await createRecord(ws.members.owner.client, ws.collectionId, { name: `Team ${i}`, stock: 0, seats })).record);
  }
  expect(await materialised()).toBe(total);
  return records;
}

describe("counters are operations", () => {
  it("100 clients each take 1 from a stock of 50 (min 0): exactly 50 × 200 and 50 × 409, stock 0, 50 new revisions", async () => {
    const { record } = await createRecord(ws.members.owner.client, ws.collectionId, { name: "USB-C cable", stock: 50, seats: 0 });
    const responses = await Promise.all(
      editors(100).map((client) => client.request<LimitBody>("PATCH", `/api/records/${record.id}`, { json: { ops: { stock: { add: -1 } } } })),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(50);
    expect(statuses.filter((s) => s === 409)).toHaveLength(50);
    const refusal = responses.find((r) => r.status === 409)!.body;
    expect(refusal).toEqual({ error: "limit", field: "stock", min: 0, current: 0, requested: -1, message: "Only 0 left" });
    const after = await ws.members.owner.client.get<RecordDto>(`/api/records/${record.id}`);
    expect(after.body.values.stock).toBe(0);
    expect(await countRevisions(pool, record.id)).toBe(51);
  });

  it("a delta past the bound writes nothing and says how much is left; values and ops in one request are one revision or nothing", async () => {
    const { record, etag } = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Last one", stock: 1, seats: 0 });
    const res = await ws.members.editor.client.request<LimitBody>("PATCH", `/api/records/${record.id}`, {
      json: { values: { name: "Renamed" }, ops: { stock: { add: -2 } } },
      headers: { "if-match": etag },
    });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ error: "limit", field: "stock", min: 0, current: 1, requested: -2, message: "Only 1 left" });
    const after = await ws.members.owner.client.get<RecordDto>(`/api/records/${record.id}`);
    expect(after.body).toMatchObject({ version: 1, values: { name: "Last one", stock: 1 } });
    const both = await ws.members.editor.client.request<RecordDto>("PATCH", `/api/records/${record.id}`, {
      json: { values: { name: "Renamed" }, ops: { stock: { add: -1 } } },
      headers: { "if-match": etag },
    });
    expect(both.status).toBe(200);
    expect(both.body).toMatchObject({ version: 2, values: { name: "Renamed", stock: 0 } });
    expect(await countRevisions(pool, record.id)).toBe(2);
  });

  it("an ops-only save needs no If-Match; one that is sent and stale is refused (412)", async () => {
    const { record, etag } = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Cables", stock: 10, seats: 0 });
    expect((await ws.members.editor.client.request("PATCH", `/api/records/${record.id}`, { json: { ops: { stock: { add: 5 } } } })).status).toBe(200);
    expect(
      (await ws.members.editor.client.request("PATCH", `/api/records/${record.id}`, { json: { ops: { stock: { add: 5 } } }, headers: { "if-match": etag } }))
        .status,
    ).toBe(412);
    const bad = await ws.members.editor.client.request<LimitBody>("PATCH", `/api/records/${record.id}`, { json: { ops: { name: { add: 1 } } } });
    expect(bad.status).toBe(422);
    expect((await ws.members.viewer.client.request("PATCH", `/api/records/${record.id}`, { json: { ops: { stock: { add: 1 } } } })).status).toBe(403);
  });
});

describe("limits across records", () => {
  it("GET /api/collections/:id returns each limit with what is used", async () => {
    await resetSeats(90, 3);
    const res = await ws.members.viewer.client.get<CollectionDto>(`/api/collections/${ws.collectionId}`);
    expect(res.body.limits).toEqual([{ kind: "sum", field: "seats", max: 100, used: 90 }]);
  });

  it("20 clients each add 8 seats to 20 different teams at 90/100: exactly one succeeds, the total is 98, every other answer names the limit", async () => {
    const teams = await resetSeats(90, 20);
    const clients = editors(20);
    const responses = await Promise.all(
      teams.map((team, i) => clients[i]!.request<LimitBody>("PATCH", `/api/records/${team.id}`, { json: { ops: { seats: { add: 8 } } } })),
    );
    expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
    const refused = responses.filter((r) => r.status === 409);
    expect(refused).toHaveLength(19);
    for (const r of refused) expect(r.body).toMatchObject({ error: "limit", limit: { kind: "sum", field: "seats", max: 100, used: 98 }, requested: 8 });
    expect(await realSum()).toBe(98);
    expect(await materialised()).toBe(98);
  });

  it("typed values, creates, deletes and undeletes are held to the limit too", async () => {
    const [a, b] = await resetSeats(96, 2);
    const editor = ws.members.editor.client;
    const read = async (id: string) => (await editor.get<RecordDto>(`/api/records/${id}`)).headers.get("etag")!;
    expect(
      (await editor.request("PATCH", `/api/records/${a!.id}`, { json: { values: { seats: 60 } }, headers: { "if-match": await read(a!.id) } })).status,
    ).toBe(409);
    expect((await editor.request("POST", `/api/collections/${ws.collectionId}/records`, { json: { values: { name: "New", seats: 5 } } })).status).toBe(409);
    const deleted = await editor.request<RecordDto>("DELETE", `/api/records/${b!.id}`, { headers: { "if-match": await read(b!.id) } });
    expect(deleted.status).toBe(200);
    expect(await materialised()).toBe(48);
    expect((await editor.request("POST", `/api/collections/${ws.collectionId}/records`, { json: { values: { name: "Newer", seats: 50 } } })).status).toBe(201);
    const back = await editor.request<LimitBody>("POST", `/api/records/${b!.id}/undelete`, { headers: { "if-match": deleted.headers.get("etag")! } });
    expect(back.status).toBe(409);
    expect(back.body.limit).toMatchObject({ used: 98, max: 100 });
    expect(await realSum()).toBe(98);
    expect(await materialised()).toBe(98);
  });

  it("16 clients for 30 s mixing seat changes, creates, deletes, undeletes and transfers: never above 100, and the total matches the sum", async () => {
    const teams = await resetSeats(80, 10);
    const ids = teams.map((t) => t.id);
    const deleted: { id: string; etag: string }[] = [];
    const deadline = Date.now() + 30_000;
    const statuses = new Map<number, number>();
    let maxSeen = 0;
    const sampler = (async () => {
      const client = new pg.Client({ connectionString: getTestDatabaseUrl() });
      await client.connect();
      try {
        while (Date.now() < deadline) {
          const { rows } = await client.query(
            `SELECT COALESCE(sum(("values" ->> 'seats')::numeric), 0) AS s FROM records WHERE "collectionId" = $1 AND "deletedAt" IS NULL`,
            [ws.collectionId],
          );
          maxSeen = Math.max(maxSeen, Number(rows[0].s));
          await new Promise((r) => setTimeout(r, 20));
        }
      } finally {
        await client.end();
      }
    })();
    const pick = <T>(items: T[]) => items[Math.floor(Math.random() * items.length)]!;
    const worker = async (client: ApiClient) => {
      while (Date.now() < deadline) {
        const roll = Math.random();
        let res: { status: number; body: unknown; headers: Headers };
        if (roll < 0.45) {
          res = await client.request("PATCH", `/api/records/${pick(ids)}`, { json: { ops: { seats: { add: pick([-3, -1, 1, 2, 5]) } } } });
        } else if (roll < 0.65) {
          res = await client.request("POST", `/api/collections/${ws.collectionId}/transfer`, {
            json: { field: "seats", from: pick(ids), to: pick(ids), amount: pick([1, 2, 4]) },
          });
        } else if (roll < 0.78) {
          res = await client.request<RecordDto>("POST", `/api/collections/${ws.collectionId}/records`, {
            json: { values: { name: "Pop-up", seats: pick([1, 3, 6]) } },
          });
          if (res.status === 201) ids.push((res.body as RecordDto).id);
        } else if (roll < 0.9) {
          const id = pick(ids);
          const read = await client.get(`/api/records/${id}`);
          res = read.status === 200 ? await client.request("DELETE", `/api/records/${id}`, { headers: { "if-match": read.headers.get("etag")! } }) : read;
          if (res.status === 200) deleted.push({ id, etag: res.headers.get("etag")! });
        } else {
          const gone = deleted.shift();
          res = gone
            ? await client.request("POST", `/api/records/${gone.id}/undelete`, { headers: { "if-match": gone.etag } })
            : { status: 0, body: null, headers: new Headers() };
        }
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }
    };
    await Promise.all(editors(16).map(worker));
    await sampler;
    const serverErrors = [...statuses].filter(([status]) => status >= 500);
    expect(serverErrors).toEqual([]);
    expect(statuses.get(200)).toBeGreaterThan(50);
    expect(statuses.get(409)).toBeGreaterThan(0);
    expect(maxSeen).toBeLessThanOrEqual(100);
    expect(await materialised()).toBe(await realSum());
  }, 90_000);

  it("200 pairs of opposite transfers at once: no 5xx, no deadlock reaches a client, totals preserved", async () => {
    const [a, b] = await resetSeats(80, 2);
    const clients = editors(40);
    const responses = await Promise.all(
      Array.from({ length: 400 }, (_, i) =>
        clients[i % clients.length]!.request("POST", `/api/collections/${ws.collectionId}/transfer`, {
          json: { field: "seats", from: i % 2 ? a!.id : b!.id, to: i % 2 ? b!.id : a!.id, amount: 1 },
        }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
    expect(await realSum()).toBe(80);
    expect(await materialised()).toBe(80);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM revisions WHERE "recordId" = ANY($1) AND meta ? 'transfer'`, [[a!.id, b!.id]]);
    expect(rows[0].n).toBe(2 * statuses.filter((s) => s === 200).length);
  });

  it("a transfer is one write for both records, with an Idempotency-Key replayed", async () => {
    const [a, b] = await resetSeats(20, 2);
    const editor = ws.members.editor.client;
    const body = { json: { field: "seats", from: a!.id, to: b!.id, amount: 4 }, headers: { "idempotency-key": `move-${Date.now()}` } };
    const first = await editor.request<{ from: RecordDto; to: RecordDto }>("POST", `/api/collections/${ws.collectionId}/transfer`, body);
    expect(first.status).toBe(200);
    expect(first.body.from.values.seats).toBe(6);
    expect(first.body.to.values.seats).toBe(14);
    const again = await editor.request<{ from: RecordDto; to: RecordDto }>("POST", `/api/collections/${ws.collectionId}/transfer`, body);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body.from.version).toBe(first.body.from.version);
    expect(await realSum()).toBe(20);
    const over = await editor.request<LimitBody>("POST", `/api/collections/${ws.collectionId}/transfer`, {
      json: { field: "seats", from: a!.id, to: b!.id, amount: 7 },
    });
    expect(over.status).toBe(409);
    expect(over.body).toMatchObject({ field: "seats", current: 6, requested: -7 });
    expect(
      (
        await ws.members.viewer.client.request("POST", `/api/collections/${ws.collectionId}/transfer`, {
          json: { field: "seats", from: a!.id, to: b!.id, amount: 1 },
        })
      ).status,
    ).toBe(403);
    expect(
      (await editor.request("POST", `/api/collections/${ws.collectionId}/transfer`, { json: { field: "name", from: a!.id, to: b!.id, amount: 1 } })).status,
    ).toBe(422);
  });
});

describe("why the design is what it is", () => {
  it("two interleaved transactions that read the sum and write different records oversell under the naive guard; the materialised total refuses the second", async () => {
    const [a, b] = await resetSeats(90, 2);
    const first = new pg.Client({ connectionString: getTestDatabaseUrl() });
    const second = new pg.Client({ connectionString: getTestDatabaseUrl() });
    await Promise.all([first.connect(), second.connect()]);
    const sumSql = `SELECT sum(("values" ->> 'seats')::numeric)::int AS s FROM records WHERE "collectionId" = $1 AND "deletedAt" IS NULL`;
    const addSeats = `UPDATE records SET "values" = jsonb_set("values", '{seats}', to_jsonb(("values" ->> 'seats')::int + 8)) WHERE id = $1`;
    try {
      // The naive guard: read the sum, check it, write. Each sees 90 + 8 ≤ 100; both commit: 106.
      await first.query("BEGIN");
      await second.query("BEGIN");
      const seenByFirst = (await first.query(sumSql, [ws.collectionId])).rows[0].s;
      const seenBySecond = (await second.query(sumSql, [ws.collectionId])).rows[0].s;
      expect([seenByFirst, seenBySecond]).toEqual([90, 90]);
      await first.query(addSeats, [a!.id]);
      await second.query(addSeats, [b!.id]);
      await first.query("COMMIT");
      await second.query("COMMIT");
      expect(await realSum()).toBe(106);

      // Tandem's way: the same two writes each move the one total row, conditionally. The second
      // waits for the first's row lock, then finds no room and writes nothing.
      await pool.query(`UPDATE records SET "values" = jsonb_set("values", '{seats}', '45') WHERE id = ANY($1)`, [[a!.id, b!.id]]);
      await pool.query(`UPDATE collection_totals SET used = 90 WHERE "collectionId" = $1`, [ws.collectionId]);
      const guarded = `UPDATE collection_totals SET used = used + 8 WHERE "collectionId" = $1 AND field = 'seats' AND used + 8 <= 100`;
      await first.query("BEGIN");
      await second.query("BEGIN");
      expect((await first.query(guarded, [ws.collectionId])).rowCount).toBe(1);
      const secondTry = second.query(guarded, [ws.collectionId]);
      await first.query(addSeats, [a!.id]);
      await first.query("COMMIT");
      expect((await secondTry).rowCount).toBe(0);
      await second.query("ROLLBACK");
      expect(await realSum()).toBe(98);
      expect(await materialised()).toBe(98);
    } finally {
      await Promise.all([first.end(), second.end()]);
    }
  });
});
