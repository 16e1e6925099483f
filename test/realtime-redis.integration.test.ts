// Scale-out: two server processes, one database, one Redis. A client on each sees the other's work.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_EVENTS, SERVER_EVENTS, type RecordSavedEvent } from "@/lib/realtime";
import { ApiClient } from "./client";
import { useTestPool } from "./db";
import { createRecord, createWorkspace, type WorkspaceFixture } from "./factories";
import { startTestServer, type TestServer } from "./server";
import { connected, connectSocket, emitAck, eventually, nextEvent } from "./socket-client";
import { joinDoc } from "./yjs-sync";

const redisUrl = process.env.REDIS_URL;
const pool = useTestPool();
let first: TestServer;
let second: TestServer;
let ws: WorkspaceFixture;

/** The same person, signed in against the other process (sessions live in the shared database). */
async function onSecond(role: "owner" | "editor" | "viewer"): Promise<ApiClient> {
  const client = new ApiClient(second.url);
  expect(await client.signIn(ws.members[role].email, "correct horse battery")).toBe(200);
  return client;
}

describe.skipIf(!redisUrl)("two processes through Redis", () => {
  beforeAll(async () => {
    const shared = { REDIS_URL: redisUrl!, TANDEM_REDIS_PREFIX: `tandem-pair-${randomBytes(4).toString("hex")}` };
    [first, second] = await Promise.all([startTestServer(shared), startTestServer(shared)]);
    ws = await createWorkspace(first.url, pool);
  });
  afterAll(async () => {
    await Promise.all([first?.stop(), second?.stop()]);
  });

  it("a save through one process reaches a watcher connected to the other", async () => {
    const { record, etag } = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Shared", stock: 1 });
    const watcher = connectSocket(second.url, await onSecond("viewer"));
    await connected(watcher);
    expect(await emitAck(watcher, CLIENT_EVENTS.watchRecord, { recordId: record.id })).toMatchObject({ ok: true });
    const received = nextEvent<RecordSavedEvent>(watcher, SERVER_EVENTS.recordSaved);
    const saved = await ws.members.editor.client.request("PATCH", `/api/records/${record.id}`, {
      json: { values: { stock: 2 } },
      headers: { "if-match": etag },
    });
    expect(saved.status).toBe(200);
    expect(await received).toMatchObject({ recordId: record.id, version: 2, changedFields: ["stock"], by: { id: ws.members.editor.id } });
  });

  it("rich text typed through one process converges on the other", async () => {
    const { record } = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Co-edited", body: "Shared start" });
    const a = connectSocket(first.url, ws.members.owner.client);
    const b = connectSocket(second.url, await onSecond("editor"));
    await Promise.all([connected(a), connected(b)]);
    const alice = await joinDoc(a, record.id);
    const dana = await joinDoc(b, record.id);
    await Promise.all([alice.type("body", "typed on process one"), dana.type("body", "typed on process two")]);
    await eventually(() => {
      expect(alice.text()).toBe(dana.text());
      expect(alice.text()).toContain("typed on process one");
      expect(alice.text()).toContain("typed on process two");
    });
  });
});
