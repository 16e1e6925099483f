// Workspaces and members (issue 12): create and list, roles changed and members removed by owners
// only, the last owner kept (W1, W2) also when two owners demote each other at once, and a changed
// membership taking effect at once on REST and on open sockets.
import { describe, expect, it } from "vitest";
import { CLIENT_EVENTS, type WatchRecordAck } from "@/lib/realtime";
import { ApiClient } from "./client";
import { useTestPool } from "./db";
import { createRecord, createWorkspace, uniqueId } from "./factories";
import { useTestServer } from "./server";
import { connected, connectSocket, emitAck } from "./socket-client";

const server = useTestServer();
const pool = useTestPool();

type Workspace = { id: string; name: string; role: string; permissions: Record<string, boolean>; memberCount: number };
type Member = { id: string; name: string; email: string; role: string };

async function person(name = "Person") {
  const client = new ApiClient(server.url);
  const { id } = await client.signUp(`${name.toLowerCase().replace(/\W/g, "")}-${uniqueId()}@example.test`, name);
  return { client, id };
}

async function newWorkspace(client: ApiClient, name = `Team ${uniqueId()}`) {
  const res = await client.request<{ workspace: Workspace }>("POST", "/api/workspaces", { json: { name } });
  expect(res.status).toBe(201);
  return res.body.workspace;
}

const join = (workspaceId: string, userId: string, role: string) =>
  pool.query(`INSERT INTO memberships ("workspaceId", "userId", role) VALUES ($1, $2, $3)`, [workspaceId, userId, role]);

describe("POST and GET /api/workspaces", () => {
  it("any signed-in user creates a workspace and owns it; the list holds only the caller's", async () => {
    const ana = await person("Ana");
    const ben = await person("Ben");
    const res = await ana.client.request<{ workspace: Workspace }>("POST", "/api/workspaces", { json: { name: "  Acme stock  " } });
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe(`/api/workspaces/${res.body.workspace.id}`);
    expect(res.body.workspace).toMatchObject({ name: "Acme stock", role: "owner", memberCount: 1 });
    expect(res.body.workspace.permissions["members.manage"]).toBe(true);
    const mine = await ana.client.get<{ workspaces: Workspace[] }>("/api/workspaces");
    expect(mine.body.workspaces.map((w) => w.id)).toEqual([res.body.workspace.id]);
    expect((await ben.client.get<{ workspaces: Workspace[] }>("/api/workspaces")).body.workspaces).toEqual([]);
    expect((await ana.client.get(`/api/workspaces/${res.body.workspace.id}`)).status).toBe(200);
    expect((await ben.client.get(`/api/workspaces/${res.body.workspace.id}`)).status).toBe(404);
  });

  it("with TANDEM_OPEN_SIGNUP=true the sign-in page is told sign-up is open, and a new account has no workspace", async () => {
    const fresh = await person("Fresh");
    expect((await new ApiClient(server.url).get("/api/setup")).body).toEqual({ isFirstRun: false, isOpenSignup: true });
    expect((await fresh.client.get<{ workspaces: Workspace[] }>("/api/workspaces")).body.workspaces).toEqual([]);
  });

  it("refuses a missing or bad name (422), a stranger (401) and a body that is not JSON (415), creating nothing", async () => {
    const ana = await person("Ana");
    for (const json of [{}, { name: "   " }, { name: 5 }, { name: "x".repeat(101) }]) {
      const res = await ana.client.request<{ error: string; fields: Record<string, string> }>("POST", "/api/workspaces", { json });
      expect(res.status).toBe(422);
      expect(res.body.fields.name).toBeTruthy();
    }
    expect(
      (await ana.client.request("POST", "/api/workspaces", { rawBody: "name=x", headers: { "content-type": "application/x-www-form-urlencoded" } })).status,
    ).toBe(415);
    expect((await new ApiClient(server.url).request("POST", "/api/workspaces", { json: { name: "Nobody's" } })).status).toBe(401);
    expect((await new ApiClient(server.url).get("/api/workspaces")).status).toBe(401);
    expect((await ana.client.get<{ workspaces: Workspace[] }>("/api/workspaces")).body.workspaces).toEqual([]);
  });
});

describe("members", () => {
  it("an owner lists members, changes a role and removes a member (W1)", async () => {
    const owner = await person("Owner");
    const editor = await person("Editor");
    const ws = await newWorkspace(owner.client);
    await join(ws.id, editor.id, "editor");
    const list = await owner.client.get<{ members: Member[] }>(`/api/workspaces/${ws.id}/members`);
    expect(list.status).toBe(200);
    expect(list.body.members.map((m) => [m.id, m.role]).sort()).toEqual(
      [
        [editor.id, "editor"],
        [owner.id, "owner"],
      ].sort(),
    );
    const changed = await owner.client.request<{ member: Member }>("PATCH", `/api/workspaces/${ws.id}/members/${editor.id}`, { json: { role: "viewer" } });
    expect(changed.status).toBe(200);
    expect(changed.body.member.role).toBe("viewer");
    expect((await editor.client.get<{ workspaces: Workspace[] }>("/api/workspaces")).body.workspaces[0]!.role).toBe("viewer");
    expect((await owner.client.request("DELETE", `/api/workspaces/${ws.id}/members/${editor.id}`)).status).toBe(204);
    expect((await editor.client.get<{ workspaces: Workspace[] }>("/api/workspaces")).body.workspaces).toEqual([]);
  });

  it("refuses strangers (404), editors and viewers (403), unknown members (404), bad roles (422), changing nothing", async () => {
    const owner = await person("Owner");
    const editor = await person("Editor");
    const viewer = await person("Viewer");
    const stranger = await person("Stranger");
    const ws = await newWorkspace(owner.client);
    await join(ws.id, editor.id, "editor");
    await join(ws.id, viewer.id, "viewer");
    const base = `/api/workspaces/${ws.id}/members`;
    expect((await stranger.client.get(base)).status).toBe(404);
    expect((await stranger.client.request("PATCH", `${base}/${viewer.id}`, { json: { role: "owner" } })).status).toBe(404);
    expect((await stranger.client.request("DELETE", `${base}/${viewer.id}`)).status).toBe(404);
    expect((await editor.client.get(base)).status).toBe(403);
    expect((await editor.client.request("PATCH", `${base}/${viewer.id}`, { json: { role: "owner" } })).status).toBe(403);
    expect((await viewer.client.request("DELETE", `${base}/${editor.id}`)).status).toBe(403);
    expect((await owner.client.request("PATCH", `${base}/${stranger.id}`, { json: { role: "viewer" } })).status).toBe(404);
    expect((await owner.client.request("DELETE", `${base}/${stranger.id}`)).status).toBe(404);
    expect((await owner.client.get(`/api/workspaces/not-a-uuid/members`)).status).toBe(404);
    for (const json of [{}, { role: "admin" }, { role: null }]) {
      const res = await owner.client.request<{ fields: Record<string, string> }>("PATCH", `${base}/${viewer.id}`, { json });
      expect(res.status).toBe(422);
      expect(res.body.fields.role).toMatch(/owner, editor, viewer/);
    }
    const signedOut = new ApiClient(server.url);
    expect((await signedOut.get(base)).status).toBe(401);
    expect((await signedOut.request("PATCH", `${base}/${viewer.id}`, { json: { role: "owner" } })).status).toBe(401);
    expect((await signedOut.request("DELETE", `${base}/${viewer.id}`)).status).toBe(401);
    expect((await signedOut.get(`/api/workspaces/${ws.id}`)).status).toBe(401);
    expect((await owner.client.request("PATCH", `${base}/${viewer.id}`, { rawBody: "role=owner", headers: { "content-type": "text/plain" } })).status).toBe(
      415,
    );
    const { rows } = await pool.query(`SELECT "userId", role FROM memberships WHERE "workspaceId" = $1 ORDER BY role`, [ws.id]);
    expect(rows.map((r) => r.role)).toEqual(["editor", "owner", "viewer"]);
  });

  it("W2 the last owner cannot be demoted or removed (409), not even by themselves", async () => {
    const owner = await person("Owner");
    const ws = await newWorkspace(owner.client);
    const demote = await owner.client.request<{ error: string; message: string }>("PATCH", `/api/workspaces/${ws.id}/members/${owner.id}`, {
      json: { role: "editor" },
    });
    expect(demote.status).toBe(409);
    expect(demote.body).toMatchObject({ error: "conflict", message: expect.stringMatching(/last owner/) });
    expect((await owner.client.request("DELETE", `/api/workspaces/${ws.id}/members/${owner.id}`)).status).toBe(409);
    expect((await owner.client.request("PATCH", `/api/workspaces/${ws.id}/members/${owner.id}`, { json: { role: "owner" } })).status).toBe(200);
    const { rows } = await pool.query(`SELECT role FROM memberships WHERE "workspaceId" = $1`, [ws.id]);
    expect(rows).toEqual([{ role: "owner" }]);
  });

  it("W2 two owners demoting each other at once leave exactly one owner", async () => {
    for (let round = 0; round < 5; round++) {
      const a = await person("Owner A");
      const b = await person("Owner B");
      const ws = await newWorkspace(a.client);
      await join(ws.id, b.id, "owner");
      const [ab, ba] = await Promise.all([
        a.client.request("PATCH", `/api/workspaces/${ws.id}/members/${b.id}`, { json: { role: "viewer" } }),
        b.client.request("PATCH", `/api/workspaces/${ws.id}/members/${a.id}`, { json: { role: "viewer" } }),
      ]);
      // The second to get the lock is no longer an owner by then (403), or is the last one (409).
      expect([ab.status, ba.status].filter((s) => s === 200)).toHaveLength(1);
      expect([403, 409]).toContain(ab.status === 200 ? ba.status : ab.status);
      const { rows } = await pool.query(`SELECT count(*)::int AS n FROM memberships WHERE "workspaceId" = $1 AND role = 'owner'`, [ws.id]);
      expect(rows[0].n).toBe(1);
    }
  });

  it("W1 any member may leave; W2 the last owner may not (409)", async () => {
    const owner = await person("Owner");
    const viewer = await person("Viewer");
    const ws = await newWorkspace(owner.client);
    await join(ws.id, viewer.id, "viewer");
    expect((await viewer.client.request("PATCH", `/api/workspaces/${ws.id}/members/${viewer.id}`, { json: { role: "owner" } })).status).toBe(403);
    expect((await viewer.client.request("DELETE", `/api/workspaces/${ws.id}/members/${viewer.id}`)).status).toBe(204);
    expect((await viewer.client.get<{ workspaces: Workspace[] }>("/api/workspaces")).body.workspaces).toEqual([]);
    expect((await viewer.client.request("DELETE", `/api/workspaces/${ws.id}/members/${viewer.id}`)).status).toBe(404);
    const leaving = await owner.client.request<{ message: string }>("DELETE", `/api/workspaces/${ws.id}/members/${owner.id}`);
    expect(leaving.status).toBe(409);
    expect(leaving.body.message).toMatch(/last owner cannot leave/);
  });

  it("two owners removing each other at once leave exactly one owner", async () => {
    const a = await person("Owner A");
    const b = await person("Owner B");
    const ws = await newWorkspace(a.client);
    await join(ws.id, b.id, "owner");
    const statuses = (
      await Promise.all([
        a.client.request("DELETE", `/api/workspaces/${ws.id}/members/${b.id}`),
        b.client.request("DELETE", `/api/workspaces/${ws.id}/members/${a.id}`),
      ])
    ).map((r) => r.status);
    expect(statuses.filter((s) => s === 204)).toHaveLength(1);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM memberships WHERE "workspaceId" = $1 AND role = 'owner'`, [ws.id]);
    expect(rows[0].n).toBe(1);
  });

  it("a demoted member's open socket is cut and their next write refused; a removed one reads nothing more", async () => {
    const fixture = await createWorkspace(server.url, pool);
    const member = await person("Member");
    await join(fixture.workspaceId, member.id, "editor");
    const { record, etag } = await createRecord(fixture.members.owner.client, fixture.collectionId, { name: "Shared" });
    const socket = connectSocket(server.url, member.client);
    await connected(socket);
    const ack = await emitAck<WatchRecordAck>(socket, CLIENT_EVENTS.watchRecord, { recordId: record.id });
    expect(ack.ok).toBe(true);
    const cut = new Promise<string>((resolve) => socket.once("disconnect", resolve));

    const owner = fixture.members.owner.client;
    expect((await owner.request("PATCH", `/api/workspaces/${fixture.workspaceId}/members/${member.id}`, { json: { role: "viewer" } })).status).toBe(200);
    expect(await cut).toBe("io server disconnect");
    const refused = await member.client.request("PATCH", `/api/records/${record.id}`, { json: { values: { name: "Mine" } }, headers: { "if-match": etag } });
    expect(refused.status).toBe(403);
    // Watching again answers with the role as it is now.
    socket.connect();
    await connected(socket);
    const again = await emitAck<WatchRecordAck>(socket, CLIENT_EVENTS.watchRecord, { recordId: record.id });
    expect(again.ok && again.role).toBe("viewer");

    expect((await owner.request("DELETE", `/api/workspaces/${fixture.workspaceId}/members/${member.id}`)).status).toBe(204);
    expect((await member.client.get(`/api/records/${record.id}`)).status).toBe(404);
    socket.close();
  });
});
