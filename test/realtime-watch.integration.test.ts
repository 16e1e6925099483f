// socket.io rooms: handshake auth, watch authorization, and every write reaching watchers.
import { beforeAll, describe, expect, it } from "vitest";
import { CLIENT_EVENTS, SERVER_EVENTS, type CollectionRecordEvent, type RecordSavedEvent, type WatchRecordAck } from "@/lib/realtime";
import type { RecordDto } from "@/lib/types";
import { ApiClient } from "./client";
import { useTestPool } from "./db";
import { createRecord, createWorkspace, type WorkspaceFixture } from "./factories";
import { useTestServer } from "./server";
import { collect, connected, connectSocket, emitAck, eventually, nextEvent } from "./socket-client";

const server = useTestServer();
let ws: WorkspaceFixture;
let other: WorkspaceFixture;
const pool = useTestPool();

beforeAll(async () => {
  ws = await createWorkspace(server.url, pool);
  other = await createWorkspace(server.url, pool);
});

describe("handshake", () => {
  it("refuses a connection without a session cookie", async () => {
    await expect(connected(connectSocket(server.url))).rejects.toThrow("unauthenticated");
  });

  it("refuses an expired session", async () => {
    const api = new ApiClient(server.url);
    const email = `expiring-${Date.now()}@example.test`;
    await api.signUp(email, "Expiring");
    api.keepOnlySessionToken();
    const { rows } = await pool.query<{ id: string }>(`SELECT id FROM users WHERE email = $1`, [email]);
    await pool.query(`UPDATE sessions SET "expiresAt" = now() - interval '1 second' WHERE "userId" = $1`, [rows[0]!.id]);
    await expect(connected(connectSocket(server.url, api))).rejects.toThrow("unauthenticated");
  });
});

describe("record:watch", () => {
  it("acks with the version for a member, and refuses another workspace's record, unknown ids and bad payloads", async () => {
    const { record } = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Watched" });
    const mine = connectSocket(server.url, ws.members.viewer.client);
    await connected(mine);
    const ack = await emitAck<WatchRecordAck>(mine, CLIENT_EVENTS.watchRecord, { recordId: record.id });
    expect(ack).toMatchObject({ ok: true, version: 1, role: "viewer", permissions: { "record.read": true, "record.write": false, "doc.edit": false } });

    const outsider = connectSocket(server.url, other.members.owner.client);
    await connected(outsider);
    const refused = await emitAck(outsider, CLIENT_EVENTS.watchRecord, { recordId: record.id });
    expect(refused).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(await emitAck(outsider, CLIENT_EVENTS.watchRecord, { recordId: "00000000-0000-4000-8000-000000000000" })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    expect(await emitAck(outsider, CLIENT_EVENTS.watchRecord, { recordId: "nope" })).toMatchObject({ ok: false, error: { code: "invalid" } });
    expect(await emitAck(outsider, CLIENT_EVENTS.watchRecord, "garbage")).toMatchObject({ ok: false, error: { code: "invalid" } });
    expect(await emitAck(outsider, "record:explode", {})).toMatchObject({ ok: false, error: { code: "invalid" } });

    // The refused client hears nothing of the record's saves.
    const leaked = collect(outsider, SERVER_EVENTS.recordSaved);
    const saved = nextEvent<RecordSavedEvent>(mine, SERVER_EVENTS.recordSaved);
    const res = await ws.members.editor.client.request("PATCH", `/api/records/${record.id}`, {
      json: { values: { name: "Watched 2" } },
      headers: { "if-match": (await ws.members.editor.client.get(`/api/records/${record.id}`)).headers.get("etag")! },
    });
    expect(res.status).toBe(200);
    expect(await saved).toMatchObject({ recordId: record.id, version: 2 });
    // Barrier: an ack asked for after the broadcast comes back after anything the broadcast sent it.
    await emitAck(outsider, CLIENT_EVENTS.unwatchRecord, { recordId: record.id });
    expect(leaked).toEqual([]);
  });

  it("after an HTTP PATCH every watcher gets record:saved with the version, the changed fields and who saved", async () => {
    const { record, etag } = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Lamp", stock: 1 });
    const watchers = [connectSocket(server.url, ws.members.owner.client), connectSocket(server.url, ws.members.viewer.client)];
    for (const socket of watchers) {
      await connected(socket);
      expect(await emitAck(socket, CLIENT_EVENTS.watchRecord, { recordId: record.id })).toMatchObject({ ok: true });
    }
    const received = watchers.map((s) => nextEvent<RecordSavedEvent>(s, SERVER_EVENTS.recordSaved));
    const res = await ws.members.editor.client.request("PATCH", `/api/records/${record.id}`, {
      json: { values: { stock: 2, category: "A" } },
      headers: { "if-match": etag },
    });
    expect(res.status).toBe(200);
    for (const event of await Promise.all(received)) {
      expect(event).toEqual({
        recordId: record.id,
        collectionId: ws.collectionId,
        version: 2,
        changedFields: expect.arrayContaining(["stock", "category"]),
        by: { id: ws.members.editor.id, name: ws.members.editor.name },
        // enough for a watcher one version behind to catch up without a request
        values: { stock: 2, category: "A" },
        updatedAt: (res.body as RecordDto).updatedAt,
        etag: res.headers.get("etag"),
      });
    }
    // Restore and delete reach watchers too.
    const restored = nextEvent<RecordSavedEvent>(watchers[0]!, SERVER_EVENTS.recordSaved);
    const restore = await ws.members.owner.client.request("POST", `/api/records/${record.id}/restore`, {
      json: { version: 1 },
      headers: { "if-match": res.headers.get("etag")! },
    });
    expect(restore.status).toBe(200);
    expect(await restored).toMatchObject({ version: 3, changedFields: expect.arrayContaining(["stock"]) });
    const deleted = nextEvent(watchers[1]!, SERVER_EVENTS.recordDeleted);
    await ws.members.owner.client.request("DELETE", `/api/records/${record.id}`, { headers: { "if-match": restore.headers.get("etag")! } });
    expect(await deleted).toMatchObject({ recordId: record.id, version: 4 });
  });

  it("collection watchers get created, saved and deleted events with the values", async () => {
    const socket = connectSocket(server.url, ws.members.viewer.client);
    await connected(socket);
    expect(await emitAck(socket, CLIENT_EVENTS.watchCollection, { collectionId: ws.collectionId })).toEqual({ ok: true });
    expect(await emitAck(socket, CLIENT_EVENTS.watchCollection, { collectionId: other.collectionId })).toMatchObject({ ok: false });
    const created = nextEvent<CollectionRecordEvent>(socket, SERVER_EVENTS.collectionRecordCreated);
    const { record, etag } = await createRecord(ws.members.editor.client, ws.collectionId, { name: "Fresh" });
    expect(await created).toMatchObject({ recordId: record.id, version: 1, values: expect.objectContaining({ name: "Fresh" }) });
    const saved = nextEvent<CollectionRecordEvent>(socket, SERVER_EVENTS.collectionRecordSaved);
    const res = await ws.members.editor.client.request("PATCH", `/api/records/${record.id}`, {
      json: { values: { name: "Fresher" } },
      headers: { "if-match": etag },
    });
    expect(await saved).toMatchObject({ recordId: record.id, version: 2, changedFields: ["name"], values: expect.objectContaining({ name: "Fresher" }) });
    const deleted = nextEvent(socket, SERVER_EVENTS.collectionRecordDeleted);
    await ws.members.editor.client.request("DELETE", `/api/records/${record.id}`, { headers: { "if-match": res.headers.get("etag")! } });
    expect(await deleted).toMatchObject({ recordId: record.id });
  });
});

describe("abuse", () => {
  it("a message over 1 MB disconnects the client; the server keeps serving others", async () => {
    const socket = connectSocket(server.url, ws.members.editor.client);
    await connected(socket);
    const gone = new Promise<string>((resolve) => socket.once("disconnect", resolve));
    socket.emit(CLIENT_EVENTS.watchRecord, { recordId: "x".repeat(1_100_000) });
    expect(await gone).toBeTruthy();
    const fine = connectSocket(server.url, ws.members.editor.client);
    await connected(fine);
    expect(await emitAck(fine, CLIENT_EVENTS.watchCollection, { collectionId: ws.collectionId })).toEqual({ ok: true });
  });

  it("a flood of messages from one client disconnects it", async () => {
    const socket = connectSocket(server.url, ws.members.editor.client);
    await connected(socket);
    const gone = new Promise<string>((resolve) => socket.once("disconnect", resolve));
    for (let i = 0; i < 2000; i++) socket.emit(CLIENT_EVENTS.unwatchRecord, { recordId: "00000000-0000-4000-8000-000000000000" });
    expect(await gone).toBe("io server disconnect");
    await eventually(async () => expect((await fetch(`${server.url}/api/health`)).status).toBe(200));
  });
});
