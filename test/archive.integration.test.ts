// An archived collection is read-only (SPEC P4): every record write through HTTP and sockets is a
// 409 {"error":"archived"}, decided in the write's own statement (the collection's gate), while
// reads and export go on; its schema stays as it is until an owner unarchives it.
import { beforeAll, describe, expect, it } from "vitest";
import { CLIENT_EVENTS } from "@/lib/realtime";
import type { CollectionDto, FieldDef, RecordDto } from "@/lib/types";
import { useTestPool } from "./db";
import { createRecord, createWorkspace, uniqueId, type WorkspaceFixture } from "./factories";
import { useTestServer } from "./server";
import { connected, connectSocket, emitAck, eventually } from "./socket-client";
import * as Y from "yjs";

const server = useTestServer();
const pool = useTestPool();
let ws: WorkspaceFixture;

const FIELDS: FieldDef[] = [
  { key: "name", label: "Name", type: "text", required: true },
  { key: "seats", label: "Seats", type: "counter", options: { min: 0 } },
  { key: "body", label: "Body", type: "richtext" },
];

beforeAll(async () => {
  ws = await createWorkspace(server.url, pool);
});

type Schema = CollectionDto & { etag: string };
const owner = () => ws.members.owner.client;

async function newCollection(): Promise<{ id: string; etag: string }> {
  const res = await owner().request<Schema>("POST", `/api/workspaces/${ws.workspaceId}/collections`, {
    json: { name: `Seats ${uniqueId()}`, fields: FIELDS, limits: [{ kind: "sum", field: "seats", max: 100 }] },
  });
  expect(res.status).toBe(201);
  return { id: res.body.id, etag: res.headers.get("etag")! };
}

async function setArchived(id: string, archived: boolean): Promise<string> {
  const current = await owner().get<Schema>(`/api/collections/${id}`);
  const res = await owner().request<Schema>("PATCH", `/api/collections/${id}`, { json: { archived }, headers: { "if-match": current.headers.get("etag")! } });
  expect(res.status).toBe(200);
  return res.headers.get("etag")!;
}

const ARCHIVED = { error: "archived", message: "This collection is archived" };

describe("an archived collection", () => {
  it("refuses creates, saves, operations, transfers, imports, deletes, undeletes and restores with 409 archived, writing nothing", async () => {
    const { id } = await newCollection();
    const a = await createRecord(owner(), id, { name: "A", seats: 10 });
    const b = await createRecord(owner(), id, { name: "B", seats: 5 });
    const c = await createRecord(owner(), id, { name: "C", seats: 1 });
    const gone = await owner().request<RecordDto>("DELETE", `/api/records/${c.record.id}`, { headers: { "if-match": c.etag } });
    expect(gone.status).toBe(200);
    await setArchived(id, true);
    const { rows: before } = await pool.query(`SELECT count(*)::int AS n FROM revisions v JOIN records r ON r.id = v."recordId" WHERE r."collectionId" = $1`, [
      id,
    ]);

    const editor = ws.members.editor.client;
    const answers = await Promise.all([
      editor.request("POST", `/api/collections/${id}/records`, { json: { values: { name: "New" } } }),
      editor.request("PATCH", `/api/records/${a.record.id}`, { json: { values: { name: "A2" } }, headers: { "if-match": a.etag } }),
      editor.request("PATCH", `/api/records/${a.record.id}`, { json: { ops: { seats: { add: -1 } } } }),
      editor.request("POST", `/api/collections/${id}/transfer`, { json: { field: "seats", from: a.record.id, to: b.record.id, amount: 1 } }),
      editor.request("POST", `/api/collections/${id}/imports`, {
        rawBody: "Name\nImported\n",
        headers: { "content-type": "text/csv", "idempotency-key": uniqueId() },
      }),
      editor.request("DELETE", `/api/records/${b.record.id}`, { headers: { "if-match": b.etag } }),
      editor.request("POST", `/api/records/${c.record.id}/undelete`, { headers: { "if-match": gone.headers.get("etag")! } }),
      editor.request("POST", `/api/records/${a.record.id}/restore`, { json: { version: 1 }, headers: { "if-match": a.etag } }),
    ]);
    for (const answer of answers) {
      expect(answer.status).toBe(409);
      expect(answer.body).toEqual(ARCHIVED);
    }
    // A viewer is still told that viewers cannot write, and a stranger learns nothing.
    expect(
      (await ws.members.viewer.client.request("PATCH", `/api/records/${a.record.id}`, { json: { values: { name: "V" } }, headers: { "if-match": a.etag } }))
        .status,
    ).toBe(403);

    const { rows: after } = await pool.query(`SELECT count(*)::int AS n FROM revisions v JOIN records r ON r.id = v."recordId" WHERE r."collectionId" = $1`, [
      id,
    ]);
    expect(after[0].n).toBe(before[0].n);
    const { rows: totals } = await pool.query(`SELECT used::int AS used FROM collection_totals WHERE "collectionId" = $1`, [id]);
    expect(totals[0].used).toBe(15);
  });

  it("keeps reads and export working, and says so in the permissions the UI reads", async () => {
    const { id } = await newCollection();
    const a = await createRecord(owner(), id, { name: "Readable", seats: 2 });
    await setArchived(id, true);
    const viewer = ws.members.viewer.client;
    expect((await viewer.get(`/api/records/${a.record.id}`)).status).toBe(200);
    expect((await viewer.get<{ records: RecordDto[] }>(`/api/collections/${id}/records`)).body.records).toHaveLength(1);
    expect((await viewer.get(`/api/records/${a.record.id}/revisions`)).status).toBe(200);
    const csv = await viewer.get<string>(`/api/collections/${id}/export?format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.body).toContain("Readable");
    const preview = await ws.members.editor.client.request<{ status: string }>("POST", `/api/collections/${id}/imports?preview=true`, {
      rawBody: "Name\nX\n",
      headers: { "content-type": "text/csv" },
    });
    expect(preview.status).toBe(200);
    const collection = (await owner().get<CollectionDto>(`/api/collections/${id}`)).body;
    expect(collection.archivedAt).not.toBeNull();
    expect(collection.permissions).toMatchObject({
      "record.read": true,
      "record.export": true,
      "record.write": false,
      "record.create": false,
      "collection.manage": true,
    });
    expect((await ws.members.editor.client.get<CollectionDto>(`/api/collections/${id}`)).body.permissions["record.write"]).toBe(false);
  });

  it("refuses live text over the socket too, and the watch answers read-only permissions", async () => {
    const { id } = await newCollection();
    const a = await createRecord(owner(), id, { name: "Live" });
    await setArchived(id, true);
    const socket = connectSocket(server.url, ws.members.editor.client);
    await connected(socket);
    const watch = await emitAck<{ permissions: Record<string, boolean> }>(socket, CLIENT_EVENTS.watchRecord, { recordId: a.record.id });
    expect(watch.ok && watch.permissions["doc.edit"]).toBe(false);
    const doc = new Y.Doc();
    doc.getXmlFragment("body").insert(0, [new Y.XmlText("typed")]);
    const ack = await emitAck(socket, CLIENT_EVENTS.updateDoc, { recordId: a.record.id, update: Y.encodeStateAsUpdate(doc) });
    expect(ack).toMatchObject({ ok: false, error: { code: "forbidden", message: "This collection is archived" } });
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM yjs_updates WHERE "recordId" = $1`, [a.record.id]);
    expect(rows[0].n).toBe(0);
  });

  it("keeps its name and fields until it is unarchived (409), and unarchived it takes writes again", async () => {
    const { id } = await newCollection();
    const a = await createRecord(owner(), id, { name: "Back" });
    const etag = await setArchived(id, true);
    const rename = await owner().request("PATCH", `/api/collections/${id}`, { json: { name: "Renamed" }, headers: { "if-match": etag } });
    expect(rename.status).toBe(409);
    expect(rename.body).toMatchObject({ error: "archived" });
    // Unarchiving and renaming in one edit is fine.
    const both = await owner().request<Schema>("PATCH", `/api/collections/${id}`, {
      json: { name: "Renamed", archived: false },
      headers: { "if-match": etag },
    });
    expect(both.status).toBe(200);
    expect(both.body).toMatchObject({ name: "Renamed", archived: false });
    const saved = await ws.members.editor.client.request("PATCH", `/api/records/${a.record.id}`, {
      json: { values: { name: "Saved" } },
      headers: { "if-match": a.etag },
    });
    expect(saved.status).toBe(200);
  });

  it("a write that started before the archive committed waits for it, and then is refused: the check is in the write, not a read before it", async () => {
    const { id } = await newCollection();
    const a = await createRecord(owner(), id, { name: "Race", seats: 1 });
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      // What an archive does: the gate held exclusively, then the collection archived, in one transaction.
      await client.query(`SELECT tandem_close_collection_gate($1)`, [id]);
      await client.query(`UPDATE collections SET "archivedAt" = now() WHERE id = $1`, [id]);
      let settled = false;
      const write = ws.members.editor.client
        .request("PATCH", `/api/records/${a.record.id}`, { json: { ops: { seats: { add: 1 } } } })
        .finally(() => (settled = true));
      const create = ws.members.editor.client.request("POST", `/api/collections/${id}/records`, { json: { values: { name: "Late", seats: 1 } } });
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(settled).toBe(false);
      await client.query("COMMIT");
      expect((await write).status).toBe(409);
      expect((await create).status).toBe(409);
    } finally {
      client.release();
    }
    const { rows } = await pool.query(`SELECT version, "values" FROM records WHERE "collectionId" = $1`, [id]);
    expect(rows).toEqual([{ version: 1, values: { name: "Race", seats: 1, body: null } }]);
  });

  it("archiving waits for a write in flight to commit first: that write is kept, the next one refused", async () => {
    const { id } = await newCollection();
    const a = await createRecord(owner(), id, { name: "Held", seats: 1 });
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      // A write holding the gate shared (as the writer's statement does until it commits).
      await client.query(`SELECT tandem_collection_gate($1)`, [id]);
      await client.query(`UPDATE records SET "values" = "values" || '{"name":"In flight"}' WHERE id = $1`, [a.record.id]);
      let settled = false;
      const current = await owner().get(`/api/collections/${id}`);
      const archive = owner()
        .request("PATCH", `/api/collections/${id}`, { json: { archived: true }, headers: { "if-match": current.headers.get("etag")! } })
        .finally(() => (settled = true));
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(settled).toBe(false);
      await client.query("COMMIT");
      expect((await archive).status).toBe(200);
    } finally {
      client.release();
    }
    expect((await owner().get<RecordDto>(`/api/records/${a.record.id}`)).body.values.name).toBe("In flight");
    expect((await ws.members.editor.client.request("PATCH", `/api/records/${a.record.id}`, { json: { ops: { seats: { add: 1 } } } })).status).toBe(409);
  });

  it("an import running when its collection is archived stops at its next batch: failed, with what it wrote counted", { timeout: 60_000 }, async () => {
    const { id } = await newCollection();
    let body = "Name,Seats\n";
    for (let i = 1; i <= 30_000; i++) body += `Row ${i},0\n`;
    const started = await ws.members.editor.client.request<{ id: string; status: string }>("POST", `/api/collections/${id}/imports?wait=0`, {
      rawBody: body,
      headers: { "content-type": "text/csv", "idempotency-key": uniqueId() },
    });
    expect(started.status).toBe(202);
    type Job = { status: string; created: number; processed: number; error: string | null };
    const job = () => ws.members.editor.client.get<Job>(`/api/imports/${started.body.id}`);
    await eventually(async () => expect((await job()).body.created).toBeGreaterThan(0), 20_000);
    await setArchived(id, true);
    await eventually(async () => expect((await job()).body.status).not.toBe("running"), 20_000);
    const ended = (await job()).body;
    expect(ended).toMatchObject({ status: "failed", error: "This collection is archived" });
    expect(ended.created).toBeLessThan(30_000);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM records WHERE "collectionId" = $1`, [id]);
    expect(rows[0].n).toBe(ended.created);
  });
});
