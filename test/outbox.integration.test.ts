// The outbox: a committed write and its event are one fact. Every kind of write leaves exactly one
// event and a refused one none; a transaction that commits late with a smaller number still
// reaches watchers; two processes tell each watcher each version once; a process killed between
// the commit and anything after it loses nothing (the other process tells watchers and sends the
// webhook, once); and a Redis stopped for 10 s costs no watcher a version.
import type { Socket } from "socket.io-client";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_EVENTS, SERVER_EVENTS, type CollectionRecordEvent, type RecordSavedEvent } from "@/lib/realtime";
import type { RecordDto } from "@/lib/types";
import { ApiClient } from "./client";
import { newDatabase } from "./db";
import { createRecord, createWorkspace, type WorkspaceFixture } from "./factories";
import { startOwnRedis } from "./own-redis";
import { startTestServer, type TestServer } from "./server";
import { collect, connected, connectSocket, emitAck, eventually } from "./socket-client";
import { startReceiver, type Receiver } from "./webhook-receiver";
import { joinDoc } from "./yjs-sync";

let pool: pg.Pool;
let databaseUrl: string;
let dropDatabase: () => Promise<void>;

beforeAll(async () => {
  const db = await newDatabase();
  databaseUrl = db.url;
  dropDatabase = db.drop;
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
});
afterAll(async () => {
  await pool?.end();
  await dropDatabase?.();
});

const serverEnv = (extra: Record<string, string> = {}) => ({
  DATABASE_URL: databaseUrl,
  TANDEM_OUTBOX_POLL_MS: "300",
  TANDEM_WEBHOOKS_ALLOW_PRIVATE: "true",
  TANDEM_WEBHOOK_RETRY_DIVISOR: "100000",
  ...extra,
});

/** The same person signed in against another process (sessions live in the database). */
async function as(server: TestServer, email: string): Promise<ApiClient> {
  const client = new ApiClient(server.url);
  expect(await client.signIn(email, "correct horse battery")).toBe(200);
  return client;
}

async function watcher(server: TestServer, client: ApiClient, records: string[], collectionId?: string) {
  const socket = connectSocket(server.url, client);
  await connected(socket);
  const saved = collect<RecordSavedEvent>(socket, SERVER_EVENTS.recordSaved);
  const rows = collect<CollectionRecordEvent>(socket, SERVER_EVENTS.collectionRecordSaved);
  for (const recordId of records) expect(await emitAck(socket, CLIENT_EVENTS.watchRecord, { recordId })).toMatchObject({ ok: true });
  if (collectionId) expect(await emitAck(socket, CLIENT_EVENTS.watchCollection, { collectionId })).toMatchObject({ ok: true });
  const versions = (recordId: string) => saved.filter((e) => e.recordId === recordId).map((e) => e.version);
  const rowVersions = (recordId: string) => rows.filter((e) => e.recordId === recordId).map((e) => e.version);
  return { socket, saved, versions, rowVersions };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

async function add(client: ApiClient, recordId: string, n = 1): Promise<RecordDto> {
  const res = await client.request<RecordDto>("PATCH", `/api/records/${recordId}`, { json: { ops: { count: { add: n } } } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

async function eventsOf(recordId: string) {
  const { rows } = await pool.query<{ version: number; kind: string; events: string }>(
    `SELECT v.version, v.kind, count(o.seq)::int AS events FROM revisions v LEFT JOIN outbox o ON o."revisionId" = v.id
     WHERE v."recordId" = $1 GROUP BY v.version, v.kind ORDER BY v.version`,
    [recordId],
  );
  return rows;
}

describe("one process", () => {
  let server: TestServer;
  let ws: WorkspaceFixture;
  beforeAll(async () => {
    server = await startTestServer(serverEnv());
    ws = await createWorkspace(server.url, pool);
  });
  afterAll(async () => server?.stop());

  it("every kind of write leaves exactly one event, and a refused write none", async () => {
    const owner = ws.members.owner.client;
    const editor = ws.members.editor.client;
    const seats = await pool.query<{ id: string }>(`INSERT INTO collections ("workspaceId", name, fields, limits) VALUES ($1, 'Seats', $2, $3) RETURNING id`, [
      ws.workspaceId,
      JSON.stringify([
        { key: "name", label: "Name", type: "text" },
        { key: "seats", label: "Seats", type: "counter", options: { min: 0 } },
      ]),
      JSON.stringify([{ kind: "sum", field: "seats", max: 10 }]),
    ]);
    await pool.query(`INSERT INTO collection_totals ("collectionId", field, used) VALUES ($1, 'seats', 0)`, [seats.rows[0]!.id]);
    const a = await createRecord(owner, seats.rows[0]!.id, { name: "A", seats: 6 });
    const b = await createRecord(owner, seats.rows[0]!.id, { name: "B", seats: 2 });
    const { record, etag } = await createRecord(owner, ws.collectionId, { name: "Every kind", stock: 1, count: 0, body: "<p>start</p>" });
    const live = await watcher(server, ws.members.viewer.client, [record.id, a.record.id, b.record.id]);

    const etag2 = (await editor.request("PATCH", `/api/records/${record.id}`, { json: { values: { stock: 2 } }, headers: { "if-match": etag } })).headers.get(
      "etag",
    )!; // save: v2
    await add(editor, record.id, 3); // ops: v3
    const merged = await owner.request("PATCH", `/api/records/${record.id}`, {
      json: { values: { name: "Merged" } },
      headers: { "if-match": etag2, prefer: "merge" },
    }); // merge: v4
    expect(merged.status).toBe(200);
    const transfer = await owner.request("POST", `/api/collections/${seats.rows[0]!.id}/transfer`, {
      json: { field: "seats", from: a.record.id, to: b.record.id, amount: 1 },
    });
    expect(transfer.status).toBe(200);
    const restore = await owner.request("POST", `/api/records/${record.id}/restore`, {
      json: { version: 1 },
      headers: { "if-match": merged.headers.get("etag")! },
    }); // restore: v5
    expect(restore.status, JSON.stringify(restore.body)).toBe(200);
    const deleted = await owner.request("DELETE", `/api/records/${record.id}`, { headers: { "if-match": restore.headers.get("etag")! } }); // delete: v6
    expect(deleted.status).toBe(200);
    expect((await owner.request("POST", `/api/records/${record.id}/undelete`, { headers: { "if-match": deleted.headers.get("etag")! } })).status).toBe(200); // undelete: v7
    // Rich text typed live becomes a checkpoint revision (v8).
    const socket = connectSocket(server.url, owner);
    await connected(socket);
    const doc = await joinDoc(socket, record.id);
    await doc.type("body", " typed live");
    await eventually(async () => expect((await eventsOf(record.id)).map((r) => r.version)).toContain(8));

    // Refused: a stale save, a bound, a limit. None leaves an event.
    const before = Number((await pool.query(`SELECT count(*) FROM outbox`)).rows[0].count);
    expect((await editor.request("PATCH", `/api/records/${record.id}`, { json: { values: { stock: 9 } }, headers: { "if-match": etag } })).status).toBe(412);
    expect((await editor.request("PATCH", `/api/records/${a.record.id}`, { json: { ops: { seats: { add: -99 } } } })).status).toBe(409);
    expect((await editor.request("PATCH", `/api/records/${b.record.id}`, { json: { ops: { seats: { add: 5 } } } })).status).toBe(409);
    expect(Number((await pool.query(`SELECT count(*) FROM outbox`)).rows[0].count)).toBe(before);

    expect(await eventsOf(record.id)).toEqual([
      { version: 1, kind: "create", events: 1 },
      { version: 2, kind: "save", events: 1 },
      { version: 3, kind: "save", events: 1 },
      { version: 4, kind: "merge", events: 1 },
      { version: 5, kind: "restore", events: 1 },
      { version: 6, kind: "delete", events: 1 },
      { version: 7, kind: "undelete", events: 1 },
      { version: 8, kind: "save", events: 1 },
    ]);
    for (const id of [a.record.id, b.record.id]) expect((await eventsOf(id)).map((r) => r.events)).toEqual([1, 1]);
    // The watcher heard every save-like version, in order, from the outbox.
    await eventually(() => expect(live.versions(record.id)).toEqual([2, 3, 4, 5, 8]));
    expect(live.versions(a.record.id)).toEqual([2]);
    expect(live.versions(b.record.id)).toEqual([2]);
  });

  it("a transaction that commits after a later one still reaches watchers (its number was a hole)", async () => {
    const owner = ws.members.owner.client;
    const slow = await createRecord(owner, ws.collectionId, { name: "Slow", count: 0 });
    const fast = await createRecord(owner, ws.collectionId, { name: "Fast", count: 0 });
    const live = await watcher(server, ws.members.viewer.client, [slow.record.id, fast.record.id]);
    // A writer that takes its outbox number, then waits before committing.
    const held = await pool.connect();
    try {
      await held.query("BEGIN");
      await held.query(
        `WITH u AS (UPDATE records SET version = 2, "values" = "values" || '{"count": 5}' WHERE id = $1 RETURNING id, version, "values", "updatedById")
         INSERT INTO revisions ("recordId", version, kind, "authorId", changes, snapshot) SELECT id, version, 'save', "updatedById", '{"count": {"from": 0, "to": 5}}', "values" FROM u`,
        [slow.record.id],
      );
      await add(owner, fast.record.id);
      await eventually(() => expect(live.versions(fast.record.id)).toEqual([2]));
      expect(live.versions(slow.record.id)).toEqual([]);
      await held.query("COMMIT");
    } finally {
      held.release();
    }
    await eventually(() => expect(live.versions(slow.record.id)).toEqual([2]));
    expect(live.saved.find((e) => e.recordId === slow.record.id)).toMatchObject({ values: { count: 5 }, changedFields: ["count"] });
  });
  it("a writer whose transaction id is above the reader's snapshot xmax still reaches watchers (its hole is kept)", async () => {
    const owner = ws.members.owner.client;
    const held = await createRecord(owner, ws.collectionId, { name: "Held", count: 0 });
    const other = await createRecord(owner, ws.collectionId, { name: "Other", count: 0 });
    const live = await watcher(server, ws.members.viewer.client, [held.record.id, other.record.id]);
    const saveIn = (client: pg.PoolClient, recordId: string) =>
      client.query(
        `WITH u AS (UPDATE records SET version = 2, "values" = "values" || '{"count": 5}' WHERE id = $1 RETURNING id, version, "values", "updatedById")
         INSERT INTO revisions ("recordId", version, kind, "authorId", changes, snapshot) SELECT id, version, 'save', "updatedById", '{"count": {"from": 0, "to": 5}}', "values" FROM u`,
        [recordId],
      );
    const first = await pool.connect();
    const second = await pool.connect();
    try {
      // `first` has the lower transaction id but takes the higher number and commits first: then
      // the highest completed id is below `second`'s, and the snapshot's xmax does not cover it.
      await first.query("BEGIN");
      await first.query("SELECT pg_current_xact_id()");
      await second.query("BEGIN");
      await second.query("SELECT pg_current_xact_id()");
      await saveIn(second, held.record.id);
      await saveIn(first, other.record.id);
      await first.query("COMMIT");
      await eventually(() => expect(live.versions(other.record.id)).toEqual([2]));
      // Readers have now seen the number above the hole, with `second` still running.
      await add(owner, other.record.id);
      await eventually(() => expect(live.versions(other.record.id)).toEqual([2, 3]));
      await second.query("COMMIT");
    } finally {
      first.release();
      second.release();
    }
    await eventually(() => expect(live.versions(held.record.id)).toEqual([2]));
  });

  it("outbox rows whose revision cannot be read are stepped over: the next save still reaches watchers and webhooks", async () => {
    const owner = ws.members.owner.client;
    const receiver = await startReceiver();
    const hook = await owner.request<{ webhook: { id: string } }>("POST", `/api/workspaces/${ws.workspaceId}/webhooks`, {
      json: { url: `${receiver.url}/hook`, events: ["record.saved"] },
    });
    expect(hook.status).toBe(201);
    try {
      const { record } = await createRecord(owner, ws.collectionId, { name: "After the gap", count: 0 });
      const live = await watcher(server, ws.members.viewer.client, [record.id]);
      // More such rows than either reader takes in one read (a revision gone with its record, say).
      await pool.query(`INSERT INTO outbox ("revisionId") SELECT -n FROM generate_series(1, 2500) AS n`);
      await add(owner, record.id);
      await eventually(() => expect(live.versions(record.id)).toEqual([2]), 15_000);
      await eventually(() => expect(receiver.received.map((r) => r.body.record.version)).toEqual([2]), 15_000);
    } finally {
      await owner.request("DELETE", `/api/webhooks/${hook.body.webhook.id}`);
      await receiver.close();
    }
  });
});

describe("two processes", () => {
  let first: TestServer;
  let second: TestServer;
  let ws: WorkspaceFixture;
  beforeAll(async () => {
    first = await startTestServer(serverEnv());
    second = await startTestServer(serverEnv());
    ws = await createWorkspace(first.url, pool);
  });
  afterAll(async () => Promise.all([first?.stop(), second?.stop()]));

  it("each watcher, on either process, hears each version once and in order, whichever process wrote it", async () => {
    const { record } = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Twice?", count: 0 });
    const onFirst = await watcher(first, ws.members.viewer.client, [record.id], ws.collectionId);
    const onSecond = await watcher(second, await as(second, ws.members.viewer.email), [record.id], ws.collectionId);
    const writers = [ws.members.editor.client, await as(second, ws.members.editor.email)];
    await Promise.all(
      writers.map(async (client) => {
        for (let i = 0; i < 25; i++) await add(client, record.id);
      }),
    );
    for (const live of [onFirst, onSecond]) {
      await eventually(() => expect(live.versions(record.id)).toEqual(range(2, 51)));
      expect(live.rowVersions(record.id)).toEqual(range(2, 51));
    }
  });
});

describe("a process killed between the commit and anything after it", () => {
  it("the other process tells watchers and sends the webhook, once; the restarted one sends nothing again", async () => {
    const receiver: Receiver = await startReceiver();
    // The first process is the webhook enqueuer (it started first) and dies right after committing.
    let doomed = await startTestServer(serverEnv({ TANDEM_TEST_CRASH_ON_VALUE: "crash here" }));
    const survivor = await startTestServer(serverEnv());
    try {
      const ws = await createWorkspace(survivor.url, pool);
      const created = await ws.members.owner.client.request<{ webhook: { id: string } }>("POST", `/api/workspaces/${ws.workspaceId}/webhooks`, {
        json: { url: `${receiver.url}/hook`, events: ["record.saved"] },
      });
      expect(created.status).toBe(201);
      const { record, etag } = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Before the crash", count: 0 });
      const live = await watcher(survivor, ws.members.viewer.client, [record.id]);
      const writer = await as(doomed, ws.members.editor.email);
      const exited = new Promise((resolve) => doomed.process.once("exit", resolve));
      await expect(
        writer.request("PATCH", `/api/records/${record.id}`, { json: { values: { name: "crash here" } }, headers: { "if-match": etag } }),
      ).rejects.toThrow();
      await exited;
      expect(doomed.process.signalCode).toBe("SIGKILL");
      // Committed: the database has version 2, and everyone hears of it.
      expect((await pool.query(`SELECT version FROM records WHERE id = $1`, [record.id])).rows[0].version).toBe(2);
      await eventually(() => expect(live.versions(record.id)).toEqual([2]), 10_000);
      await eventually(() => expect(receiver.received.map((r) => r.body.record.version)).toEqual([2]), 15_000);

      // Restarted, it takes part again without sending version 2 a second time.
      doomed = await startTestServer(serverEnv());
      await add(await as(doomed, ws.members.editor.email), record.id);
      await eventually(() => expect(receiver.received.map((r) => r.body.record.version)).toEqual([2, 3]), 15_000);
      await eventually(() => expect(live.versions(record.id)).toEqual([2, 3]));
      expect(new Set(receiver.received.map((r) => r.eventId)).size).toBe(2);
    } finally {
      await Promise.all([doomed.stop(), survivor.stop()]);
    }
  }, 90_000);
});

describe("Redis stopped for 10 s under a stream of saves", () => {
  it("every watcher on the other process saw every version in order and ends current; live text converges once it is back", async () => {
    const redis = await startOwnRedis();
    const env = serverEnv({ REDIS_URL: redis.url, TANDEM_REDIS_PREFIX: "outbox-test" });
    const writerSide = await startTestServer(env);
    const watcherSide = await startTestServer(env);
    try {
      const ws = await createWorkspace(writerSide.url, pool);
      const { record } = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Through the outage", count: 0, body: "<p>start</p>" });
      const live = await watcher(watcherSide, await as(watcherSide, ws.members.viewer.email), [record.id], ws.collectionId);
      const typist = connectSocket(writerSide.url, ws.members.owner.client);
      const reader: Socket = connectSocket(watcherSide.url, await as(watcherSide, ws.members.editor.email));
      await Promise.all([connected(typist), connected(reader)]);
      const [alice, dana] = await Promise.all([joinDoc(typist, record.id), joinDoc(reader, record.id)]);

      let isWriting = true;
      let last = 1;
      const stream = (async () => {
        while (isWriting) {
          last = (await add(ws.members.editor.client, record.id)).version;
          await new Promise((r) => setTimeout(r, 50));
        }
      })();
      await eventually(() => expect(last).toBeGreaterThan(5));
      await redis.stop();
      const stoppedAt = last;
      await alice.type("body", " typed while Redis was down");
      // The outage itself is the test: ten seconds of saves with Redis gone.
      await new Promise((r) => setTimeout(r, 10_000));
      expect(last - stoppedAt).toBeGreaterThan(20);
      await redis.start();
      const restartedAt = last;
      await eventually(() => expect(last).toBeGreaterThan(restartedAt + 5));
      isWriting = false;
      await stream;

      await eventually(() => expect(live.versions(record.id)).toEqual(range(2, last)), 10_000);
      expect(live.rowVersions(record.id)).toEqual(range(2, last));
      await eventually(() => expect(dana.text()).toContain("typed while Redis was down"), 20_000);
    } finally {
      await Promise.all([writerSide.stop(), watcherSide.stop()]);
      await redis.stop();
    }
  }, 120_000);
});
