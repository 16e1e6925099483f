// Rich text: Yjs sync over socket.io, persisted in PostgreSQL, checkpointed into the history,
// and consistent with HTTP writes.
import { beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { CLIENT_EVENTS, SERVER_EVENTS, type RecordSavedEvent } from "@/lib/realtime";
import type { RecordDto, RevisionDto } from "@/lib/types";
import { useTestPool } from "./db";
import { createRecord, createWorkspace, type WorkspaceFixture } from "./factories";
import { useTestServer } from "./server";
import { collect, connected, connectSocket, emitAck, eventually, nextEvent } from "./socket-client";
import { joinDoc } from "./yjs-sync";
import * as awarenessProtocol from "y-protocols/awareness";
import { readAwarenessUpdate } from "@/server/realtime/awareness";

const server = useTestServer();
let ws: WorkspaceFixture;
const pool = useTestPool();

beforeAll(async () => {
  ws = await createWorkspace(server.url, pool);
});

async function socketFor(role: "owner" | "editor" | "viewer") {
  const socket = connectSocket(server.url, ws.members[role].client);
  await connected(socket);
  return socket;
}

describe("rich text over Yjs", () => {
  it("starts from the stored value, relays edits between peers, and keeps them for the next peer", async () => {
    const { record } = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Doc", body: "First line" });
    const alice = await joinDoc(await socketFor("owner"), record.id);
    const dana = await joinDoc(await socketFor("editor"), record.id);
    expect(alice.text()).toBe("First line");
    expect(dana.text()).toBe("First line");
    await Promise.all([alice.type("body", "from Alice"), dana.type("body", "from Dana")]);
    await eventually(() => {
      expect(alice.text()).toBe(dana.text());
      expect(alice.text()).toContain("from Alice");
      expect(alice.text()).toContain("from Dana");
    });
    const late = await joinDoc(await socketFor("viewer"), record.id);
    expect(late.text()).toBe(alice.text());
  });

  it("a viewer's edits are refused and reach no one", async () => {
    const { record } = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Read only", body: "Keep" });
    const viewerSocket = await socketFor("viewer");
    await emitAck(viewerSocket, CLIENT_EVENTS.watchRecord, { recordId: record.id });
    const doc = new Y.Doc();
    doc.getXmlFragment("body").insert(0, [new Y.XmlText("vandal")]);
    const refused = await emitAck(viewerSocket, CLIENT_EVENTS.updateDoc, { recordId: record.id, update: Y.encodeStateAsUpdate(doc) });
    expect(refused).toMatchObject({ ok: false, error: { code: "forbidden" } });
    const fresh = await joinDoc(await socketFor("editor"), record.id);
    expect(fresh.text()).toBe("Keep");
  });

  it("garbage updates and unwatched documents are refused", async () => {
    const { record } = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Guarded" });
    const socket = await socketFor("editor");
    expect(await emitAck(socket, CLIENT_EVENTS.syncDoc, { recordId: record.id, stateVector: new Uint8Array([0]) })).toMatchObject({
      ok: false,
      error: { code: "invalid" },
    });
    await emitAck(socket, CLIENT_EVENTS.watchRecord, { recordId: record.id });
    expect(await emitAck(socket, CLIENT_EVENTS.updateDoc, { recordId: record.id, update: new Uint8Array([255, 255, 255, 7]) })).toMatchObject({
      ok: false,
      error: { code: "invalid" },
    });
    expect(await emitAck(socket, CLIENT_EVENTS.updateDoc, { recordId: record.id, update: "text" })).toMatchObject({ ok: false, error: { code: "invalid" } });
    expect(await emitAck(socket, CLIENT_EVENTS.updateAwareness, { recordId: record.id, update: new Uint8Array([9, 9]) })).toMatchObject({
      ok: false,
      error: { code: "invalid" },
    });
    const peer = await joinDoc(socket, record.id);
    expect(peer.text()).toBe("");
  });

  it("live edits reach the record and its history as a checkpoint after a pause", async () => {
    const { record } = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Checkpointed", body: "Start" });
    const socket = await socketFor("editor");
    const peer = await joinDoc(socket, record.id);
    const saved = nextEvent<RecordSavedEvent>(socket, SERVER_EVENTS.recordSaved);
    await peer.type("body", "Typed live");
    expect(await saved).toMatchObject({ recordId: record.id, version: 2, changedFields: ["body"], by: { id: ws.members.editor.id } });
    const read = await ws.members.owner.client.get<RecordDto>(`/api/records/${record.id}`);
    expect(read.body.values.body).toBe("<p>Start</p><p>Typed live</p>");
    const revision = await ws.members.owner.client.get<RevisionDto>(`/api/records/${record.id}/revisions/2`);
    expect(revision.body).toMatchObject({
      kind: "save",
      author: { id: ws.members.editor.id },
      changes: { body: { from: "<p>Start</p>", to: "<p>Start</p><p>Typed live</p>" } },
    });
  });

  it("an HTTP write to the rich text field reaches live editors, and restoring it from history does too", async () => {
    const { record, etag } = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Both ways", body: "Original" });
    const socket = await socketFor("editor");
    const peer = await joinDoc(socket, record.id);
    const patched = await ws.members.owner.client.request<RecordDto>("PATCH", `/api/records/${record.id}`, {
      json: { values: { body: "<p>Rewritten over <strong>HTTP</strong></p>" } },
      headers: { "if-match": etag },
    });
    expect(patched.status).toBe(200);
    await eventually(() => expect(peer.text()).toBe("Rewritten over HTTP"));
    const restored = await ws.members.owner.client.request("POST", `/api/records/${record.id}/restore`, {
      json: { version: 1, fields: ["body"] },
      headers: { "if-match": patched.headers.get("etag")! },
    });
    expect(restored.status).toBe(200);
    await eventually(() => expect(peer.text()).toBe("Original"));
    // No checkpoint echo: leaving flushes any pending checkpoint before its ack, and the record
    // stays at the restored version.
    expect(await emitAck(socket, CLIENT_EVENTS.unwatchRecord, { recordId: record.id })).toEqual({ ok: true });
    const read = await ws.members.owner.client.get<RecordDto>(`/api/records/${record.id}`);
    expect(read.body.version).toBe(3);
  });
});

describe("presence (awareness)", () => {
  it("a newcomer makes present people re-announce (silent watchers are not asked), and a closed tab's presence is removed", async () => {
    const { record } = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Present" });
    const silent = await socketFor("viewer");
    await emitAck(silent, CLIENT_EVENTS.watchRecord, { recordId: record.id });
    const present = await socketFor("editor");
    await emitAck(present, CLIENT_EVENTS.watchRecord, { recordId: record.id });
    const awareness = new awarenessProtocol.Awareness(new Y.Doc());
    awareness.setLocalState({ user: { id: ws.members.editor.id, name: ws.members.editor.name, color: "#000" }, field: "name" });
    const announce = awarenessProtocol.encodeAwarenessUpdate(awareness, [awareness.clientID]);
    expect(await emitAck(present, CLIENT_EVENTS.updateAwareness, { recordId: record.id, update: announce })).toEqual({ ok: true });

    const silentQueries = collect(silent, SERVER_EVENTS.awarenessQuery);
    const asked = nextEvent(present, SERVER_EVENTS.awarenessQuery);
    const newcomer = await socketFor("owner");
    const heard = collect<{ update: ArrayBuffer }>(newcomer, SERVER_EVENTS.awarenessUpdated);
    await emitAck(newcomer, CLIENT_EVENTS.watchRecord, { recordId: record.id });
    expect(await asked).toEqual({ recordId: record.id });
    // Barrier: the silent watcher's own ack comes back after any query the newcomer's watch sent it.
    await emitAck(silent, CLIENT_EVENTS.watchRecord, { recordId: record.id });
    expect(silentQueries).toEqual([]);

    present.disconnect();
    await eventually(() => {
      const removals = heard.flatMap((e) => readAwarenessUpdate(new Uint8Array(e.update))).filter((e) => e.clientId === awareness.clientID);
      expect(removals.some((e) => e.isRemoval)).toBe(true);
    }, 3000);
    awareness.destroy();
  });
});
