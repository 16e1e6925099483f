// Webhooks end to end: owners manage endpoints through the API; a real receiver on this machine
// gets each committed version, signed, at least once and in version order per record, with
// retries, disabling after persistent failure, and redelivery. Each server here has a database of
// its own (see newDatabase).
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DeliveryDto, WebhookDto } from "@/lib/webhooks";
import { ApiClient } from "./client";
import { cleanupAfter, newDatabase } from "./db";
import { createRecord, createWorkspace, type WorkspaceFixture } from "./factories";
import { startTestServer, type TestServer } from "./server";
import { eventually } from "./socket-client";
import { isSignedBy, startReceiver, type Receiver } from "./webhook-receiver";

type Created = { webhook: WebhookDto; secret: string };

let server: TestServer;
let pool: pg.Pool;
let ws: WorkspaceFixture;
let dropDatabase: () => Promise<void>;

beforeAll(async () => {
  const db = await newDatabase();
  dropDatabase = db.drop;
  server = await startTestServer({
    DATABASE_URL: db.url,
    TANDEM_WEBHOOKS_ALLOW_PRIVATE: "true",
    // Ten attempts' waits (about a day, lib/webhooks.ts D4) in under two seconds.
    TANDEM_WEBHOOK_RETRY_DIVISOR: "100000",
    TANDEM_WEBHOOK_TIMEOUT_MS: "2000",
    TANDEM_OUTBOX_POLL_MS: "200",
  });
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
  ws = await createWorkspace(server.url, pool);
});
afterAll(async () => {
  await server?.stop();
  await pool?.end();
  await dropDatabase?.();
});

const owner = () => ws.members.owner.client;

async function createEndpoint(receiver: Receiver, body: Record<string, unknown> = {}): Promise<Created> {
  const res = await owner().request<Created>("POST", `/api/workspaces/${ws.workspaceId}/webhooks`, {
    json: { url: `${receiver.url}/hook`, events: ["record.saved"], ...body },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  // Gone with its test: a later test's saves are not sent to a receiver that stopped listening.
  cleanupAfter(() => owner().request("DELETE", `/api/webhooks/${res.body.webhook.id}`));
  return res.body;
}

async function deliveries(endpointId: string): Promise<DeliveryDto[]> {
  const res = await owner().get<{ deliveries: DeliveryDto[] }>(`/api/webhooks/${endpointId}/deliveries?limit=200`);
  expect(res.status).toBe(200);
  return res.body.deliveries;
}

async function save(client: ApiClient, recordId: string, add: number) {
  const res = await client.request("PATCH", `/api/records/${recordId}`, { json: { ops: { count: { add } } } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

describe("a committed version reaches the receiver", () => {
  it("signed, with the fact itself: event id, type, record, version, author, and each field from → to", async () => {
    const receiver = await startReceiver();
    const { webhook, secret } = await createEndpoint(receiver, { events: ["record.created", "record.saved"] });
    expect(secret).toMatch(/^whsec_/);
    expect(JSON.stringify(webhook)).not.toContain(secret);
    const { record, etag } = await createRecord(ws.members.editor.client, ws.collectionId, { name: "Widget", stock: 4 });
    const saved = await ws.members.editor.client.request("PATCH", `/api/records/${record.id}`, {
      json: { values: { stock: 3 } },
      headers: { "if-match": etag },
    });
    expect(saved.status).toBe(200);
    await eventually(() => expect(receiver.received.map((r) => r.body.record.version)).toEqual([1, 2]));
    const [created, changed] = receiver.received;
    expect(created!.body).toMatchObject({ type: "record.created", record: { id: record.id, version: 1 }, changes: { name: { from: null, to: "Widget" } } });
    expect(changed!.body).toEqual({
      id: changed!.eventId,
      type: "record.saved",
      createdAt: expect.any(String),
      workspaceId: ws.workspaceId,
      collectionId: ws.collectionId,
      record: { id: record.id, version: 2 },
      author: { id: ws.members.editor.id, name: ws.members.editor.name },
      changes: { stock: { from: 4, to: 3 } },
    });
    for (const r of receiver.received) {
      expect(isSignedBy(secret, r)).toBe(true);
      expect(isSignedBy("whsec_someone-else", r)).toBe(false);
      expect(Math.abs(r.timestamp - Date.now() / 1000)).toBeLessThan(60);
    }
    // The log says the same.
    const log = await deliveries(webhook.id);
    expect(log.map((d) => [d.version, d.state, d.attempts, d.lastStatus])).toEqual([
      [2, "delivered", 1, 200],
      [1, "delivered", 1, 200],
    ]);
  });

  it("a receiver failing its first 3 attempts gets the 4th, with the same event id and a valid signature", async () => {
    const receiver = await startReceiver();
    receiver.answer = (_request, index) => (index < 3 ? 503 : 200);
    const { webhook, secret } = await createEndpoint(receiver);
    const { record } = await createRecord(owner(), ws.collectionId, { name: "Flaky", count: 0 });
    await save(owner(), record.id, 1);
    await eventually(() => expect(receiver.received).toHaveLength(4));
    expect(new Set(receiver.received.map((r) => r.eventId)).size).toBe(1);
    expect(receiver.received.map((r) => [r.attempt, r.status])).toEqual([
      [1, 503],
      [2, 503],
      [3, 503],
      [4, 200],
    ]);
    expect(new Set(receiver.received.map((r) => r.rawBody)).size).toBe(1);
    expect(receiver.received.every((r) => isSignedBy(secret, r))).toBe(true);
    const [delivery] = await deliveries(webhook.id);
    expect(delivery).toMatchObject({ state: "delivered", attempts: 4, lastStatus: 200, lastError: null, version: 2 });
  });

  it("1,000 saves from 20 clients give 1,000 distinct event ids, in version order per record, duplicates only as retries", async () => {
    const receiver = await startReceiver();
    // One attempt in ten fails: retries happen under load too.
    receiver.answer = () => (Math.random() < 0.1 ? 500 : 200);
    const { secret } = await createEndpoint(receiver);
    const records = await Promise.all(Array.from({ length: 10 }, (_, i) => createRecord(owner(), ws.collectionId, { name: `Bulk ${i}`, count: 0 })));
    const clients = [ws.members.owner.client, ws.members.editor.client];
    await Promise.all(
      Array.from({ length: 20 }, async (_, worker) => {
        for (let i = 0; i < 50; i++) await save(clients[worker % 2]!, records[(worker + i) % 10]!.record.id, 1);
      }),
    );
    await eventually(() => expect(new Set(receiver.received.filter((r) => r.status === 200).map((r) => r.eventId)).size).toBe(1000), 90_000);
    const accepted = receiver.received.filter((r) => r.status === 200);
    expect(accepted).toHaveLength(1000);
    const byId = new Map<string, string[]>();
    for (const r of receiver.received) byId.set(r.eventId, [...(byId.get(r.eventId) ?? []), r.rawBody]);
    expect(byId.size).toBe(1000);
    // A repeat is a retry of the same delivery: the same body, and it followed a failure.
    for (const bodies of byId.values()) expect(new Set(bodies).size).toBe(1);
    for (const [id] of byId) {
      const tries = receiver.received.filter((r) => r.eventId === id);
      expect(tries.slice(0, -1).every((r) => r.status !== 200)).toBe(true);
    }
    // Per record, the versions accepted are 2, 3, … in that order, none missing.
    for (const { record } of records) {
      const versions = accepted.filter((r) => r.body.record.id === record.id).map((r) => r.body.record.version);
      expect(versions).toEqual(Array.from({ length: versions.length }, (_, i) => i + 2));
    }
    expect(receiver.received.every((r) => isSignedBy(secret, r))).toBe(true);
  }, 120_000);
  it("an endpoint gets the versions saved after it was registered, not the ones before, even when they commit after", async () => {
    const { record } = await createRecord(owner(), ws.collectionId, { name: "Before and after", count: 0 });
    await save(owner(), record.id, 1); // v2, before any endpoint
    // v3 is saved before the endpoint exists, but commits only after it was registered.
    const held = await pool.connect();
    let receiver: Receiver;
    try {
      await held.query("BEGIN");
      await held.query(
        `WITH u AS (UPDATE records SET version = 3, "values" = "values" || '{"count": 5}' WHERE id = $1 RETURNING id, version, "values", "updatedById")
         INSERT INTO revisions ("recordId", version, kind, "authorId", changes, snapshot) SELECT id, version, 'save', "updatedById", '{"count": {"from": 1, "to": 5}}', "values" FROM u`,
        [record.id],
      );
      receiver = await startReceiver();
      await createEndpoint(receiver);
      await held.query("COMMIT");
    } finally {
      held.release();
    }
    await save(owner(), record.id, 1); // v4
    await eventually(() => expect(receiver.received.map((r) => r.body.record.version)).toEqual([4]));
  });
});

describe("failure, recovery and redelivery", () => {
  it("an endpoint that keeps failing is disabled after 10 attempts with a notice, and enabling it resumes where it stopped", async () => {
    const receiver = await startReceiver();
    let isDown = true;
    receiver.answer = () => (isDown ? 500 : 200);
    const { webhook } = await createEndpoint(receiver);
    const { record } = await createRecord(owner(), ws.collectionId, { name: "Down", count: 0 });
    await save(owner(), record.id, 1);
    await eventually(async () => {
      const res = await owner().get<WebhookDto>(`/api/webhooks/${webhook.id}`);
      expect(res.body.isEnabled).toBe(false);
    }, 30_000);
    expect(receiver.received).toHaveLength(10);
    const disabled = (await owner().get<WebhookDto>(`/api/webhooks/${webhook.id}`)).body;
    expect(disabled.disabledReason).toMatch(/Disabled after 10 failed attempts .*Answered 500/);
    expect(disabled.counts.failed).toBe(1);
    const [failed] = await deliveries(webhook.id);
    expect(failed).toMatchObject({ state: "failed", attempts: 10, lastStatus: 500, lastError: "Answered 500: no thanks" });
    // A save while disabled waits; enabling sends the failed one first, then the newer one.
    await save(owner(), record.id, 1);
    isDown = false;
    const enabled = await owner().request<WebhookDto>("PATCH", `/api/webhooks/${webhook.id}`, { json: { isEnabled: true } });
    expect(enabled.status).toBe(200);
    expect(enabled.body).toMatchObject({ isEnabled: true, disabledReason: null });
    await eventually(() => expect(receiver.received.filter((r) => r.status === 200).map((r) => r.body.record.version)).toEqual([2, 3]));
  }, 60_000);

  it("redeliver sends a delivered event again with the same id", async () => {
    const receiver = await startReceiver();
    const { webhook } = await createEndpoint(receiver);
    const { record } = await createRecord(owner(), ws.collectionId, { name: "Again", count: 0 });
    await save(owner(), record.id, 2);
    await eventually(() => expect(receiver.received).toHaveLength(1));
    const [delivery] = await deliveries(webhook.id);
    const res = await owner().request("POST", `/api/webhooks/${webhook.id}/deliveries/${delivery!.id}/redeliver`);
    expect(res.status).toBe(202);
    await eventually(() => expect(receiver.received).toHaveLength(2));
    expect(receiver.received[1]!.eventId).toBe(receiver.received[0]!.eventId);
    expect(receiver.received[1]!.rawBody).toBe(receiver.received[0]!.rawBody);
    expect((await owner().request("POST", `/api/webhooks/${webhook.id}/deliveries/999999999/redeliver`)).status).toBe(404);
  });

  it("after a rotation, deliveries carry both signatures for a day; the new secret is shown once", async () => {
    const receiver = await startReceiver();
    const { webhook, secret: old } = await createEndpoint(receiver);
    const rotated = await owner().request<Created>("POST", `/api/webhooks/${webhook.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(old);
    expect(rotated.body.webhook.previousSecretUntil).not.toBeNull();
    const { record } = await createRecord(owner(), ws.collectionId, { name: "Rotated", count: 0 });
    await save(owner(), record.id, 1);
    await eventually(() => expect(receiver.received).toHaveLength(1));
    const [got] = receiver.received;
    expect(got!.signature.split(",")).toHaveLength(2);
    expect(isSignedBy(rotated.body.secret, got!)).toBe(true);
    expect(isSignedBy(old, got!)).toBe(true);
  });

  it("a collection filter and the events chosen decide what is sent; a deleted endpoint gets nothing more", async () => {
    const receiver = await startReceiver();
    const other = await pool.query<{ id: string }>(`INSERT INTO collections ("workspaceId", name, fields) VALUES ($1, 'Other', $2) RETURNING id`, [
      ws.workspaceId,
      JSON.stringify([
        { key: "name", label: "Name", type: "text" },
        { key: "count", label: "Count", type: "counter" },
      ]),
    ]);
    const { webhook } = await createEndpoint(receiver, { collectionId: other.rows[0]!.id, events: ["record.deleted"] });
    const elsewhere = await createRecord(owner(), ws.collectionId, { name: "Elsewhere", count: 0 });
    const here = await createRecord(owner(), other.rows[0]!.id, { name: "Here", count: 0 });
    await save(owner(), here.record.id, 1);
    const remove = async (id: string) => {
      const etag = (await owner().get(`/api/records/${id}`)).headers.get("etag")!;
      expect((await owner().request("DELETE", `/api/records/${id}`, { headers: { "if-match": etag } })).status).toBe(200);
    };
    await remove(elsewhere.record.id);
    await remove(here.record.id);
    await eventually(() => expect(receiver.received.map((r) => [r.body.type, r.body.record.id])).toEqual([["record.deleted", here.record.id]]));
    expect((await owner().request("DELETE", `/api/webhooks/${webhook.id}`)).status).toBe(204);
    expect((await owner().get(`/api/webhooks/${webhook.id}`)).status).toBe(404);
    const { rows } = await pool.query(`SELECT 1 FROM webhook_deliveries WHERE "endpointId" = $1`, [webhook.id]);
    expect(rows).toHaveLength(0);
  });
});

describe("who may manage webhooks, and what they may say", () => {
  it("owners only: editors and viewers are refused, strangers and signed-out callers learn nothing", async () => {
    const path = `/api/workspaces/${ws.workspaceId}/webhooks`;
    const body = { json: { url: "https://hooks.example.com/in", events: ["record.saved"] } };
    for (const role of ["editor", "viewer"] as const) {
      const client = ws.members[role].client;
      expect((await client.get(path)).status).toBe(403);
      expect((await client.request("POST", path, body)).status).toBe(403);
    }
    const stranger = new ApiClient(server.url);
    await stranger.signUp(`stranger-${Date.now()}@example.test`, "Stranger");
    expect((await stranger.get(path)).status).toBe(404);
    expect((await stranger.request("POST", path, body)).status).toBe(404);
    expect((await new ApiClient(server.url).get(path)).status).toBe(401);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM webhook_endpoints WHERE url = 'https://hooks.example.com/in'`);
    expect(rows[0].n).toBe(0);

    const mine = await owner().request<Created>("POST", path, body);
    expect(mine.status).toBe(201);
    const id = mine.body.webhook.id;
    for (const [method, suffix] of [
      ["GET", ""],
      ["PATCH", ""],
      ["DELETE", ""],
      ["POST", "/rotate-secret"],
      ["GET", "/deliveries"],
    ] as const) {
      const json = method === "PATCH" ? { json: { description: "mine now" } } : {};
      expect((await stranger.request(method, `/api/webhooks/${id}${suffix}`, json)).status, `${method} ${suffix}`).toBe(404);
      expect((await ws.members.editor.client.request(method, `/api/webhooks/${id}${suffix}`, json)).status, `${method} ${suffix}`).toBe(403);
    }
    expect((await owner().get<WebhookDto>(`/api/webhooks/${id}`)).body.description).toBe("");
    expect((await owner().request("DELETE", `/api/webhooks/${id}`)).status).toBe(204);
  });

  it("refuses bad endpoints with a clear error and stores nothing", async () => {
    const path = `/api/workspaces/${ws.workspaceId}/webhooks`;
    const cases: [unknown, number, RegExp][] = [
      [{ url: "ftp://example.com/x", events: ["record.saved"] }, 422, /Only http and https/],
      [{ url: "not a url", events: ["record.saved"] }, 422, /Not a URL/],
      [{ url: "https://u:p@example.com/", events: ["record.saved"] }, 422, /user name and password/],
      [{ url: "https://example.com/", events: [] }, 400, /at least one event/],
      [{ url: "https://example.com/", events: ["record.exploded"] }, 400, /events/],
      [{ url: "https://example.com/", events: ["record.saved"], secret: "my own" }, 400, /secret/],
      [{ url: "https://example.com/", events: ["record.saved"], collectionId: "00000000-0000-4000-8000-000000000000" }, 422, /No such collection/],
      [{ url: `https://example.com/${"x".repeat(3000)}`, events: ["record.saved"] }, 422, /longer than 2048/],
      [{ url: "https://example.com/\u0000", events: ["record.saved"] }, 400, /./],
    ];
    for (const [json, status, message] of cases) {
      const res = await owner().request<{ message: string }>("POST", path, { json });
      expect(res.status, JSON.stringify(json).slice(0, 80)).toBe(status);
      expect(res.body.message).toMatch(message);
    }
    expect((await owner().get<{ webhooks: WebhookDto[] }>(path)).body.webhooks.filter((w) => w.url.startsWith("https://example.com"))).toHaveLength(0);
    const unknown = `/api/webhooks/not-a-uuid`;
    expect((await owner().get(unknown)).status).toBe(404);
    expect((await owner().get(`/api/workspaces/not-a-uuid/webhooks`)).status).toBe(404);
  });
});

describe("private addresses, on a server that does not allow them", () => {
  let strict: TestServer;
  let strictPool: pg.Pool;
  let strictWs: WorkspaceFixture;
  let dropStrict: () => Promise<void>;
  beforeAll(async () => {
    const db = await newDatabase();
    dropStrict = db.drop;
    strict = await startTestServer({ DATABASE_URL: db.url, TANDEM_OUTBOX_POLL_MS: "200", TANDEM_WEBHOOK_RETRY_DIVISOR: "100000" });
    strictPool = new pg.Pool({ connectionString: db.url, max: 2 });
    strictWs = await createWorkspace(strict.url, strictPool);
  });
  afterAll(async () => {
    await strict?.stop();
    await strictPool?.end();
    await dropStrict?.();
  });

  it("refuses loopback, private and link-local literals and localhost when the endpoint is saved", async () => {
    for (const url of [
      "http://127.0.0.1:9/x",
      "http://localhost/x",
      "http://10.0.0.7/",
      "http://192.168.1.1/",
      "http://169.254.169.254/latest/meta-data",
      "http://[::1]/",
      "http://[::ffff:127.0.0.1]/",
    ]) {
      const res = await strictWs.members.owner.client.request<{ fields: Record<string, string> }>("POST", `/api/workspaces/${strictWs.workspaceId}/webhooks`, {
        json: { url, events: ["record.saved"] },
      });
      expect(res.status, url).toBe(422);
      expect(res.body.fields.url, url).toMatch(/public addresses/);
    }
  });

  it("refuses a name that resolves to this machine when delivering, and sends nothing there", async () => {
    const receiver = await startReceiver();
    const port = new URL(receiver.url).port;
    // Saved against a public name, then pointed at a name that resolves to this machine (as a
    // rebinding name would): the check at delivery time catches what the one at saving could not.
    const created = await strictWs.members.owner.client.request<Created>("POST", `/api/workspaces/${strictWs.workspaceId}/webhooks`, {
      json: { url: "https://hooks.example.com/in", events: ["record.saved"] },
    });
    expect(created.status).toBe(201);
    await strictPool.query(`UPDATE webhook_endpoints SET url = $2 WHERE id = $1`, [created.body.webhook.id, `http://localhost:${port}/hook`]);
    const { record } = await createRecord(strictWs.members.owner.client, strictWs.collectionId, { name: "Private", count: 0 });
    await save(strictWs.members.owner.client, record.id, 1);
    await eventually(async () => {
      const res = await strictWs.members.owner.client.get<{ deliveries: DeliveryDto[] }>(`/api/webhooks/${created.body.webhook.id}/deliveries`);
      expect(res.body.deliveries[0]?.lastError).toMatch(/Refused: localhost resolves to a loopback address/);
    });
    expect(receiver.received).toHaveLength(0);
  });
});
