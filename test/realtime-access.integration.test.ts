// Access over an open socket is checked on every write, not once at watch time: a member demoted
// to viewer while connected can no longer change the live document.
import { beforeAll, describe, expect, it } from "vitest";
import { CLIENT_EVENTS, SERVER_EVENTS } from "@/lib/realtime";
import * as Y from "yjs";
import { useTestPool } from "./db";
import { createRecord, createWorkspace, type WorkspaceFixture } from "./factories";
import { useTestServer } from "./server";
import { collect, connected, connectSocket, emitAck, eventually } from "./socket-client";
import { joinDoc } from "./yjs-sync";

const server = useTestServer();
const pool = useTestPool();
let ws: WorkspaceFixture;

beforeAll(async () => {
  ws = await createWorkspace(server.url, pool);
});

/**
 * Changes a role without the database's announcement (session_replication_role skips triggers), so
 * the socket stays open and what is tested is the check every write makes for itself; the
 * announcement that cuts sockets is tested in access-revocation.integration.test.ts.
 */
async function setRoleSilently(userId: string, role: string) {
  const client = await pool.connect();
  try {
    await client.query("SET session_replication_role = replica");
    await client.query(`UPDATE memberships SET role = $3 WHERE "workspaceId" = $1 AND "userId" = $2`, [ws.workspaceId, userId, role]);
  } finally {
    await client.query("RESET session_replication_role");
    client.release();
  }
}

describe("socket writes", () => {
  it("a socket whose user was demoted to viewer cannot write any more, and its update reaches no one", async () => {
    const { record } = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Shared", body: "Start" });
    const editorSocket = connectSocket(server.url, ws.members.editor.client);
    const ownerSocket = connectSocket(server.url, ws.members.owner.client);
    await Promise.all([connected(editorSocket), connected(ownerSocket)]);
    const editor = await joinDoc(editorSocket, record.id);
    const owner = await joinDoc(ownerSocket, record.id);
    await editor.type("body", "while an editor");
    expect(editor.text()).toContain("while an editor");
    // The edit made as an editor has reached the owner before anything is collected, so a late
    // broadcast of it is not mistaken for the refused one.
    await eventually(() => expect(owner.text()).toContain("while an editor"));

    await setRoleSilently(ws.members.editor.id, "viewer");
    const seenByOwner = collect(ownerSocket, SERVER_EVENTS.docUpdated);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(editor.doc));
    const before = Y.encodeStateVector(doc);
    doc.getXmlFragment("body").insert(0, [new Y.XmlText("after demotion")]);
    const refused = await emitAck(editorSocket, CLIENT_EVENTS.updateDoc, { recordId: record.id, update: Y.encodeStateAsUpdate(doc, before) });
    expect(refused).toMatchObject({ ok: false, error: { code: "forbidden" } });

    // A fresh peer loads what is stored: the edit made as an editor, not the one after.
    const fresh = await joinDoc(ownerSocket, record.id);
    expect(fresh.text()).toContain("while an editor");
    expect(fresh.text()).not.toContain("after demotion");
    expect(owner.text()).not.toContain("after demotion");
    expect(seenByOwner).toHaveLength(0);
    await setRoleSilently(ws.members.editor.id, "editor");
  });
});
