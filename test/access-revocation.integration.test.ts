// Access that outlives its grant (issue 9): a sign-out, a removal or a demotion takes effect at
// once on REST and on open sockets.
import { beforeAll, describe, expect, it } from "vitest";
import type { Socket } from "socket.io-client";
import { CLIENT_EVENTS, SERVER_EVENTS, type WatchRecordAck } from "@/lib/realtime";
import { ApiClient } from "./client";
import { useTestPool } from "./db";
import { createRecord, createWorkspace, type WorkspaceFixture } from "./factories";
import { useTestServer } from "./server";
import { collect, connected, connectSocket, emitAck, eventually } from "./socket-client";

const server = useTestServer();
const pool = useTestPool();
let ws: WorkspaceFixture;

beforeAll(async () => {
  ws = await createWorkspace(server.url, pool);
});

const disconnectedOnce = (socket: Socket) => new Promise<string>((resolve) => socket.once("disconnect", (reason) => resolve(reason)));

/** A member of its own, so that ending its session or membership touches no other test. */
async function newMember(role: "editor" | "viewer") {
  const client = new ApiClient(server.url);
  const { id } = await client.signUp(`member-${role}-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@example.test`, `Member ${role}`);
  await pool.query(`INSERT INTO memberships ("workspaceId", "userId", role) VALUES ($1, $2, $3)`, [ws.workspaceId, id, role]);
  return { client, id };
}

describe("sign-out", () => {
  it("the cookie stops working at once on REST and for new sockets, and an open socket is cut", async () => {
    const { client } = await newMember("editor");
    const { record } = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Signed out" });
    expect((await client.get(`/api/records/${record.id}`)).status).toBe(200);
    const copy = new ApiClient(server.url);
    copy.useCookies(client.cookieHeader);
    const socket = connectSocket(server.url, client);
    await connected(socket);
    const cut = disconnectedOnce(socket);

    expect((await client.request("POST", "/api/auth/sign-out", { json: {}, headers: { origin: server.url } })).status).toBe(200);
    // The copied cookie (what a stolen or stale tab holds) is refused on the very next request.
    expect((await copy.get(`/api/records/${record.id}`)).status).toBe(401);
    expect(await cut).toBe("io server disconnect");
    const again = connectSocket(server.url, copy);
    await expect(connected(again)).rejects.toThrow(/unauthenticated/);
  });

  it("an expired or revoked session is refused even though it was just verified", async () => {
    const { client, id } = await newMember("viewer");
    const { record } = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Revoked" });
    expect((await client.get(`/api/records/${record.id}`)).status).toBe(200);
    await pool.query(`DELETE FROM sessions WHERE "userId" = $1`, [id]);
    await eventually(async () => expect((await client.get(`/api/records/${record.id}`)).status).toBe(401), 2000);
  });
});

describe("membership changes reach open sockets", () => {
  it("a removed member's socket is cut and hears no more saves; watching again is refused", async () => {
    const member = await newMember("editor");
    const { record, etag } = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Private soon" });
    const socket = connectSocket(server.url, member.client);
    await connected(socket);
    expect(await emitAck(socket, CLIENT_EVENTS.watchRecord, { recordId: record.id })).toMatchObject({ ok: true });
    const heard = collect(socket, SERVER_EVENTS.recordSaved);
    const cut = disconnectedOnce(socket);

    await pool.query(`DELETE FROM memberships WHERE "workspaceId" = $1 AND "userId" = $2`, [ws.workspaceId, member.id]);
    expect(await cut).toBe("io server disconnect");
    await ws.members.owner.client.request("PATCH", `/api/records/${record.id}`, { json: { values: { name: "Secret" } }, headers: { "if-match": etag } });
    expect(heard).toEqual([]);
    expect((await member.client.get(`/api/records/${record.id}`)).status).toBe(404);
    const back = connectSocket(server.url, member.client);
    await connected(back);
    expect(await emitAck(back, CLIENT_EVENTS.watchRecord, { recordId: record.id })).toMatchObject({ ok: false, error: { code: "not_found" } });
  });

  it("a demoted member's socket is cut; back, it watches as a viewer and may not write", async () => {
    const member = await newMember("editor");
    const { record } = await createRecord(ws.members.owner.client, ws.collectionId, { name: "Read only soon" });
    const socket = connectSocket(server.url, member.client);
    await connected(socket);
    await emitAck(socket, CLIENT_EVENTS.watchRecord, { recordId: record.id });
    const cut = disconnectedOnce(socket);
    await pool.query(`UPDATE memberships SET role = 'viewer' WHERE "workspaceId" = $1 AND "userId" = $2`, [ws.workspaceId, member.id]);
    expect(await cut).toBe("io server disconnect");
    const back = connectSocket(server.url, member.client);
    await connected(back);
    const ack = await emitAck<WatchRecordAck>(back, CLIENT_EVENTS.watchRecord, { recordId: record.id });
    expect(ack).toMatchObject({ ok: true, role: "viewer", permissions: { "record.write": false, "doc.edit": false } });
  });
});
