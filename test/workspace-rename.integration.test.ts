// PATCH /api/workspaces/:id {"name"}: owners rename a workspace; with If-Match (its ETag) a rename
// made meanwhile is a 412 with the current workspace, never overwritten; every refusal changes nothing.
import { describe, expect, it } from "vitest";
import { ApiClient } from "./client";
import { useTestPool } from "./db";
import { uniqueId } from "./factories";
import { useTestServer } from "./server";

const server = useTestServer();
const pool = useTestPool();

type Workspace = { id: string; name: string; role: string; version: number; etag: string };
type Refusal = { error: string; message: string; fields?: Record<string, string>; current?: Workspace };

async function person(name: string) {
  const client = new ApiClient(server.url);
  const { id } = await client.signUp(`${name.toLowerCase()}-${uniqueId()}@example.test`, name);
  return { client, id };
}

async function team() {
  const owner = await person("Olga");
  const created = await owner.client.request<{ workspace: Workspace }>("POST", "/api/workspaces", { json: { name: "Old name" } });
  expect(created.status).toBe(201);
  const workspace = created.body.workspace;
  const others = { owner2: await person("Omar"), editor: await person("Eva"), viewer: await person("Vic") };
  for (const [who, role] of [
    ["owner2", "owner"],
    ["editor", "editor"],
    ["viewer", "viewer"],
  ] as const) {
    await pool.query(`INSERT INTO memberships ("workspaceId", "userId", role) VALUES ($1, $2, $3)`, [workspace.id, others[who].id, role]);
  }
  return { workspace, owner, ...others };
}

const rename = (client: ApiClient, id: string, body: unknown, etag?: string) =>
  client.request<{ workspace: Workspace } & Refusal>("PATCH", `/api/workspaces/${id}`, { json: body, headers: etag ? { "if-match": etag } : {} });

const nameOf = async (id: string) => (await pool.query<{ name: string; version: number }>(`SELECT name, version FROM workspaces WHERE id = $1`, [id])).rows[0];

describe("PATCH /api/workspaces/:id", () => {
  it("an owner renames it with its ETag: 200, the new name (trimmed) and ETag, and every member sees it", async () => {
    const { workspace, owner, viewer } = await team();
    expect(workspace).toMatchObject({ version: 1, etag: expect.stringMatching(/^"1-/) });
    const got = await owner.client.get<{ workspace: Workspace }>(`/api/workspaces/${workspace.id}`);
    expect(got.headers.get("etag")).toBe(workspace.etag);
    const res = await rename(owner.client, workspace.id, { name: "  New name  " }, workspace.etag);
    expect(res.status).toBe(200);
    expect(res.body.workspace).toMatchObject({ id: workspace.id, name: "New name", version: 2, role: "owner" });
    expect(res.headers.get("etag")).toMatch(/^"2-/);
    const seen = await viewer.client.get<{ workspaces: Workspace[] }>("/api/workspaces");
    expect(seen.body.workspaces.find((w) => w.id === workspace.id)?.name).toBe("New name");
    // Without If-Match it applies to whatever name is current.
    expect((await rename(owner.client, workspace.id, { name: "Third" })).status).toBe(200);
    expect(await nameOf(workspace.id)).toEqual({ name: "Third", version: 3 });
  });

  it("two owners rename from the same ETag at once: one 200, one 412 with the current workspace; the first name stays", async () => {
    const { workspace, owner, owner2 } = await team();
    const [a, b] = await Promise.all([
      rename(owner.client, workspace.id, { name: "By Olga" }, workspace.etag),
      rename(owner2.client, workspace.id, { name: "By Omar" }, workspace.etag),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 412]);
    const [won, lost] = a.status === 200 ? [a, b] : [b, a];
    expect(lost.body).toMatchObject({ error: "stale", current: { name: won.body.workspace.name, version: 2 } });
    expect(lost.body.message).toContain(won.body.workspace.name);
    expect(await nameOf(workspace.id)).toEqual({ name: won.body.workspace.name, version: 2 });
    // Sent again from the current version, it replaces the name on purpose.
    const again = await rename(a.status === 412 ? owner.client : owner2.client, workspace.id, { name: "On purpose" }, lost.body.current!.etag);
    expect(again.status).toBe(200);
  });

  it("refusals: 401 signed out, 404 stranger or bad id, 403 editor and viewer, 422 bad name or other fields, 400 bad token; nothing changes", async () => {
    const { workspace, owner, editor, viewer } = await team();
    const stranger = await person("Sam");
    expect((await rename(new ApiClient(server.url), workspace.id, { name: "X" })).status).toBe(401);
    expect((await rename(stranger.client, workspace.id, { name: "X" })).status).toBe(404);
    expect((await rename(owner.client, "not-a-uuid", { name: "X" })).status).toBe(404);
    expect((await rename(owner.client, "00000000-0000-4000-8000-000000000000", { name: "X" })).status).toBe(404);
    const byEditor = await rename(editor.client, workspace.id, { name: "X" });
    expect(byEditor.status).toBe(403);
    expect(byEditor.body.message).toBe("Only the workspace's owners can rename it");
    expect((await rename(viewer.client, workspace.id, { name: "X" })).status).toBe(403);
    for (const body of [{}, { name: "   " }, { name: 7 }, { name: "x".repeat(101) }]) {
      const res = await rename(owner.client, workspace.id, body);
      expect(res.status).toBe(422);
      expect(res.body.fields?.name).toBeTruthy();
    }
    const extra = await rename(owner.client, workspace.id, { name: "Fine", id: "other" });
    expect(extra.status).toBe(422);
    expect(extra.body.fields).toEqual({ id: "Only the name of a workspace can be changed" });
    expect((await rename(owner.client, workspace.id, { name: "Fine" }, '"1-00000000"')).status).toBe(400);
    expect((await rename(owner.client, workspace.id, { name: "Fine" }, workspace.etag.replace('"1-', '"9-'))).status).toBe(400);
    expect(
      (await owner.client.request("PATCH", `/api/workspaces/${workspace.id}`, { rawBody: "{", headers: { "content-type": "application/json" } })).status,
    ).toBe(400);
    expect(await nameOf(workspace.id)).toEqual({ name: "Old name", version: 1 });
  });

  it("an owner demoted meanwhile cannot rename with the token read as an owner", async () => {
    const { workspace, owner, owner2 } = await team();
    await pool.query(`UPDATE memberships SET role = 'editor' WHERE "workspaceId" = $1 AND "userId" = $2`, [workspace.id, owner2.id]);
    expect((await rename(owner2.client, workspace.id, { name: "Mine now" }, workspace.etag)).status).toBe(403);
    expect((await rename(owner.client, workspace.id, { name: "Still here" }, workspace.etag)).status).toBe(200);
  });
});
