// The live document and presence trust nothing a client claims (issue 9): updates are checked
// against the record's schema and limits, presence carries the socket's own identity.
import { beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import * as awarenessProtocol from "y-protocols/awareness";
import * as encoding from "lib0/encoding";
import { CLIENT_EVENTS, SERVER_EVENTS, type DocRejectedEvent } from "@/lib/realtime";
import type { FieldDef, RecordDto } from "@/lib/types";
import { useTestPool } from "./db";
import { createRecord, createWorkspace, INVENTORY_FIELDS, type WorkspaceFixture } from "./factories";
import { useTestServer } from "./server";
import { connected, connectSocket, emitAck, eventually, nextEvent } from "./socket-client";
import { joinDoc } from "./yjs-sync";

const server = useTestServer();
const pool = useTestPool();
let ws: WorkspaceFixture;
let small: WorkspaceFixture;

const SMALL_FIELDS: FieldDef[] = [
  { key: "name", label: "Name", type: "text" },
  { key: "body", label: "Body", type: "richtext", options: { maxLength: 200 } },
];

beforeAll(async () => {
  ws = await createWorkspace(server.url, pool, INVENTORY_FIELDS);
  small = await createWorkspace(server.url, pool, SMALL_FIELDS);
});

async function editorOn(fixture: WorkspaceFixture, recordId: string) {
  const socket = connectSocket(server.url, fixture.members.editor.client);
  await connected(socket);
  const peer = await joinDoc(socket, recordId);
  return { socket, peer };
}

/** An update made on a copy of the peer's document, so it applies on top of what the server has. */
function updateFrom(doc: Y.Doc, change: (copy: Y.Doc) => void): Uint8Array {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  const before = Y.encodeStateVector(copy);
  change(copy);
  return Y.encodeStateAsUpdate(copy, before);
}

const storedText = async (recordId: string) => (await joinDoc((await editorOn(ws, recordId)).socket, recordId)).text();

describe("live document updates are checked against the record", () => {
  it("a rich-text field written as the wrong type, an unknown root or an unknown element is refused, and the document stays whole", async () => {
    const { record } = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Target", body: "Intact" });
    const { socket, peer } = await editorOn(ws, record.id);
    const asText = new Y.Doc();
    asText.getText("body").insert(0, "body as Y.Text");
    const unknownRoot = new Y.Doc();
    unknownRoot.getXmlFragment("evil").insert(0, [new Y.XmlText("x")]);
    const unknownElement = updateFrom(peer.doc, (copy) => copy.getXmlFragment("body").insert(0, [new Y.XmlElement("script")]));
    for (const update of [Y.encodeStateAsUpdate(asText), Y.encodeStateAsUpdate(unknownRoot), unknownElement]) {
      expect(await emitAck(socket, CLIENT_EVENTS.updateDoc, { recordId: record.id, update })).toMatchObject({ ok: false, error: { code: "invalid" } });
    }
    expect(await storedText(record.id)).toBe("Intact");
    await peer.type("body", "still editable");
    await eventually(async () => {
      const read = await ws.members.owner.client.get<RecordDto>(`/api/records/${record.id}`);
      expect(read.body.values.body).toBe("<p>Intact</p><p>still editable</p>");
    });
  });

  it("the rich-text length limit holds over the socket: an update past it is refused (too_large) and not stored", async () => {
    const { record } = await createRecord(small.members.owner.client, small.collectionId, { name: "Short" });
    const { socket, peer } = await editorOn(small, record.id);
    await peer.type("body", "a".repeat(150));
    const over = updateFrom(peer.doc, (copy) => {
      const paragraph = new Y.XmlElement("paragraph");
      paragraph.insert(0, [new Y.XmlText("b".repeat(100))]);
      copy.getXmlFragment("body").insert(1, [paragraph]);
    });
    expect(await emitAck(socket, CLIENT_EVENTS.updateDoc, { recordId: record.id, update: over })).toMatchObject({ ok: false, error: { code: "too_large" } });
    const fresh = await joinDoc((await editorOn(small, record.id)).socket, record.id);
    expect(fresh.text()).toBe("a".repeat(150));
  });

  it("the default 1,000,000-character limit holds across several updates each under the message size", async () => {
    const { record } = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Big" });
    const { socket, peer } = await editorOn(ws, record.id);
    const chunk = (doc: Y.Doc) =>
      updateFrom(doc, (copy) => {
        const paragraph = new Y.XmlElement("paragraph");
        paragraph.insert(0, [new Y.XmlText("x".repeat(400_000))]);
        const fragment = copy.getXmlFragment("body");
        fragment.insert(fragment.length, [paragraph]);
      });
    const acks = [];
    for (let i = 0; i < 3; i++) {
      const update = chunk(peer.doc);
      const ack = await emitAck(socket, CLIENT_EVENTS.updateDoc, { recordId: record.id, update });
      if (ack.ok) Y.applyUpdate(peer.doc, update, "remote");
      acks.push(ack.ok ? "ok" : (ack as { error: { code: string } }).error.code);
    }
    expect(acks).toEqual(["ok", "ok", "too_large"]);
  });

  it("an update for a deleted record is refused", async () => {
    const { record, etag } = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Gone soon" });
    const { socket, peer } = await editorOn(ws, record.id);
    expect((await ws.members.owner.client.request("DELETE", `/api/records/${record.id}`, { headers: { "if-match": etag } })).status).toBe(200);
    const update = updateFrom(peer.doc, (copy) => copy.getXmlFragment("body").insert(0, [new Y.XmlText("late")]));
    expect(await emitAck(socket, CLIENT_EVENTS.updateDoc, { recordId: record.id, update })).toMatchObject({ ok: false, error: { code: "not_found" } });
  });

  it("a document that cannot be checkpointed is reported on the page, and an HTTP write repairs it", async () => {
    const { record, etag } = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Damaged", body: "Before" });
    const { peer, socket } = await editorOn(ws, record.id);
    // What an older server let through: a rich-text field's fragment holding bare characters.
    const damaged = updateFrom(peer.doc, (copy) => {
      const item = new Y.XmlText("raw");
      copy.getXmlFragment("body").insert(0, [item]);
    });
    const bad = new Y.Doc();
    bad.getText("body").insert(0, "characters where elements belong");
    await pool.query(`INSERT INTO yjs_updates ("recordId", "update") VALUES ($1, $2)`, [record.id, Buffer.from(Y.encodeStateAsUpdate(bad))]);
    const rejected = nextEvent<DocRejectedEvent>(socket, SERVER_EVENTS.docRejected, (e) => e.recordId === record.id);
    expect(await emitAck(socket, CLIENT_EVENTS.updateDoc, { recordId: record.id, update: damaged })).toMatchObject({ ok: true });
    expect(await rejected).toMatchObject({ field: "body", message: expect.stringContaining("Body") });
    const write = await ws.members.owner.client.request("PATCH", `/api/records/${record.id}`, {
      json: { values: { body: "<p>Repaired</p>" } },
      headers: { "if-match": etag },
    });
    expect(write.status).toBe(200);
    await eventually(async () => expect(await storedText(record.id)).toBe("Repaired"));
  });
});

describe("presence carries the socket's own identity", () => {
  it("a viewer claiming to be someone else shows as themselves; a malformed state is stamped, not relayed as sent", async () => {
    const { record } = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Who is here" });
    const owner = connectSocket(server.url, ws.members.owner.client);
    const viewer = connectSocket(server.url, ws.members.viewer.client);
    await Promise.all([connected(owner), connected(viewer)]);
    await emitAck(owner, CLIENT_EVENTS.watchRecord, { recordId: record.id });
    await emitAck(viewer, CLIENT_EVENTS.watchRecord, { recordId: record.id });
    const heard = new awarenessProtocol.Awareness(new Y.Doc());
    owner.on(SERVER_EVENTS.awarenessUpdated, (e: { update: ArrayBuffer }) => awarenessProtocol.applyAwarenessUpdate(heard, new Uint8Array(e.update), "server"));

    const forged = new awarenessProtocol.Awareness(new Y.Doc());
    forged.setLocalState({
      user: { id: ws.members.owner.id, name: "Alice Owner", color: "javascript:alert(1)" },
      field: "no-such-field",
      extra: "x".repeat(1000),
    });
    const sent = await emitAck(viewer, CLIENT_EVENTS.updateAwareness, {
      recordId: record.id,
      update: awarenessProtocol.encodeAwarenessUpdate(forged, [forged.clientID]),
    });
    expect(sent).toEqual({ ok: true });
    await eventually(() => expect(heard.getStates().get(forged.clientID)).toBeDefined());
    const state = heard.getStates().get(forged.clientID) as Record<string, unknown>;
    expect(state).toEqual({ user: { id: ws.members.viewer.id, name: ws.members.viewer.name, color: expect.stringMatching(/^#[0-9a-f]{6}$/) }, field: null });

    // A caret (Y.RelativePosition as JSON, with its null parts) is kept: it is how others see where one types.
    const typing = new awarenessProtocol.Awareness(new Y.Doc());
    const cursor = {
      anchor: { type: { client: 1, clock: 0 }, tname: null, item: { client: 1, clock: 2 }, assoc: 0 },
      head: { type: null, tname: "body", item: null, assoc: -1 },
    };
    typing.setLocalState({ user: { id: "x", name: "x", color: "#000000" }, field: "body", cursor });
    await emitAck(viewer, CLIENT_EVENTS.updateAwareness, { recordId: record.id, update: awarenessProtocol.encodeAwarenessUpdate(typing, [typing.clientID]) });
    await eventually(() => expect(heard.getStates().get(typing.clientID)).toMatchObject({ user: { id: ws.members.viewer.id }, field: "body", cursor }));

    const malformed = new awarenessProtocol.Awareness(new Y.Doc());
    malformed.setLocalState({ user: { name: 5 }, field: "name" });
    await emitAck(viewer, CLIENT_EVENTS.updateAwareness, {
      recordId: record.id,
      update: awarenessProtocol.encodeAwarenessUpdate(malformed, [malformed.clientID]),
    });
    await eventually(() => expect(heard.getStates().get(malformed.clientID)).toMatchObject({ user: { name: ws.members.viewer.name }, field: "name" }));

    const notJson = encoding.createEncoder();
    encoding.writeVarUint(notJson, 1);
    encoding.writeVarUint(notJson, 77);
    encoding.writeVarUint(notJson, 1);
    encoding.writeVarString(notJson, "{not json");
    expect(await emitAck(viewer, CLIENT_EVENTS.updateAwareness, { recordId: record.id, update: encoding.toUint8Array(notJson) })).toMatchObject({
      ok: false,
      error: { code: "invalid" },
    });
  });
});
