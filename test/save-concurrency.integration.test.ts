// The save protocol under real concurrency: real HTTP clients, a real server process, real PostgreSQL.
import { beforeAll, describe, expect, it } from "vitest";
import type { StaleBody } from "@/lib/errors";
import type { RecordDto } from "@/lib/types";
import { ApiClient } from "./client";
import { useTestPool } from "./db";
import { countRevisions, createRecord, createWorkspace, type WorkspaceFixture } from "./factories";
import { useTestServer } from "./server";

const server = useTestServer();
let ws: WorkspaceFixture;
const pool = useTestPool();

beforeAll(async () => {
  ws = await createWorkspace(server.url, pool);
});

/** A separate client per simulated person, each with its own session. */
async function signedInClients(count: number): Promise<ApiClient[]> {
  const editor = ws.members.editor;
  return Promise.all(
    Array.from({ length: count }, async () => {
      const client = new ApiClient(server.url);
      expect(await client.signIn(editor.email, "correct horse battery")).toBe(200);
      return client;
    }),
  );
}

describe("concurrent saves of one record", () => {
  it("50 clients with the same If-Match: exactly one 200, 49 × 412 naming the field, one new revision", async () => {
    const { record, etag } = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Widget", stock: 10 });
    const clients = await signedInClients(50);
    const responses = await Promise.all(
      clients.map((client, i) =>
        client.request<RecordDto | StaleBody>("PATCH", `/api/records/${record.id}`, {
          json: { values: { stock: 100 + i } },
          headers: { "if-match": etag },
        }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(49);
    for (const res of responses.filter((r) => r.status === 412)) {
      const body = res.body as StaleBody;
      expect(body.error).toBe("stale");
      expect(body.conflicts).toContain("stock");
      expect(body.base.version).toBe(1);
      expect(body.current.version).toBe(2);
    }
    expect(await countRevisions(pool, record.id)).toBe(2);
    const winner = responses.find((r) => r.status === 200)!.body as RecordDto;
    const now = await ws.members.owner.client.get<RecordDto>(`/api/records/${record.id}`);
    expect(now.body.values.stock).toBe(winner.values.stock);
  });

  it("no lost update: 20 clients read, add one, save, and retry on 412; the total equals the acknowledged saves", async () => {
    const { record } = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Bolts", stock: 0 });
    const clients = await signedInClients(20);
    let acknowledged = 0;
    let refusals = 0;
    await Promise.all(
      clients.map(async (client) => {
        for (let attempt = 0; attempt < 200; attempt++) {
          const read = await client.get<RecordDto>(`/api/records/${record.id}`);
          const stock = read.body.values.stock as number;
          const save = await client.request("PATCH", `/api/records/${record.id}`, {
            json: { values: { stock: stock + 1 } },
            headers: { "if-match": read.headers.get("etag")! },
          });
          if (save.status === 200) {
            acknowledged++;
            return;
          }
          expect(save.status).toBe(412);
          refusals++;
        }
        throw new Error("a client never got its save through");
      }),
    );
    const final = await ws.members.owner.client.get<RecordDto>(`/api/records/${record.id}`);
    expect(final.body.values.stock).toBe(acknowledged);
    expect(final.body.version).toBe(1 + acknowledged);
    expect(await countRevisions(pool, record.id)).toBe(1 + acknowledged);
    expect(refusals).toBeGreaterThan(0); // they really did collide
  });

  it("saves to different records do not wait on each other (no global lock)", async () => {
    const a = await createRecord(ws.members.owner.client, ws.collectionId, { name: "A" });
    const b = await createRecord(ws.members.owner.client, ws.collectionId, { name: "B" });
    const blocker = await pool.connect();
    try {
      await blocker.query("BEGIN");
      await blocker.query("SELECT 1 FROM records WHERE id = $1 FOR UPDATE", [a.record.id]);
      // Record A is locked by another transaction; saving B must still go through at once.
      const saveB = ws.members.editor.client.request("PATCH", `/api/records/${b.record.id}`, {
        json: { values: { name: "B2" } },
        headers: { "if-match": b.etag },
      });
      const first = await Promise.race([saveB.then(() => "saved"), new Promise((r) => setTimeout(() => r("blocked"), 5000))]);
      expect(first).toBe("saved");
      expect((await saveB).status).toBe(200);
      // And A's save waits for the lock, then succeeds once it is released.
      const saveA = ws.members.editor.client.request("PATCH", `/api/records/${a.record.id}`, {
        json: { values: { name: "A2" } },
        headers: { "if-match": a.etag },
      });
      const raced = await Promise.race([saveA.then(() => "saved"), new Promise((r) => setTimeout(() => r("waiting"), 300))]);
      expect(raced).toBe("waiting");
      await blocker.query("COMMIT");
      expect((await saveA).status).toBe(200);
    } finally {
      await blocker.query("ROLLBACK").catch(() => {}); // a no-op after COMMIT; frees A if the test failed early
      blocker.release();
    }
  });
});

describe("Idempotency-Key", () => {
  it("a retry after a success returns the first answer and writes no second revision", async () => {
    const { record, etag } = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Nut", stock: 5 });
    const client = ws.members.editor.client;
    const request = { json: { values: { stock: 6 } }, headers: { "if-match": etag, "idempotency-key": `key-${record.id}` } };
    const first = await client.request<RecordDto>("PATCH", `/api/records/${record.id}`, request);
    const retry = await client.request<RecordDto>("PATCH", `/api/records/${record.id}`, request);
    expect(first.status).toBe(200);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    expect(retry.status).toBe(200);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get("etag")).toBe(first.headers.get("etag"));
    expect(await countRevisions(pool, record.id)).toBe(2);
  });

  it("concurrent duplicates with one key write once and all get the same answer", async () => {
    const { record, etag } = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Screw", stock: 1 });
    const client = ws.members.editor.client;
    const request = { json: { values: { stock: 2 } }, headers: { "if-match": etag, "idempotency-key": `dup-${record.id}` } };
    const responses = await Promise.all(Array.from({ length: 8 }, () => client.request<RecordDto>("PATCH", `/api/records/${record.id}`, request)));
    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(new Set(responses.map((r) => r.body.version))).toEqual(new Set([2]));
    expect(responses.filter((r) => r.headers.get("idempotent-replayed") !== "true")).toHaveLength(1);
    expect(await countRevisions(pool, record.id)).toBe(2);
  });

  it("the same key with another body is refused with 422 and changes nothing", async () => {
    const { record, etag } = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Washer", stock: 1 });
    const client = ws.members.editor.client;
    const key = `mismatch-${record.id}`;
    const first = await client.request("PATCH", `/api/records/${record.id}`, {
      json: { values: { stock: 2 } },
      headers: { "if-match": etag, "idempotency-key": key },
    });
    expect(first.status).toBe(200);
    const other = await client.request<{ error: string }>("PATCH", `/api/records/${record.id}`, {
      json: { values: { stock: 3 } },
      headers: { "if-match": first.headers.get("etag")!, "idempotency-key": key },
    });
    expect(other.status).toBe(422);
    expect(other.body.error).toBe("idempotency_mismatch");
    expect((await client.get<RecordDto>(`/api/records/${record.id}`)).body.values.stock).toBe(2);
  });

  it("POST create with a key creates one record, however often it is retried", async () => {
    const client = ws.members.editor.client;
    const request = { json: { values: { name: `Once ${Date.now()}` } }, headers: { "idempotency-key": `create-${Date.now()}` } };
    const first = await client.request<RecordDto>("POST", `/api/collections/${ws.collectionId}/records`, request);
    const again = await client.request<RecordDto>("POST", `/api/collections/${ws.collectionId}/records`, request);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers.get("location")).toBe(`/api/records/${first.body.id}`);
  });
});
